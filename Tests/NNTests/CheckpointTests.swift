import Foundation
import Testing
import NN

/// A small model with nested children, so parameter names are dotted paths.
private final class TinyModel<Scalar: FloatingTensorScalar>: Module {
    let projection: Linear<Scalar>
    let norm: LayerNorm<Scalar>
    var isTraining = true
    var namedChildren: [(name: String, module: any Module<Scalar>)] { [("projection", projection), ("norm", norm)] }

    init(seed: UInt64, width: Int = 3) {
        projection = Linear(inputSize: 4, outputSize: width, generator: Generator(seed: seed))
        norm = LayerNorm(normalizedShape: [width])
        norm.weight!.value = Tensor.randn([width], generator: Generator(seed: seed + 1))
    }
}

private func temporaryURL(_ name: String) -> URL {
    FileManager.default.temporaryDirectory
        .appendingPathComponent("nn-checkpoint-\(UUID().uuidString)")
        .appendingPathComponent(name)
}

private func makeDirectory(for url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
}

@Suite struct CheckpointTests {
    @Test func saveThenLoadRestoresEveryParameter() throws {
        let url = temporaryURL("model.safetensors")
        try makeDirectory(for: url)
        let saved = TinyModel<Float>(seed: 1), restored = TinyModel<Float>(seed: 2)
        try saved.save(to: url, metadata: ["step": "10"])
        try restored.load(from: url)
        #expect(bitPatterns(restored.stateDict()) == bitPatterns(saved.stateDict()))
        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.names == ["norm.bias", "norm.weight", "projection.bias", "projection.weight"])
        #expect(file.dtype(of: "projection.weight") == .float32)
        #expect(file.metadata == ["step": "10"])
    }

    @Test func doubleModulesAreStoredAsF64() throws {
        let url = temporaryURL("model.safetensors")
        try makeDirectory(for: url)
        try TinyModel<Double>(seed: 3).save(to: url)
        #expect(try SafetensorsFile(contentsOf: url).dtype(of: "norm.weight") == .float64)
    }

    @Test func saveLeavesNoTemporaryFilesBehind() throws {
        let url = temporaryURL("model.safetensors")
        try makeDirectory(for: url)
        try TinyModel<Float>(seed: 4).save(to: url)
        try TinyModel<Float>(seed: 5).save(to: url)
        let contents = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
        #expect(contents == ["model.safetensors"])
    }

    @Test func shapeMismatchThrowsAndChangesNothing() throws {
        let url = temporaryURL("model.safetensors")
        try makeDirectory(for: url)
        try TinyModel<Float>(seed: 6, width: 5).save(to: url)
        let model = TinyModel<Float>(seed: 7)
        let before = model.stateDict()
        #expect(throws: TensorError.self) { try model.load(from: url) }
        #expect(bitPatterns(model.stateDict()) == bitPatterns(before))
    }

    @Test func unknownOrMissingNamesThrowAndChangeNothing() throws {
        let url = temporaryURL("model.safetensors")
        try makeDirectory(for: url)
        let model = TinyModel<Float>(seed: 8)
        let before = model.stateDict()
        var extra = TinyModel<Float>(seed: 9).stateDict()
        extra["head.weight"] = .zeros([2])
        try SafetensorsFile.write(extra, to: url)
        #expect(throws: TensorError.self) { try model.load(from: url) }
        var missing = TinyModel<Float>(seed: 9).stateDict()
        missing["norm.bias"] = nil
        try SafetensorsFile.write(missing, to: url)
        #expect(throws: TensorError.missingTensor(name: "norm.bias")) { try model.load(from: url) }
        #expect(bitPatterns(model.stateDict()) == bitPatterns(before))
    }

    @Test func loadConvertsOtherFloatingPrecisions() throws {
        let url = temporaryURL("model.safetensors")
        try makeDirectory(for: url)
        let source = TinyModel<Double>(seed: 10)
        try source.save(to: url)
        let model = TinyModel<Float>(seed: 11)
        try model.load(from: url)
        #expect(bitPatterns(model.projection.weight.value) == bitPatterns(source.projection.weight.value.scalars.map { Float($0) }))
    }
}
