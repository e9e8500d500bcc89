import Dispatch

/// Median and minimum of repeated timed runs, after warm-up runs.
struct Timing {
    let medianMilliseconds: Double
    let minimumMilliseconds: Double
    let runs: Int

    static func measure(runs: Int, warmUp: Int = 3, _ body: () -> Void) -> Timing {
        for _ in 0..<warmUp { body() }
        var samples: [Double] = []
        samples.reserveCapacity(runs)
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        samples.sort()
        return Timing(medianMilliseconds: samples[samples.count / 2], minimumMilliseconds: samples[0], runs: runs)
    }
}
