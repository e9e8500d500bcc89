import Foundation
import NN

extension WordVectorExperiment {
    /// Words whose neighbours are shown when the text has them.
    static let probeWords = ["king", "water", "red", "three", "run", "good", "france", "house"]
    /// The most words drawn in the map, and labelled.
    static let plottedWordLimit = 150
    static let labelledWordLimit = 40

    /// Prints the nearest neighbours and the scores, and writes every output file.
    func report(_ outcome: Outcome) throws {
        let vectors = WordVectors(words: vocabulary.words, vectors: tables.inputWeight.value)
        // The update after the last finite loss can still overshoot: no vectors that are not numbers.
        guard vectors.vectors.scalars.allSatisfy(\.isFinite) else {
            throw TrainingDiverged(epoch: options.epochs, share: 1, learningRate: options.learningRate, batchSize: batchSize)
        }
        let probes = options.probeWords
            ?? (options.textFile == nil ? ["cat", "bread", "garden", "eats"] : Self.defaultProbeWords(in: vectors))
        Self.printNeighbors(of: probes, in: vectors)
        printClassPrecision(vectors)
        Self.printScores(of: vectors, on: evaluationSets)
        try writeFiles(vectors, outcome: outcome)
    }

    /// The nearest neighbours of each of `words` that `vectors` has.
    static func printNeighbors(of words: [String], in vectors: WordVectors) {
        print("nearest neighbours (cosine similarity of the word vectors):")
        for word in words {
            guard let neighbors = vectors.nearest(to: word, count: 5) else {
                print("  \(word.rightPadded(to: 10)) (not in the vocabulary)")
                continue
            }
            let list = neighbors.map { "\($0.word) \(format($0.similarity, decimals: 2))" }.joined(separator: ", ")
            print("  \(word.rightPadded(to: 10)) → \(list)")
        }
    }

    /// Each evaluation's result, when there are any.
    static func printScores(of vectors: WordVectors, on sets: [EvaluationSet]) {
        guard !sets.isEmpty else { return }
        print("")
        print("scores (gensim's conventions: case-insensitive, pairs and questions with an unknown word skipped):")
        let start = DispatchTime.now().uptimeNanoseconds
        for set in sets { print("  " + set.score(vectors)) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print("  [scored in \(format(seconds, decimals: 1)) s]")
    }

    /// The same-class precision of the generated corpus's planted classes.
    private func printClassPrecision(_ vectors: WordVectors) {
        let classes = plantedClasses(vectors)
        guard !classes.isEmpty else { return }
        let neighbors = CosineNeighbors(table: vectors.vectors)
        var line = "same-class precision@5:"
        for wordClass in PlantedClassCorpus.classes {
            let labels = classes.filter { $0.value == wordClass.name }
            line += " \(wordClass.name) \(format(neighbors.precision(atK: 5, labels: labels), decimals: 2)),"
        }
        print(line + " all \(format(neighbors.precision(atK: 5, labels: classes), decimals: 2))")
    }

    /// The planted class of each row, for the generated corpus.
    private func plantedClasses(_ vectors: WordVectors) -> [Int: String] {
        guard options.textFile == nil else { return [:] }
        var classes: [Int: String] = [:]
        for (row, word) in vectors.words.enumerated() {
            if let name = PlantedClassCorpus.wordClass(of: word) { classes[row] = name }
        }
        return classes
    }

    /// The probe words `vectors` has, topped up with its first (most frequent) words of four letters
    /// or more, up to six.
    static func defaultProbeWords(in vectors: WordVectors) -> [String] {
        var words = probeWords.filter { vectors.index(of: $0) != nil }
        for word in vectors.words where words.count < 6 {
            if word.count >= 4 && word.allSatisfy(\.isLetter) && !words.contains(word) { words.append(word) }
        }
        return Array(words.prefix(8))
    }

    /// Writes `vectors.txt`, `vectors.tsv` and `metadata.tsv` (and `vectors.bin` when exported) into
    /// `directory`, which exists; returns the lines that name them, for the list of files.
    static func writeVectorFiles(_ vectors: WordVectors, into directory: URL, exports: Set<Options.ExportFormat>,
                                 describing table: String) throws -> [String] {
        let textURL = directory.appending(path: "vectors.txt")
        let binaryURL = directory.appending(path: "vectors.bin")
        let projectorVectors = directory.appending(path: "vectors.tsv")
        let projectorWords = directory.appending(path: "metadata.tsv")
        try vectors.write(to: textURL, format: .word2vecText)
        if exports.contains(.word2vecBinary) { try vectors.write(to: binaryURL, format: .word2vecBinary) }
        try vectors.writeProjectorFiles(vectorsTo: projectorVectors, metadataTo: projectorWords)
        return ["  \(textURL.relativePath)  (\(table) in word2vec's text format, \(vectors.count) × \(vectors.dimension))"]
            + (exports.contains(.word2vecBinary) ? ["  \(binaryURL.relativePath)  (word2vec binary format)"] : [])
            + ["  \(projectorVectors.relativePath), \(projectorWords.lastPathComponent)  (TensorBoard Projector)"]
    }

    private func writeFiles(_ vectors: WordVectors, outcome: Outcome) throws {
        try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        let start = DispatchTime.now().uptimeNanoseconds
        let checkpointURL = outputDirectory.appending(path: "embeddings.safetensors")
        let lossURL = outputDirectory.appending(path: "loss.svg")
        let mapURL = outputDirectory.appending(path: "embeddings.svg")
        let vectorLines = try Self.writeVectorFiles(vectors, into: outputDirectory, exports: options.exports,
                                                    describing: "the word vectors")
        try SafetensorsFile.write(["input.weight": tables.inputWeight.value, "output.weight": tables.output.weight.value],
                                  metadata: ["objective": objective.rawValue, "epochs": String(options.epochs),
                                             "window": String(options.window), "negatives": String(sampler.negatives),
                                             "dim": String(options.embeddingSize), "seed": String(options.seed),
                                             "minCount": String(options.minimumCount), "vectors": "vectors.txt"],
                                  to: checkpointURL)
        let title = options.textFile == nil ? "generated corpus" : corpusDescription
        try EpochLossChart(points: outcome.curve.map { (Double(options.epochs) * $0.progress, $0.loss) },
                           title: "\(objective == .skipgram ? "Skip-gram" : "CBOW") training loss, \(title)")
            .document().write(to: lossURL)
        try map(vectors, title: title).document().write(to: mapURL)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

        print("")
        print("files (written in \(format(seconds, decimals: 1)) s):")
        for line in vectorLines { print(line) }
        print("  \(checkpointURL.relativePath)  (input.weight and output.weight)")
        print("  \(lossURL.relativePath)  (training loss)")
        print("  \(mapURL.relativePath)  (the most frequent words, first two principal components)")
    }

    private func map(_ vectors: WordVectors, title: String) -> EmbeddingMap {
        let classes = plantedClasses(vectors)
        let shown = classes.isEmpty ? Array(0..<min(Self.plottedWordLimit, vectors.count)) : classes.keys.sorted()
        let components = PrincipalComponents(of: vectors.vectors, count: 2, fittedRows: shown)
        let words = shown.enumerated().map { rank, row in
            EmbeddingMap.Token(label: vectors.words[row],
                               position: (components.projections[row][0], components.projections[row][1]),
                               group: classes[row], isLabelled: !classes.isEmpty || rank < Self.labelledWordLimit)
        }
        let groups = classes.isEmpty ? [] : PlantedClassCorpus.classes.map { ($0.name, Experiment.classColors[$0.name]!) }
        let share = components.variances.map { format(100 * $0 / components.totalVariance, decimals: 1) }
        return EmbeddingMap(tokens: words, groups: groups,
                            axisTitles: ("principal component 1 (\(share[0])% of the variance of the words shown)",
                                         "principal component 2 (\(share[1])%)"),
                            title: "Word vectors, \(title)")
    }
}
