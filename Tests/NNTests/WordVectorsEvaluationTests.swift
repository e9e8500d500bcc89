import Foundation
import Testing
@testable import NN

/// Word-pair and analogy evaluations of word vectors, against SciPy's and gensim's numbers.
@Suite struct WordVectorsEvaluationTests {
    // MARK: Correlations

    @Test func spearmanWithTiesEqualsSciPy() {
        // python3 -c "import scipy.stats as s; x=[1,2,2,3,4,4,4,5.5,7,8];
        //   y=[.30,.10,.10,.45,.40,.80,.80,.35,.90,.90]; print(repr(s.spearmanr(x,y).statistic),
        //   repr(s.pearsonr(x,y).statistic))"
        // → 0.8012576919374246 0.758034533497384   (SciPy 1.17.1)
        let x: [Double] = [1, 2, 2, 3, 4, 4, 4, 5.5, 7, 8]
        let y: [Double] = [0.30, 0.10, 0.10, 0.45, 0.40, 0.80, 0.80, 0.35, 0.90, 0.90]
        #expect(abs(Correlation.spearman(x, y) - 0.8012576919374246) < 1e-15)
        #expect(abs(Correlation.pearson(x, y) - 0.758034533497384) < 1e-15)
    }

    @Test func tiedValuesShareTheirAverageRank() {
        // scipy.stats.rankdata of the same x and y.
        #expect(Correlation.averageRanks([1, 2, 2, 3, 4, 4, 4, 5.5, 7, 8]) == [1, 2.5, 2.5, 4, 6, 6, 6, 8, 9, 10])
        #expect(Correlation.averageRanks([0.30, 0.10, 0.10, 0.45, 0.40, 0.80, 0.80, 0.35, 0.90, 0.90])
                == [3, 1.5, 1.5, 6, 5, 7.5, 7.5, 4, 9.5, 9.5])
    }

    @Test func correlationsOfTooFewOrConstantValuesAreNaN() {
        #expect(Correlation.spearman([1], [2]).isNaN)
        #expect(Correlation.pearson([1, 2, 3], [5, 5, 5]).isNaN)
        #expect(Correlation.spearman([1, 2, .nan], [1, 2, 3]).isNaN)
    }

    // MARK: Word pairs

    /// "Apple" is more frequent (first) than "apple", with the opposite vector; the human scores
    /// follow the similarities of "Apple"'s vector.
    private static let fruit = WordVectors(
        words: ["Apple", "apple", "pear", "plum", "fig"],
        vectors: Tensor<Float>(shape: [5, 2], scalars: [1, 0, -1, 0, 1, 0.1, 1, 1, 0, 1]))
    private static let fruitPairs = WordPairs(name: "fruit", pairs: [
        WordPair("apple", "pear", humanScore: 9), WordPair("APPLE", "plum", humanScore: 5),
        WordPair("apple", "fig", humanScore: 1), WordPair("apple", "durian", humanScore: 3),
    ])

    @Test func caseInsensitiveMatchingTakesTheMostFrequentCasing() {
        let result = Self.fruit.evaluateWordPairs(Self.fruitPairs)
        #expect(abs(result.spearman - 1) < 1e-12)
        #expect(result.usedPairCount == 3)
        #expect(EvaluationVocabulary(words: Self.fruit.words, restrictedTo: 300_000, caseInsensitive: true).row(of: "aPPle") == 0)
    }

    @Test func caseSensitiveMatchingTakesWordsAsWritten() {
        let result = Self.fruit.evaluateWordPairs(Self.fruitPairs, caseInsensitive: false)
        // "apple" is row 1 (the opposite vector) and "APPLE" is unknown.
        #expect(abs(result.spearman + 1) < 1e-12)
        #expect(result.usedPairCount == 2 && result.skippedPairCount == 2)
    }

    @Test func outOfVocabularyPairsAreSkippedAndCounted() {
        let result = Self.fruit.evaluateWordPairs(Self.fruitPairs)
        #expect(result.skippedPairCount == 1 && result.pairCount == 4)
        #expect(result.outOfVocabularyPercentage == 25)
        #expect(result.description == "fruit: Spearman 1.000 (Pearson \(String(format: "%.3f", result.pearson))), 3 of 4 pairs, 25.0 % out of vocabulary")
    }

    @Test func restrictedToLeavesOutLessFrequentRows() {
        // Only "Apple" and "apple" are used: every pair has a word outside them.
        let result = Self.fruit.evaluateWordPairs(Self.fruitPairs, restrictedTo: 2)
        #expect(result.usedPairCount == 0 && result.skippedPairCount == 4)
        #expect(result.spearman.isNaN && result.pearson.isNaN)
    }

    @Test func pairFilesSkipCommentsAndAHeaderAndTakeTabsOrSpaces() throws {
        let url = try Self.temporaryFile("# a comment\nWord 1\tWord 2\tHuman (mean)\napple\tpear\t9\n\napple plum  5.5\r\n")
        let pairs = try WordPairs(contentsOf: url)
        #expect(pairs.pairs == [WordPair("apple", "pear", humanScore: 9), WordPair("apple", "plum", humanScore: 5.5)])
        #expect(pairs.name == url.deletingPathExtension().lastPathComponent)
    }

    @Test func malformedPairFilesNameTheLine() throws {
        let badScore = try Self.temporaryFile("apple\tpear\t9\napple\tplum\thigh\n")
        #expect(throws: TensorError.malformedFile(path: badScore.path, offset: 13, reason: "line 2: the score 'high' is not a finite number")) {
            try WordPairs(contentsOf: badScore)
        }
        let twoFields = try Self.temporaryFile("apple\tpear\t9\napple pear\n")
        #expect(throws: TensorError.malformedFile(path: twoFields.path, offset: 13,
                                                  reason: "line 2: expected two words and a score separated by tabs or spaces, found 2 fields")) {
            try WordPairs(contentsOf: twoFields)
        }
        let notUTF8 = try Self.temporaryFile(Data("apple\tpear\t9\n".utf8) + Data([0x66, 0xFF, 0x0A]))
        #expect(throws: TensorError.malformedFile(path: notUTF8.path, offset: 13, reason: "line 2 is not valid UTF-8")) {
            try WordPairs(contentsOf: notUTF8)
        }
    }

    @Test func unreadableFilesThrowIOErrors() {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString).txt")
        let pairsError = #expect(throws: TensorError.self) { try Self.fruit.evaluateWordPairs(contentsOf: missing) }
        let questionsError = #expect(throws: TensorError.self) { try Self.royals.evaluateAnalogies(contentsOf: missing) }
        for error in [pairsError, questionsError] {
            guard case .io(let path, _) = error else {
                Issue.record("expected TensorError.io, got \(String(describing: error))")
                continue
            }
            #expect(path == missing.path)
        }
    }

    // MARK: Analogies

    /// Two axes, gender and royalty: man (1, 0, 0), woman (0, 1, 0), king and queen one unit of
    /// royalty further; "apple" is unrelated.
    private static let royals = WordVectors(
        words: ["man", "woman", "king", "queen", "apple"],
        vectors: Tensor<Float>(shape: [5, 3], scalars: [1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 0, -1]))

    @Test func analogyOnAHandBuiltTableFindsTheAnswer() {
        let questions = AnalogyQuestions(name: "royals", sections: [
            AnalogySection(name: "family", questions: [AnalogyQuestion("man", "king", "woman", answer: "queen")]),
        ])
        let result = Self.royals.evaluateAnalogies(questions)
        #expect(result.total == AnalogyEvaluation.Section(name: "Total accuracy", correctCount: 1, coveredCount: 1, skippedCount: 0))
        #expect(result.accuracy == 1)
    }

    /// b − a + c is nearest to b itself (a and c nearly coincide), then to "B" (b's vector, another
    /// casing), then to d.
    private static let nearInputs = WordVectors(
        words: ["a", "b", "c", "d", "B"],
        vectors: Tensor<Float>(shape: [5, 3], scalars: [1, 0, 0, 0, 1, 0, 1, 0.1, 0, 0.3, 1, 0.3, 0, 1, 0]))
    private static let nearInputsQuestions = AnalogyQuestions(name: "near", sections: [
        AnalogySection(name: "s", questions: [AnalogyQuestion("a", "b", "c", answer: "d")]),
    ])

    @Test func theQuestionWordsAndTheirOtherCasingsAreNeverTheAnswer() {
        #expect(Self.nearInputs.evaluateAnalogies(Self.nearInputsQuestions).total.correctCount == 1)
        let solver = AnalogySolver(vectors: Self.nearInputs.vectors,
                                   vocabulary: EvaluationVocabulary(words: Self.nearInputs.words, restrictedTo: 5, caseInsensitive: true))
        #expect(solver.answers(to: [AnalogySolver.Question(first: 0, second: 1, third: 2)]) == [3])
    }

    @Test func caseSensitiveAnalogiesTakeAnotherCasingAsAnotherWord() {
        // "B" is then a word of its own, b's twin, and the answer.
        let result = Self.nearInputs.evaluateAnalogies(Self.nearInputsQuestions, caseInsensitive: false)
        #expect(result.total.correctCount == 0 && result.total.coveredCount == 1)
    }

    @Test func restrictedToLimitsBothQuestionsAndCandidates() {
        // "decoy", row 4, is nearer to the query than the answer "queen".
        let table = WordVectors(
            words: ["man", "woman", "king", "queen", "decoy"],
            vectors: Tensor<Float>(shape: [5, 3], scalars: [1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, -0.29, 1, 0.71]))
        let questions = AnalogyQuestions(name: "restricted", sections: [
            AnalogySection(name: "s", questions: [AnalogyQuestion("man", "king", "woman", answer: "queen"),
                                                  AnalogyQuestion("man", "king", "woman", answer: "decoy")]),
        ])
        let restricted = table.evaluateAnalogies(questions, restrictedTo: 4)
        #expect(restricted.total == AnalogyEvaluation.Section(name: "Total accuracy", correctCount: 1, coveredCount: 1, skippedCount: 1))
        let everyRow = table.evaluateAnalogies(questions)
        #expect(everyRow.total == AnalogyEvaluation.Section(name: "Total accuracy", correctCount: 1, coveredCount: 2, skippedCount: 0))
    }

    @Test func accuracyIsCountedPerSectionAndInTotal() {
        let questions = AnalogyQuestions(name: "sections", sections: [
            AnalogySection(name: "s1", questions: [AnalogyQuestion("man", "king", "woman", answer: "queen"),
                                                   AnalogyQuestion("man", "king", "woman", answer: "apple")]),
            AnalogySection(name: "s2", questions: []),
            AnalogySection(name: "s3", questions: [AnalogyQuestion("man", "king", "girl", answer: "princess"),
                                                   AnalogyQuestion("man", "king", "woman", answer: "princess")]),
        ])
        let result = Self.royals.evaluateAnalogies(questions)
        #expect(result.sections == [
            AnalogyEvaluation.Section(name: "s1", correctCount: 1, coveredCount: 2, skippedCount: 0),
            AnalogyEvaluation.Section(name: "s2", correctCount: 0, coveredCount: 0, skippedCount: 0),
            AnalogyEvaluation.Section(name: "s3", correctCount: 0, coveredCount: 0, skippedCount: 2),
        ])
        #expect(result.sections[0].accuracy == 0.5 && result.sections[1].accuracy == 0)
        #expect(result.total == AnalogyEvaluation.Section(name: "Total accuracy", correctCount: 1, coveredCount: 2, skippedCount: 2))
        #expect(result.outOfVocabularyPercentage == 50)
        #expect(result.description == """
            sections: 50.0 % (1 of 2 questions; 2 skipped, 50.0 % out of vocabulary)
              s1: 50.0 % (1/2)
              s2: no question in vocabulary (0 skipped)
              s3: no question in vocabulary (2 skipped)
            """)
    }

    @Test func analogyFilesReadSectionsAndQuestions() throws {
        let url = try Self.temporaryFile(": capitals\nAthens Greece Oslo Norway\n\n:  family \r\nboy girl brother\tsister\n")
        let questions = try AnalogyQuestions(contentsOf: url, name: "mine")
        #expect(questions.name == "mine")
        #expect(questions.sections.map(\.name) == ["capitals", "family"])
        #expect(questions.sections[1].questions == [AnalogyQuestion("boy", "girl", "brother", answer: "sister")])
    }

    @Test func malformedAnalogyFilesNameTheLine() throws {
        let threeWords = try Self.temporaryFile(": s\na b c d\na b c\n")
        #expect(throws: TensorError.malformedFile(path: threeWords.path, offset: 12,
                                                  reason: "line 3: expected a ': section' header or four words 'a b c d', found 3 words")) {
            try AnalogyQuestions(contentsOf: threeWords)
        }
        let noHeader = try Self.temporaryFile("a b c d\n: s\n")
        #expect(throws: TensorError.malformedFile(path: noHeader.path, offset: 0,
                                                  reason: "line 1: a question before the first ': section' header")) {
            try AnalogyQuestions(contentsOf: noHeader)
        }
    }

    @Test func theGoogleSetShipsWithThePackage() throws {
        let url = try AnalogyQuestions.googleFile()
        #expect(sha256Hex(Array(try Data(contentsOf: url)))
                == "8c29b3332afc46f3fb8be04cb5297bf96f39aa7131272dff57869b4485b22a36")
        let google = try AnalogyQuestions.google()
        #expect(google.name == "Google analogies")
        #expect(google.questionCount == 19_544)
        #expect(google.sections.count == 14)
        #expect(google.sections.first?.name == "capital-common-countries" && google.sections.last?.name == "gram9-plural-verbs")
        #expect(google.sections[0].questions[0] == AnalogyQuestion("Athens", "Greece", "Baghdad", answer: "Iraq"))
        let folder = url.deletingLastPathComponent()
        let license = try String(contentsOf: folder.appendingPathComponent("LICENSE"), encoding: .utf8)
        #expect(license.contains("Apache License") && license.contains("Version 2.0, January 2004"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("README.md").path))
    }

    // MARK: The fixture table against gensim and a reference search

    @Test func wordPairsAgreeWithGensim() throws {
        let fixture = try Fixture.shared()
        #expect(fixture.results.wordPairs.count == 4)
        for expected in fixture.results.wordPairs {
            let result = try fixture.table.evaluateWordPairs(contentsOf: fixture.url("pairs.tsv"),
                                                             caseInsensitive: expected.caseInsensitive,
                                                             restrictedTo: expected.restrictVocab)
            let setting = "case-insensitive \(expected.caseInsensitive), restrict \(expected.restrictVocab)"
            #expect(abs(result.spearman - expected.spearman) < 1e-9, "\(setting)")
            #expect(abs(result.pearson - expected.pearson) < 1e-6, "\(setting)")
            #expect(result.usedPairCount == expected.pairsUsed && result.skippedPairCount == expected.pairsSkipped, "\(setting)")
            #expect(abs(result.outOfVocabularyPercentage - expected.oovRatio) < 1e-12, "\(setting)")
        }
    }

    @Test func analogiesAgreeWithGensim() throws {
        let fixture = try Fixture.shared()
        #expect(fixture.results.analogies.count == 4)
        let questions = try AnalogyQuestions(contentsOf: fixture.url("questions.txt"))
        for expected in fixture.results.analogies {
            let result = fixture.table.evaluateAnalogies(questions, caseInsensitive: expected.caseInsensitive,
                                                         restrictedTo: expected.restrictVocab)
            let mine = (result.sections + [result.total]).map {
                Fixture.Results.Section(section: $0.name, correct: $0.correctCount, incorrect: $0.incorrectCount, skipped: $0.skippedCount)
            }
            #expect(mine == expected.sections, "case-insensitive \(expected.caseInsensitive), restrict \(expected.restrictVocab)")
            #expect(result.accuracy == expected.score)
        }
    }

    @Test func answersEqualAReferenceSearchQuestionByQuestion() throws {
        let fixture = try Fixture.shared()
        let questions = try AnalogyQuestions(contentsOf: fixture.url("questions.txt"))
        let dimension = fixture.table.dimension
        var unit = fixture.table.vectors.scalars.map(Double.init)
        for row in 0..<fixture.table.count {
            var squares = 0.0
            for column in 0..<dimension { squares += unit[row * dimension + column] * unit[row * dimension + column] }
            for column in 0..<dimension { unit[row * dimension + column] /= squares.squareRoot() }
        }
        // Every row's score for a question's query, shared by the settings that ask it.
        var scoresOfQuery: [[Int32]: [Double]] = [:]
        for (caseInsensitive, limit) in [(true, 300_000), (true, 1500), (false, 300_000), (false, 1500)] {
            let vocabulary = EvaluationVocabulary(words: fixture.table.words, restrictedTo: limit, caseInsensitive: caseInsensitive)
            let covered = questions.sections.flatMap(\.questions).compactMap { question -> AnalogySolver.Question? in
                guard let a = vocabulary.row(of: question.first), let b = vocabulary.row(of: question.second),
                      let c = vocabulary.row(of: question.third), vocabulary.row(of: question.answer) != nil else { return nil }
                return AnalogySolver.Question(first: Int32(a), second: Int32(b), third: Int32(c))
            }
            let answers = AnalogySolver(vectors: fixture.table.vectors, vocabulary: vocabulary).answers(to: covered)
            let reference = covered.map { question in
                let key = [question.first, question.second, question.third]
                let scores = scoresOfQuery[key] ?? Self.referenceScores(unit: unit, dimension: dimension, question: question)
                scoresOfQuery[key] = scores
                return Self.referenceAnswer(scores: scores.prefix(vocabulary.rowCount), vocabulary: vocabulary, question: question)
            }
            #expect(answers == reference, "case-insensitive \(caseInsensitive), restrict \(limit)")
        }
    }

    @Test func blockAndTileSizesDoNotChangeTheAnswers() throws {
        let fixture = try Fixture.shared()
        let questions = try AnalogyQuestions(contentsOf: fixture.url("questions.txt"))
        let vocabulary = EvaluationVocabulary(words: fixture.table.words, restrictedTo: 300_000, caseInsensitive: true)
        let covered = questions.sections.flatMap(\.questions).compactMap { question -> AnalogySolver.Question? in
            guard let a = vocabulary.row(of: question.first), let b = vocabulary.row(of: question.second),
                  let c = vocabulary.row(of: question.third) else { return nil }
            return AnalogySolver.Question(first: Int32(a), second: Int32(b), third: Int32(c))
        }
        let whole = AnalogySolver(vectors: fixture.table.vectors, vocabulary: vocabulary).answers(to: covered)
        // 7 questions per block and 100 rows per tile: many blocks and tiles, and tiles that end
        // inside a 64-score chunk.
        let cut = AnalogySolver(vectors: fixture.table.vectors, vocabulary: vocabulary, questionsPerBlock: 7,
                                rowsPerTile: 100).answers(to: covered)
        #expect(cut == whole)
    }

    @Test func analogyResultsDoNotDependOnTheThreadCount() throws {
        let fixture = try Fixture.shared()
        let questions = try AnalogyQuestions(contentsOf: fixture.url("questions.txt"))
        let one = withMaximumThreadCount(1) { fixture.table.evaluateAnalogies(questions) }
        let two = withMaximumThreadCount(2) { fixture.table.evaluateAnalogies(questions) }
        let four = withMaximumThreadCount(4) { fixture.table.evaluateAnalogies(questions) }
        #expect(one.sections == two.sections && two.sections == four.sections)
    }

    /// The cosine of every row of `unit` (the unit rows one after another, in Double) with the
    /// question's query, unit(b) + unit(c) − unit(a) scaled to unit length.
    private static func referenceScores(unit: [Double], dimension: Int, question: AnalogySolver.Question) -> [Double] {
        let (a, b, c) = (Int(question.first) * dimension, Int(question.second) * dimension, Int(question.third) * dimension)
        let query = (0..<dimension).map { unit[b + $0] + unit[c + $0] - unit[a + $0] }
        let length = query.reduce(0) { $0 + $1 * $1 }.squareRoot()
        var scores = [Double](repeating: 0, count: unit.count / dimension)
        for row in scores.indices {
            for column in 0..<dimension { scores[row] += unit[row * dimension + column] * query[column] }
            scores[row] /= length
        }
        return scores
    }

    /// gensim's choice written out plainly: the best 8 scores (ties to the lower row), without the
    /// question's rows, the first 5, the first of them whose word is not one of the question's.
    private static func referenceAnswer(scores: ArraySlice<Double>, vocabulary: EvaluationVocabulary,
                                        question: AnalogySolver.Question) -> Int32 {
        let inputs = [Int(question.first), Int(question.second), Int(question.third)]
        let best = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(8)
        var answer: Int32 = -1
        for row in best.filter({ !inputs.contains($0) }).prefix(5) {
            answer = vocabulary.representativeRows[row]
            if !inputs.contains(Int(answer)) { break }
        }
        return answer
    }

    private static func temporaryFile(_ text: String) throws -> URL { try temporaryFile(Data(text.utf8)) }

    private static func temporaryFile(_ data: Data) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("word-vectors-evaluation-\(UUID().uuidString).txt")
        try data.write(to: url)
        return url
    }
}

/// `Fixtures/WordVectorsEvaluation`: a 2 000-word table with questions and pairs drawn from it, and
/// gensim 4.4.0's results for them (made by the folder's `make_fixtures.py`; see its README).
private struct Fixture: Sendable {
    struct Results: Decodable, Sendable {
        struct WordPairs: Decodable, Sendable {
            let caseInsensitive: Bool
            let restrictVocab: Int
            let pearson: Double
            let spearman: Double
            let oovRatio: Double
            let pairsUsed: Int
            let pairsSkipped: Int
        }
        struct Section: Decodable, Sendable, Equatable {
            let section: String
            let correct: Int
            let incorrect: Int
            let skipped: Int
        }
        struct Analogies: Decodable, Sendable {
            let caseInsensitive: Bool
            let restrictVocab: Int
            let score: Double
            let sections: [Section]
        }
        let wordPairs: [WordPairs]
        let analogies: [Analogies]
    }

    let folder: URL
    let table: WordVectors
    let results: Results

    func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    static func shared() throws -> Fixture { try loaded.get() }

    private static let loaded = Result { () throws -> Fixture in
        guard let folder = Bundle.module.url(forResource: "WordVectorsEvaluation", withExtension: nil, subdirectory: "Fixtures") else {
            throw TensorError.io(path: "Fixtures/WordVectorsEvaluation", reason: "not in the test bundle")
        }
        let words = try String(contentsOf: folder.appendingPathComponent("words.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let vectors = try Tensor<Float>(contentsOfNumpyFile: folder.appendingPathComponent("vectors.npy"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let results = try decoder.decode(Results.self, from: Data(contentsOf: folder.appendingPathComponent("gensim_results.json")))
        return Fixture(folder: folder, table: WordVectors(words: words, vectors: vectors), results: results)
    }
}
