import Foundation
import NN

// train-embeddings: the main job of the package. See `Options.usage` or run with --help.

/// The job's ranks: over MPI when started by `mpirun`, else this process alone.
let group: ProcessGroup
do {
    group = try ProcessGroup.world()
} catch {
    FileHandle.standardError.write(Data("train-embeddings: \(error)\n".utf8))
    exit(1)
}

/// Prints `message` (rank 0 only, in a job of several ranks: the others hold the same error)
/// and ends this rank.
private func fail(_ message: String, showingUsage: Bool, status: Int32) -> Never {
    if group.rank == 0 {
        let text = "train-embeddings: \(message)\n" + (showingUsage ? "\n\(Options.usage)\n" : "")
        FileHandle.standardError.write(Data(text.utf8))
    }
    exit(status)
}

if group.size > 1 {
    do {
        try JobAgreement.check(arguments: Array(CommandLine.arguments.dropFirst()), in: group)
    } catch {
        fail("\(error)", showingUsage: false, status: 2)
    }
    // Rank 0 speaks for the job; the others print only errors of their own.
    if group.rank != 0 {
        let null = open("/dev/null", O_WRONLY)
        if null >= 0 { dup2(null, STDOUT_FILENO) }
    }
}

do {
    let options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
    if options.showHelp {
        print(Options.usage)
        exit(0)
    }
    if group.size > 1 && (options.vectorsFile != nil || !options.objective.isWord2Vec) {
        throw UsageError(message: "under mpirun only word2vec trains (--objective skipgram or cbow with --text)",
                         showsUsage: false)
    }
    if let vectors = options.vectorsFile {
        try VectorsInspection(options: options, url: vectors).run()
    } else if options.objective.isWord2Vec {
        try WordVectorExperiment(options: options, group: group).run()
    } else {
        try Experiment(options: options).run()
    }
} catch let error as UsageError {
    fail(error.message, showingUsage: error.showsUsage, status: 2)
} catch {
    fail(Experiment.reason(error), showingUsage: false, status: 1)
}
