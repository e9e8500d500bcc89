import Foundation
import NN

/// The reference script's io suite: a GPT-2-sized table (50257 × 768) in safetensors, F32 and BF16.
/// `open` opens the file and gets the tensor as `Float` (a mapped F32 table is not read yet, and a
/// BF16 one is not widened yet); `load` does the same and then reads every element once (a sum),
/// which is when a mapped file's bytes really come in and BF16 is widened. `gbps` counts the
/// file's bytes. `io/sum_in_memory_…/sum`, ours only, sums the F32 table from memory.
func ioCases(quick: Bool, filter: (String) -> Bool, _ record: (BenchmarkResult) -> Void) throws {
    let (rows, columns) = quick ? (5000, 768) : (50257, 768)
    let table = Tensor<Float>.randn([rows, columns], generator: Generator(seed: 0))
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("benchmarks-io-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }

    for (name, entry) in [("f32", SafetensorsEntry.float32(table)), ("bf16", .bfloat16(table))] {
        let caseName = "safetensors_\(name)_\(rows)x\(columns)"
        let url = directory.appendingPathComponent("table_\(name).safetensors")
        try SafetensorsFile.write(["weight": entry], to: url)
        let fileBytes = Double(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0)

        if filter("io/\(caseName)/open") {
            let timing = Timing.measure(runs: 7) {
                _ = try! SafetensorsFile(contentsOf: url).tensor(named: "weight")
            }
            record(BenchmarkResult(suite: "io", caseName: caseName, operation: "open",
                                   implementation: "swift-autograd", timing: timing))
        }
        if filter("io/\(caseName)/load") {
            let timing = Timing.measure(runs: 7) {
                _ = try! SafetensorsFile(contentsOf: url).tensor(named: "weight").sum().scalar
            }
            var result = BenchmarkResult(suite: "io", caseName: caseName, operation: "load",
                                         implementation: "swift-autograd", timing: timing)
            result.bytesMoved = fileBytes
            record(result)
        }
    }
    // Not in the reference script: the same sum over the table in memory (already read, not
    // mapped), the floor for `load` on this machine; `load` ÷ this is what the file costs.
    if filter("io/sum_in_memory_\(rows)x\(columns)/sum") {
        let timing = Timing.measure(runs: 7) { _ = table.sum().scalar }
        var result = BenchmarkResult(suite: "io", caseName: "sum_in_memory_\(rows)x\(columns)", operation: "sum",
                                     implementation: "swift-autograd", timing: timing)
        result.bytesMoved = Double(table.count * MemoryLayout<Float>.stride)
        record(result)
    }
}
