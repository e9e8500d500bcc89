import NN
import Foundation

/// One measured case, in the JSON schema of the PyTorch reference script.
struct BenchmarkResult {
    let suite: String
    let caseName: String
    let operation: String
    let implementation: String
    let timing: Timing
    /// Bytes the operation must move by the byte model, when well defined.
    var bytesMoved: Double?
    /// Floating-point operations, for compute-bound cases.
    var floatingPointOperations: Double?
    /// Bytes of input, for cases measured as input consumed per second (text encoding).
    var inputBytes: Int?

    var gigabytesPerSecond: Double? { bytesMoved.map { $0 / (timing.medianMilliseconds / 1e3) / 1e9 } }
    var gigaflops: Double? { floatingPointOperations.map { $0 / (timing.medianMilliseconds / 1e3) / 1e9 } }
    var megabytesPerSecond: Double? { inputBytes.map { Double($0) / 1e6 / (timing.medianMilliseconds / 1e3) } }
}

/// Prints results as JSON lines or as a table.
struct Reporter {
    let json: Bool
    let bandwidthGigabytesPerSecond: Double

    /// The run's settings: threads and the instruction-set level in force (`SWIFT_AUTOGRAD_ISA`).
    func printHeader(threads: Int, instructionSet: InstructionSet) {
        if json {
            emit(["suite": "meta", "impl": "swift-autograd", "threads": threads, "isa": instructionSet.rawValue,
                  "bandwidth_gbps": rounded(bandwidthGigabytesPerSecond)])
        } else {
            print("swift-autograd benchmarks — \(threads) thread(s), \(instructionSet.rawValue) kernels, memory bandwidth "
                  + String(format: "baseline %.1f GB/s", bandwidthGigabytesPerSecond))
            print(pad("case", 44) + pad("impl", 22) + pad("median ms", 12, right: true)
                  + pad("min ms", 12, right: true) + pad("GB/s", 11, right: true) + pad("of peak", 9, right: true))
        }
    }

    func report(_ result: BenchmarkResult) {
        if json {
            var object: [String: Any] = [
                "suite": result.suite, "case": result.caseName, "op": result.operation,
                "impl": result.implementation, "median_ms": rounded(result.timing.medianMilliseconds),
                "min_ms": rounded(result.timing.minimumMilliseconds), "runs": result.timing.runs,
            ]
            if let gbps = result.gigabytesPerSecond {
                object["gbps"] = rounded(gbps)
                object["bandwidth_ratio"] = rounded(gbps / bandwidthGigabytesPerSecond)
            }
            if let gflops = result.gigaflops { object["gflops"] = rounded(gflops) }
            if let inputBytes = result.inputBytes, let megabytesPerSecond = result.megabytesPerSecond {
                object["bytes"] = inputBytes
                object["mb_per_s"] = rounded(megabytesPerSecond)
            }
            emit(object)
        } else {
            let name = "\(result.suite)/\(result.caseName)/\(result.operation)"
            let gbps = result.gigabytesPerSecond.map { String(format: "%.1f", $0) }
                ?? result.gigaflops.map { String(format: "%.0f GF", $0) }
                ?? result.megabytesPerSecond.map { String(format: "%.1f MB/s", $0) } ?? ""
            let ratio = result.gigabytesPerSecond.map { String(format: "%.2f", $0 / bandwidthGigabytesPerSecond) } ?? ""
            print(pad(name, 44) + pad(result.implementation, 22)
                  + pad(String(format: "%.4f", result.timing.medianMilliseconds), 12, right: true)
                  + pad(String(format: "%.4f", result.timing.minimumMilliseconds), 12, right: true)
                  + pad(gbps, 11, right: true) + pad(ratio, 9, right: true))
        }
        fflush(nil)
    }

    private func emit(_ object: [String: Any]) {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    private func rounded(_ value: Double) -> Double { (value * 1e6).rounded() / 1e6 }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }
}
