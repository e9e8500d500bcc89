import Foundation
import NN

/// `--vectors FILE`: reads word vectors someone trained (this program, gensim, fastText, GloVe),
/// shows nearest neighbours and scores them with the same evaluations as a training run.
struct VectorsInspection {
    let options: Options
    let url: URL
    let evaluationSets: [EvaluationSet]

    init(options: Options, url: URL) throws(UsageError) {
        self.options = options
        self.url = url
        if let threads = options.threads { ParallelConfiguration.maximumThreadCount = threads }
        evaluationSets = try EvaluationSet.sets(for: options)
    }

    func run() throws(UsageError) {
        let start = DispatchTime.now().uptimeNanoseconds
        let vectors: WordVectors
        do {
            vectors = try WordVectors(contentsOf: url)
        } catch {
            throw UsageError(message: Experiment.message("--vectors", file: url, error: error), showsUsage: false)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print("\(url.path): \(vectors.count) words × \(vectors.dimension) [read in \(format(seconds, decimals: 2)) s]")
        print("")
        let probes = options.probeWords ?? WordVectorExperiment.defaultProbeWords(in: vectors)
        WordVectorExperiment.printNeighbors(of: probes, in: vectors)
        WordVectorExperiment.printScores(of: vectors, on: evaluationSets)
    }
}
