import Foundation
import Testing
@testable import Tensor

/// Saves that die part-way: the previous checkpoint stays intact, and the one temporary file a
/// save writes is reused by the next save instead of piling up.
@Suite struct InterruptedSaveTests {
    /// Starts a save of `path` in a child process and kills it (SIGKILL) after `bytes` bytes.
    private func killSaveMidWrite(_ path: String, afterBytes bytes: Int) async {
        await #expect(processExitsWith: .signal(SIGKILL)) { [path, bytes] in
            let url = URL(fileURLWithPath: path)
            try writeAtomically(to: url) { (output: inout FileOutput) throws(TensorError) in
                try output.write([UInt8](repeating: 0xAB, count: bytes))
                kill(getpid(), SIGKILL)
            }
        }
    }

    @Test func killedSavesLeaveTheCheckpointAndAtMostOneTemporaryFile() async throws {
        let directory = IOTestDirectory()
        let url = directory.file("model.safetensors")
        let weights = Tensor<Float>(shape: [64, 32], scalars: (0..<2048).map { Float($0) })
        try SafetensorsFile.write(["w": weights], to: url)

        for bytes in [1, 4096, 100_000, 3, 50_000] {
            await killSaveMidWrite(url.path, afterBytes: bytes)
            #expect(directory.contents == [".model.safetensors.partial", "model.safetensors"])
            #expect(try SafetensorsFile(contentsOf: url).tensor(named: "w") == weights)
        }
        // The next save reuses the left-over file, and nothing else remains beside the checkpoint.
        let next = weights.applying(.multiply, scalar: 2)
        try SafetensorsFile.write(["w": next], to: url)
        #expect(directory.contents == ["model.safetensors"])
        #expect(try SafetensorsFile(contentsOf: url).tensor(named: "w") == next)
    }

    @Test func concurrentSavesOfOneCheckpointTakeTurns() async throws {
        let directory = IOTestDirectory()
        let url = directory.file("model.safetensors")
        let versions = (0..<8).map { version in
            Tensor<Float>(shape: [256, 64], scalars: (0..<(256 * 64)).map { Float($0 + version) })
        }
        await withTaskGroup(of: Void.self) { group in
            for version in versions {
                group.addTask { try? SafetensorsFile.write(["w": version], to: url) }
            }
        }
        // Whichever save came last, the file is one complete version of the eight.
        let saved = try SafetensorsFile(contentsOf: url).tensor(named: "w")
        #expect(versions.contains(saved))
        #expect(directory.contents == ["model.safetensors"])
    }
}
