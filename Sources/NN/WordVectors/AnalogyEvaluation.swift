import Foundation

/// How many analogy questions a table answers right by 3CosAdd, per section and in total: the
/// numbers gensim's `KeyedVectors.evaluate_word_analogies` returns and logs.
///
/// ```swift
/// let result = wordVectors.evaluateAnalogies(try .google())
/// print(result)
/// // For example, for 100-dimensional skip-gram vectors of 41 905 words:
/// // Google analogies: 16.3 % (1296 of 7950 questions; 11594 skipped, 59.3 % out of vocabulary)
/// //   capital-common-countries: …
/// result.accuracy                   // 0.163…, gensim's score
/// result.sections[0].correctCount   // the first section's right answers
/// ```
public struct AnalogyEvaluation: Sendable, CustomStringConvertible {
    /// The counts of one section, or of all of them (``AnalogyEvaluation/total``).
    public struct Section: Sendable, Equatable {
        /// The section's name; gensim names the total "Total accuracy".
        public let name: String
        /// Covered questions answered with the expected word.
        public let correctCount: Int
        /// Questions whose four words are among the evaluated rows: the ones scored.
        public let coveredCount: Int
        /// Questions left out because a word is not among the evaluated rows.
        public let skippedCount: Int

        /// A section's counts, as an evaluation reports them.
        ///
        /// ```swift
        /// let family = AnalogyEvaluation.Section(name: "family", correctCount: 130, coveredCount: 272, skippedCount: 234)
        /// ```
        public init(name: String, correctCount: Int, coveredCount: Int, skippedCount: Int) {
            self.name = name
            self.correctCount = correctCount
            self.coveredCount = coveredCount
            self.skippedCount = skippedCount
        }

        /// Covered questions answered with another word.
        public var incorrectCount: Int { coveredCount - correctCount }

        /// All questions of the section, covered or not.
        public var questionCount: Int { coveredCount + skippedCount }

        /// `correctCount / coveredCount`, or 0 when no question is covered (as gensim scores an
        /// empty section).
        public var accuracy: Double { coveredCount == 0 ? 0 : Double(correctCount) / Double(coveredCount) }
    }

    /// The test's name.
    public let name: String
    /// One entry per section of the test, in file order, empty sections included.
    public let sections: [Section]
    /// All sections together, named "Total accuracy": the entry gensim appends to its list of
    /// sections.
    public let total: Section

    /// Builds the result from per-section counts; ``total`` adds them up.
    public init(name: String, sections: [Section]) {
        self.name = name
        self.sections = sections
        total = Section(name: "Total accuracy",
                        correctCount: sections.reduce(0) { $0 + $1.correctCount },
                        coveredCount: sections.reduce(0) { $0 + $1.coveredCount },
                        skippedCount: sections.reduce(0) { $0 + $1.skippedCount })
    }

    /// The share of covered questions answered right, 0…1: gensim's returned score (0 when no
    /// question is covered).
    public var accuracy: Double { total.accuracy }

    /// The share of questions skipped, in percent, as gensim logs it ("Quadruplets with
    /// out-of-vocabulary words"); 0 for a test without questions.
    public var outOfVocabularyPercentage: Double {
        total.questionCount == 0 ? 0 : 100 * Double(total.skippedCount) / Double(total.questionCount)
    }

    /// A summary line, then one line per section as gensim logs them (`name: 45.3 % (229/506)`);
    /// a section with no covered question says so.
    public var description: String {
        var lines = ["\(name): \(Self.percent(accuracy)) % (\(total.correctCount) of \(total.coveredCount) questions; "
            + "\(total.skippedCount) skipped, \(String(format: "%.1f", outOfVocabularyPercentage)) % out of vocabulary)"]
        for section in sections {
            lines.append(section.coveredCount == 0
                ? "  \(section.name): no question in vocabulary (\(section.skippedCount) skipped)"
                : "  \(section.name): \(Self.percent(section.accuracy)) % (\(section.correctCount)/\(section.coveredCount))")
        }
        return lines.joined(separator: "\n")
    }

    private static func percent(_ share: Double) -> String { String(format: "%.1f", 100 * share) }
}

extension WordVectors {
    /// Scores the table on an analogy file in the format of word2vec's `questions-words.txt`
    /// (read as ``AnalogyQuestions/init(contentsOf:name:)`` reads it) the way gensim's
    /// `KeyedVectors.evaluate_word_analogies` does; see
    /// ``evaluateAnalogies(_:caseInsensitive:restrictedTo:)``.
    ///
    /// - Throws: `TensorError.io(path:reason:)` for an unreadable file,
    ///   `TensorError.malformedFile(path:offset:reason:)` naming a line that is neither a section
    ///   header nor a question.
    ///
    /// ```swift
    /// let result = try wordVectors.evaluateAnalogies(contentsOf: url, restrictedTo: 30_000)
    /// ```
    public func evaluateAnalogies(contentsOf url: URL, caseInsensitive: Bool = true,
                                  restrictedTo mostFrequent: Int = 300_000) throws(TensorError) -> AnalogyEvaluation {
        evaluateAnalogies(try AnalogyQuestions(contentsOf: url), caseInsensitive: caseInsensitive,
                          restrictedTo: mostFrequent)
    }

    /// Scores the table on analogy questions by 3CosAdd, as gensim's
    /// `KeyedVectors.evaluate_word_analogies(analogies, restrict_vocab, case_insensitive)` does.
    ///
    /// Only the first `mostFrequent` rows take part (the most frequent words, when the table is
    /// sorted by falling frequency as trained tables are). A question counts — is covered — when
    /// its four words are among them; the others are skipped and counted. With `caseInsensitive`
    /// (gensim's default) words are compared upper-cased, and a word found in several casings
    /// takes the vector of the first (most frequent) one; words match code point by code point, as
    /// Python compares strings.
    ///
    /// For "a is to b as c is to d" the answer is the row whose unit vector is nearest (by cosine)
    /// to unit(b) − unit(a) + unit(c), among those rows, passing over a, b and c themselves (and
    /// their other casings); it is right when it is d (in any casing, when case is ignored). The
    /// number right equals gensim's, barring rows whose similarities tie to the last float bit:
    /// both compute in float32 but in different orders. A zero vector is similar to nothing here
    /// (cosine 0), where gensim divides by its zero length.
    ///
    /// The questions are scored in blocks, each block's scores one matrix product with the
    /// normalised table (the library's `matmul`), so the cost is that of the products:
    /// 2 · covered questions · rows · dimension floating-point operations, spread over
    /// `ParallelConfiguration.maximumThreadCount` threads; the result is the same for any thread
    /// count. Memory beyond the normalised table is a few megabytes of scores.
    ///
    /// ```swift
    /// let result = wordVectors.evaluateAnalogies(try .google(), restrictedTo: 30_000)
    /// for section in result.sections { print(section.name, section.accuracy) }
    /// print(result.total.coveredCount, result.total.skippedCount)
    /// ```
    public func evaluateAnalogies(_ questions: AnalogyQuestions, caseInsensitive: Bool = true,
                                  restrictedTo mostFrequent: Int = 300_000) -> AnalogyEvaluation {
        let vocabulary = EvaluationVocabulary(words: words, restrictedTo: mostFrequent, caseInsensitive: caseInsensitive)
        // Every covered question of every section, in order, and the row of its expected answer.
        var covered: [AnalogySolver.Question] = []
        var expected: [Int32] = []
        var coveredPerSection: [Int] = []
        var skippedPerSection: [Int] = []
        for section in questions.sections {
            var skipped = 0
            let start = covered.count
            for question in section.questions {
                guard let first = vocabulary.row(of: question.first), let second = vocabulary.row(of: question.second),
                      let third = vocabulary.row(of: question.third), let answer = vocabulary.row(of: question.answer) else {
                    skipped += 1
                    continue
                }
                covered.append(AnalogySolver.Question(first: Int32(first), second: Int32(second), third: Int32(third)))
                expected.append(Int32(answer))
            }
            coveredPerSection.append(covered.count - start)
            skippedPerSection.append(skipped)
        }
        let answers = AnalogySolver(vectors: vectors, vocabulary: vocabulary).answers(to: covered)
        var results: [AnalogyEvaluation.Section] = []
        var start = 0
        for (index, section) in questions.sections.enumerated() {
            let range = start..<(start + coveredPerSection[index])
            let correct = range.filter { answers[$0] == expected[$0] }.count
            results.append(AnalogyEvaluation.Section(name: section.name, correctCount: correct,
                                                     coveredCount: range.count, skippedCount: skippedPerSection[index]))
            start = range.upperBound
        }
        return AnalogyEvaluation(name: questions.name, sections: results)
    }
}
