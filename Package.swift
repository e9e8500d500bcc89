// swift-tools-version: 6.2
import PackageDescription

// No package dependencies, on purpose: the project builds with the toolchain alone.
let package = Package(
    name: "swift-autograd",
    // Synchronization's Atomic and Mutex (thread limits, the storage cache) need these on Apple
    // platforms; Linux has no minimum.
    platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
    products: [
        .library(name: "Tensor", targets: ["Tensor"]),
        .library(name: "Autograd", targets: ["Autograd"]),
        .library(name: "NN", targets: ["NN"]),
        .executable(name: "train-embeddings", targets: ["train-embeddings"]),
        .executable(name: "benchmarks", targets: ["benchmarks"]),
    ],
    targets: [
        // The inner loops that need instructions beyond the baseline target, compiled per level with
        // per-function target attributes and chosen at run time (Kernels/InstructionSet.swift).
        .target(name: "TensorSIMD", path: "Sources/Tensor/Kernels/SIMD",
                linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),
        .target(name: "Tensor", dependencies: ["TensorSIMD"], exclude: ["Kernels/SIMD"]),
        // A shim over an MPI library loaded at run time (dlopen), for the process groups of NN; the
        // package never links MPI.
        .target(name: "MPIShim", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        .target(name: "Autograd", dependencies: ["Tensor"]),
        // GPT-2's tokenizer files ship with NN (`BytePairTokenizer.gpt2()`), with their license;
        // so does word2vec's analogy test set (`AnalogyQuestions.google()`), with its license.
        .target(name: "NN", dependencies: ["Autograd", "MPIShim"],
                resources: [.copy("Resources/GPT2"), .copy("Resources/WordVectorEvaluation")]),
        .executableTarget(name: "train-embeddings", dependencies: ["NN"], path: "Examples/TrainEmbeddings"),
        .executableTarget(name: "benchmarks", dependencies: ["NN"], path: "Benchmarks"),
        .testTarget(name: "TensorTests", dependencies: ["Tensor"], resources: [.copy("Fixtures")]),
        .testTarget(name: "AutogradTests", dependencies: ["Autograd"]),
        // Stands in for swift-numerics beside `import NN` in the tests of everyday user code.
        .target(name: "NumericsStandIn", path: "Tests/NumericsStandIn"),
        // The data-parallel training run that the equivalence checks repeat on N ranks and on one
        // process: by NNTests on threads, by `distributed-check` under mpirun (`.ci/run`).
        .target(name: "DistributedScenarios", dependencies: ["NN"], path: "Tests/DistributedScenarios"),
        .executableTarget(name: "distributed-check", dependencies: ["DistributedScenarios"], path: "Tests/DistributedCheck"),
        .testTarget(name: "NNTests", dependencies: ["NN", "NumericsStandIn", "DistributedScenarios"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "TrainEmbeddingsTests", dependencies: ["train-embeddings"]),
    ],
    swiftLanguageModes: [.v6]
)
