import Tensor

/// The machine's memory bandwidth as this process sees it: the best of several large copies,
/// using every thread kernels may use, counting the bytes read plus the bytes written.
enum BandwidthBaseline {
    static func measure(megabytes: Int) -> Double {
        let count = megabytes * (1 << 20) / MemoryLayout<Float>.stride
        let source = Tensor<Float>.full([count], value: 1)
        var destination = Tensor<Float>.zeros([count])
        var best = Double.infinity
        for _ in 0..<5 {
            let timing = Timing.measure(runs: 1, warmUp: 0) {
                destination.copy(from: source)
            }
            best = min(best, timing.minimumMilliseconds)
        }
        return 2 * Double(count * MemoryLayout<Float>.stride) / (best / 1e3) / 1e9
    }
}
