import Foundation
import NN

// train-embeddings: the main job of the package. See `Options.usage` or run with --help.

private func fail(_ message: String, showingUsage: Bool, status: Int32) -> Never {
    let text = "train-embeddings: \(message)\n" + (showingUsage ? "\n\(Options.usage)\n" : "")
    FileHandle.standardError.write(Data(text.utf8))
    exit(status)
}

do {
    let options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
    if options.showHelp {
        print(Options.usage)
        exit(0)
    }
    if let vectors = options.vectorsFile {
        try VectorsInspection(options: options, url: vectors).run()
    } else if options.objective.isWord2Vec {
        try WordVectorExperiment(options: options).run()
    } else {
        try Experiment(options: options).run()
    }
} catch let error as UsageError {
    fail(error.message, showingUsage: error.showsUsage, status: 2)
} catch {
    fail(Experiment.reason(error), showingUsage: false, status: 1)
}
