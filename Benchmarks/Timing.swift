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
        return median(of: samples)
    }

    /// Two bodies timed in alternation, one call of each per run, the first call of a run
    /// switching between them so that neither always follows the other: a ratio of the two is
    /// then measured on the same machine state, which on a shared machine drifts from one
    /// millisecond to the next.
    static func measureAlternately(runs: Int, warmUp: Int = 3, _ first: () -> Void,
                                   _ second: () -> Void) -> (Timing, Timing) {
        for _ in 0..<warmUp {
            first()
            second()
        }
        var firstSamples: [Double] = [], secondSamples: [Double] = []
        firstSamples.reserveCapacity(runs)
        secondSamples.reserveCapacity(runs)
        func sample(_ body: () -> Void, into samples: inout [Double]) {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        for run in 0..<runs {
            if run % 2 == 0 {
                sample(first, into: &firstSamples)
                sample(second, into: &secondSamples)
            } else {
                sample(second, into: &secondSamples)
                sample(first, into: &firstSamples)
            }
        }
        return (median(of: firstSamples), median(of: secondSamples))
    }

    private static func median(of samples: [Double]) -> Timing {
        let samples = samples.sorted()
        return Timing(medianMilliseconds: samples[samples.count / 2], minimumMilliseconds: samples[0], runs: samples.count)
    }
}
