import Foundation
import NN

extension Experiment {
    /// The colour of each planted class in the pictures.
    static let classColors = ["animal": "#1f77b4", "food": "#e8710a", "place": "#2ca02c", "verb": "#d62728"]
    /// The most tokens drawn in the embedding picture of a user's text, and the most labelled: the
    /// most frequent ones, few enough that their labels do not cover each other.
    static let plottedTokenLimit = 150
    static let labelledTokenLimit = 40

    /// Prints the evidence that the embeddings learned and writes every output file.
    func report(_ outcome: Outcome) throws {
        let references = printLossEvidence(outcome)
        let table = model.token.weight.value
        printNeighbors(CosineNeighbors(table: table))
        let vectors = WordVectors(words: uniqueLabels(), vectors: table)
        if let words = options.probeWords {
            print("")
            WordVectorExperiment.printNeighbors(of: words, in: vectors)
        }
        WordVectorExperiment.printScores(of: vectors, on: evaluationSets)
        try writeFiles(outcome, references: references, table: table, vectors: vectors)
    }

    /// Every row's label, made unique (a second `�`, say, becomes `�#17`) so that the rows can be
    /// written as word vectors.
    private func uniqueLabels() -> [String] {
        var seen = Set<String>()
        return (0..<vocabulary.count).map { id in
            let text = label(id)
            return seen.insert(text).inserted ? text : "\(text)#\(id)"
        }
    }

    /// Held-out loss against what counting predicts; returns the references to draw.
    private func printLossEvidence(_ outcome: Outcome) -> [LossChart.Reference] {
        let loss = outcome.bestLoss
        // On the very predictions the model's held-out loss averages: each token of the evaluation
        // windows after the one before it.
        let context = model.contextLength
        let starts = heldOutEvaluationWindows.map { $0 * context }
        let baselines = CountBaselines(training: trainTokens,
                                       contexts: starts.flatMap { heldOutTokens[$0..<($0 + context)] },
                                       targets: starts.flatMap { heldOutTokens[($0 + 1)...($0 + context)] },
                                       vocabularySize: vocabulary.count)
        func comparison(_ reference: Double) -> String {
            let change = 100 * (reference - loss) / reference
            return "\(format(abs(change), decimals: 1))% \(change >= 0 ? "lower" : "higher")"
        }
        print("held-out loss \(format(loss, decimals: 4)) nats/token (step \(outcome.bestStep)) vs")
        print("  unigram baseline \(format(baselines.unigram, decimals: 4)) (token frequencies of the training text): "
              + comparison(baselines.unigram))
        print("  smoothed bigram  \(format(baselines.bigram, decimals: 4)) (counts of token pairs, the floor for a model "
              + "that sees one token): \(comparison(baselines.bigram))")
        let span = baselines.unigram - baselines.bigram
        if span > 0 {
            let share = 100 * (baselines.unigram - loss) / span
            print("  the model covers \(format(share, decimals: 0))% of the way from the unigram to the bigram baseline")
        }
        return [LossChart.Reference(label: "unigram baseline", loss: baselines.unigram),
                LossChart.Reference(label: "smoothed bigram", loss: baselines.bigram)]
    }

    /// Nearest neighbours of a few words and, for the generated corpus, how well classes cluster.
    private func printNeighbors(_ neighbors: CosineNeighbors) {
        print("")
        print("nearest neighbours (cosine similarity of token embeddings):")
        for id in probeTokens() {
            let list = neighbors.nearest(to: id, count: 5)
                .map { "\(label($0.row)) \(format($0.similarity, decimals: 2))" }
                .joined(separator: ", ")
            print("  \(label(id).rightPadded(to: 10)) → \(list)")
        }

        if !classOfToken.isEmpty {
            print("")
            var line = "same-class precision@5:"
            for wordClass in PlantedClassCorpus.classes {
                let labels = classOfToken.filter { $0.value == wordClass.name }
                line += " \(wordClass.name) \(format(neighbors.precision(atK: 5, labels: labels), decimals: 2)),"
            }
            let chance = classOfToken.values.reduce(0.0) { sum, name in
                sum + Double(classOfToken.values.filter { $0 == name }.count - 1) / Double(vocabulary.count - 1)
            } / Double(classOfToken.count)
            print(line + " all \(format(neighbors.precision(atK: 5, labels: classOfToken), decimals: 2)) "
                  + "(chance \(format(chance, decimals: 2)))")
        }
    }

    private func writeFiles(_ outcome: Outcome, references: [LossChart.Reference], table: Tensor<Float>,
                            vectors: WordVectors) throws {
        try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        let vectorLines = try WordVectorExperiment.writeVectorFiles(vectors, into: outputDirectory, exports: options.exports,
                                                                    describing: "the token table, rows labelled as above")
        let checkpointURL = outputDirectory.appending(path: "embeddings.safetensors")
        let vocabularyURL = outputDirectory.appending(path: "vocabulary.json")
        let modelVocabularyURL = outputDirectory.appending(path: "model-vocabulary.json")
        let lossURL = outputDirectory.appending(path: "loss.svg")
        let mapURL = outputDirectory.appending(path: "embeddings.svg")
        try model.save(to: checkpointURL, metadata: [
            "steps": String(resumedSteps + outcome.bestStep), "positional": model.positionalEncoding.rawValue,
            "dim": String(model.token.embeddingSize), "context": String(model.contextLength),
            "seed": String(options.seed), "vocabulary": "vocabulary.json", "tokenizer": options.tokenizerKind.rawValue,
            "heldOutLoss": format(outcome.bestLoss, decimals: 6),
        ])
        try tokenizer.save(to: vocabularyURL)
        if !vocabulary.isIdentity {
            let data = try JSONSerialization.data(withJSONObject: vocabulary.document(), options: [.sortedKeys])
            try data.write(to: modelVocabularyURL, options: .atomic)
        }
        let title = options.textFile == nil ? "generated corpus" : corpusDescription
        try LossChart(points: outcome.curve, references: references, title: "Next-token loss, \(title)")
            .document().write(to: lossURL)
        try embeddingMap(table: table, title: title).document().write(to: mapURL)

        print("")
        print("files:")
        let shapes = model.namedParameters.map { "\($0.name) \($0.parameter.shape)" }.joined(separator: ", ")
        print("  \(checkpointURL.relativePath)  (\(shapes), from step \(outcome.bestStep))")
        print("  \(vocabularyURL.relativePath)  (\(options.tokenizerKind.rawValue) tokenizer, \(tokenizer.vocabularySize) entries)")
        if !vocabulary.isIdentity {
            print("  \(modelVocabularyURL.relativePath)  (the tokenizer id of each of the \(vocabulary.count) table rows)")
        }
        for line in vectorLines { print(line) }
        print("  \(lossURL.relativePath)  (training and held-out loss)")
        print("  \(mapURL.relativePath)  (token embeddings, first two principal components)")
    }

    /// The readable label of model id `id`.
    private func label(_ id: Int) -> String { vocabulary.label(id, tokenizer: tokenizer) }

    /// Words whose neighbours are printed: one per planted class, or the most frequent tokens of at
    /// least three letters (a GPT-2 piece's leading space aside).
    private func probeTokens() -> [Int] {
        if !classOfToken.isEmpty {
            return ["cat", "bread", "garden", "eats"].compactMap { word in
                tokenizer.id(for: word).flatMap { vocabulary.modelIDs([$0]).first }
            }
        }
        return frequentTokens().filter { id in
            let word = label(id).drop { $0 == "·" }
            return word.count >= 3 && word.allSatisfy(\.isLetter)
        }.prefix(8).map { $0 }
    }

    /// Token ids by falling frequency in the training text (ties by id).
    private func frequentTokens() -> [Int] {
        var counts = [Int](repeating: 0, count: vocabulary.count)
        for token in trainTokens { counts[token] += 1 }
        return counts.indices.sorted { counts[$0] > counts[$1] || (counts[$0] == counts[$1] && $0 < $1) }
    }

    private func embeddingMap(table: Tensor<Float>, title: String) -> EmbeddingMap {
        let shown = classOfToken.isEmpty ? Array(frequentTokens().prefix(Self.plottedTokenLimit)) : Array(0..<table.shape[0])
        let fitted = classOfToken.isEmpty ? shown : classOfToken.keys.sorted()
        let components = PrincipalComponents(of: table, count: 2, fittedRows: fitted)
        let tokens = shown.enumerated().map { rank, id in
            EmbeddingMap.Token(label: label(id), position: (components.projections[id][0], components.projections[id][1]),
                               group: classOfToken[id], isLabelled: !classOfToken.isEmpty || rank < Self.labelledTokenLimit)
        }
        let groups = classOfToken.isEmpty ? [] : PlantedClassCorpus.classes.map { ($0.name, Self.classColors[$0.name]!) }
        let share = components.variances.map { format(100 * $0 / components.totalVariance, decimals: 1) }
        let fittedWords = classOfToken.isEmpty ? "the \(fitted.count) most frequent words" : "the class words"
        return EmbeddingMap(tokens: tokens, groups: groups,
                            axisTitles: ("principal component 1 (\(share[0])% of the variance of \(fittedWords))",
                                         "principal component 2 (\(share[1])%)"),
                            title: "Token embeddings, \(title)")
    }
}
