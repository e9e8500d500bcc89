import Foundation
import NN

extension Experiment {
    /// The colour of each planted class in the pictures.
    static let classColors = ["animal": "#1f77b4", "food": "#e8710a", "place": "#2ca02c", "verb": "#d62728"]
    /// The most tokens labelled in the embedding picture of a user's text.
    static let plottedTokenLimit = 150

    /// Prints the evidence that the embeddings learned and writes every output file.
    func report(curve: [LossChart.Point]) throws {
        let references = printLossEvidence(curve: curve)
        let table = model.token.weight.value
        printNeighbors(CosineNeighbors(table: table))
        try writeFiles(curve: curve, references: references, table: table)
    }

    /// Held-out loss against the baselines; returns the baselines to draw.
    private func printLossEvidence(curve: [LossChart.Point]) -> [LossChart.Reference] {
        let finalLoss = curve.last!.heldOutLoss
        let baseline = unigramEntropy(of: trainTokens)
        let change = 100 * (baseline - finalLoss) / baseline
        print("held-out loss \(format(finalLoss, decimals: 4)) nats/token vs unigram baseline \(format(baseline, decimals: 4)) "
              + "(entropy of the training unigram distribution): "
              + "\(format(abs(change), decimals: 1))% \(change >= 0 ? "lower" : "higher")")
        if let best = curve.min(by: { $0.heldOutLoss < $1.heldOutLoss }), best.heldOutLoss < 0.98 * finalLoss {
            print("  the held-out loss was lowest (\(format(best.heldOutLoss, decimals: 4))) after step \(best.step) and rose "
                  + "afterwards: the model overfits this text; try --steps \(best.step) or a longer text")
        }
        var references = [LossChart.Reference(label: "unigram baseline", loss: baseline)]
        if !classOfToken.isEmpty {
            // The grammar makes each next word depend on the current one only through its class,
            // so the bigram entropy is (nearly) the best any model of this shape can reach.
            let floor = bigramEntropy(of: trainTokens)
            print("  (bigram entropy of the training text, the floor for a model that sees one token: "
                  + "\(format(floor, decimals: 4)))")
            references.append(LossChart.Reference(label: "bigram entropy", loss: floor))
        }
        return references
    }

    /// Nearest neighbours of a few words and, for the generated corpus, how well classes cluster.
    private func printNeighbors(_ neighbors: CosineNeighbors) {
        print("")
        print("nearest neighbours (cosine similarity of token embeddings):")
        for id in probeTokens() {
            let list = neighbors.nearest(to: id, count: 5)
                .map { "\(tokenizer.tokens[$0.row]) \(format($0.similarity, decimals: 2))" }
                .joined(separator: ", ")
            print("  \(tokenizer.tokens[id].rightPadded(to: 10)) → \(list)")
        }

        if !classOfToken.isEmpty {
            print("")
            var line = "same-class precision@5:"
            for wordClass in PlantedClassCorpus.classes {
                let labels = classOfToken.filter { $0.value == wordClass.name }
                line += " \(wordClass.name) \(format(neighbors.precision(atK: 5, labels: labels), decimals: 2)),"
            }
            let chance = classOfToken.values.reduce(0.0) { sum, name in
                sum + Double(classOfToken.values.filter { $0 == name }.count - 1) / Double(tokenizer.vocabularySize - 1)
            } / Double(classOfToken.count)
            print(line + " all \(format(neighbors.precision(atK: 5, labels: classOfToken), decimals: 2)) "
                  + "(chance \(format(chance, decimals: 2)))")
        }
    }

    private func writeFiles(curve: [LossChart.Point], references: [LossChart.Reference], table: Tensor<Float>) throws {
        try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        let checkpointURL = outputDirectory.appending(path: "embeddings.safetensors")
        let vocabularyURL = outputDirectory.appending(path: "vocabulary.json")
        let lossURL = outputDirectory.appending(path: "loss.svg")
        let mapURL = outputDirectory.appending(path: "embeddings.svg")
        try model.save(to: checkpointURL, metadata: [
            "steps": String(resumedSteps + options.steps), "positional": model.positionalEncoding.rawValue,
            "dim": String(model.token.embeddingSize), "context": String(model.contextLength),
            "seed": String(options.seed), "vocabulary": "vocabulary.json",
        ])
        try tokenizer.save(to: vocabularyURL)
        let title = options.textFile == nil ? "generated corpus" : corpusDescription
        try LossChart(points: curve, references: references, title: "Next-token loss, \(title)").document().write(to: lossURL)
        try embeddingMap(table: table, title: title).document().write(to: mapURL)

        print("")
        print("files:")
        let shapes = model.namedParameters.map { "\($0.name) \($0.parameter.shape)" }.joined(separator: ", ")
        print("  \(checkpointURL.relativePath)  (\(shapes))")
        print("  \(vocabularyURL.relativePath)  (\(tokenizer.vocabularySize) words)")
        print("  \(lossURL.relativePath)  (training and held-out loss)")
        print("  \(mapURL.relativePath)  (token embeddings, first two principal components)")
    }

    /// Words whose neighbours are printed: one per planted class, or the most frequent longer words.
    private func probeTokens() -> [Int] {
        if !classOfToken.isEmpty {
            return ["cat", "bread", "garden", "eats"].compactMap { tokenizer.id(for: $0) }
        }
        return frequentTokens().filter { id in
            let word = tokenizer.tokens[id]
            return word.count >= 4 && word.allSatisfy(\.isLetter)
        }.prefix(6).map { $0 }
    }

    /// Token ids by falling frequency in the training text (ties by id).
    private func frequentTokens() -> [Int] {
        var counts = [Int](repeating: 0, count: tokenizer.vocabularySize)
        for token in trainTokens { counts[token] += 1 }
        return counts.indices.sorted { counts[$0] > counts[$1] || (counts[$0] == counts[$1] && $0 < $1) }
    }

    private func embeddingMap(table: Tensor<Float>, title: String) -> EmbeddingMap {
        let shown = classOfToken.isEmpty ? Array(frequentTokens().prefix(Self.plottedTokenLimit)) : Array(0..<table.shape[0])
        let fitted = classOfToken.isEmpty ? shown : classOfToken.keys.sorted()
        let components = PrincipalComponents(of: table, count: 2, fittedRows: fitted)
        let tokens = shown.map { id in
            EmbeddingMap.Token(label: tokenizer.tokens[id], position: (components.projections[id][0], components.projections[id][1]),
                               group: classOfToken[id])
        }
        let groups = classOfToken.isEmpty ? [] : PlantedClassCorpus.classes.map { ($0.name, Self.classColors[$0.name]!) }
        let share = components.variances.map { format(100 * $0 / components.totalVariance, decimals: 1) }
        let fittedWords = classOfToken.isEmpty ? "the \(fitted.count) most frequent words" : "the class words"
        return EmbeddingMap(tokens: tokens, groups: groups,
                            axisTitles: ("principal component 1 (\(share[0])% of the variance of \(fittedWords))",
                                         "principal component 2 (\(share[1])%)"),
                            title: "Token embeddings, \(title)")
    }

    /// The conditional entropy in nats of a token given the one before it, from counts.
    private func bigramEntropy(of tokens: [Int]) -> Double {
        var pairCounts: [Int: Int] = [:]
        var firstCounts: [Int: Int] = [:]
        let vocabularySize = tokenizer.vocabularySize
        for (current, next) in zip(tokens, tokens.dropFirst()) {
            pairCounts[current * vocabularySize + next, default: 0] += 1
            firstCounts[current, default: 0] += 1
        }
        let total = Double(tokens.count - 1)
        return pairCounts.keys.sorted().reduce(0.0) { entropy, pair in
            let count = Double(pairCounts[pair]!)
            return entropy - count / total * Foundation.log(count / Double(firstCounts[pair / vocabularySize]!))
        }
    }
}
