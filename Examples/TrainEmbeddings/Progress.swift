import Dispatch
import Foundation

/// Shows training progress: in a terminal one line redrawn in place, otherwise (a log file, a
/// pipe, CI) a plain line at each evaluation.
final class ProgressReporter {
    private let totalSteps: Int
    private let tokensPerStep: Int
    private let isTerminal = isatty(STDOUT_FILENO) != 0
    private let startTime = DispatchTime.now().uptimeNanoseconds
    private var lastRedraw: UInt64 = 0
    private var lastWidth = 0
    private var stepsTimed = 0
    private var timedSince: UInt64

    init(totalSteps: Int, tokensPerStep: Int) {
        self.totalSteps = totalSteps
        self.tokensPerStep = tokensPerStep
        timedSince = startTime
    }

    /// After each step: redraws the terminal line, at most ten times a second.
    func stepFinished(_ step: Int, loss: Double, heldOutLoss: Double?) {
        stepsTimed += 1
        guard isTerminal else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastRedraw >= 100_000_000 || step == totalSteps else { return }
        lastRedraw = now
        let line = status(step: step, loss: loss, heldOutLoss: heldOutLoss, now: now)
        let padding = String(repeating: " ", count: max(0, lastWidth - line.count))
        lastWidth = line.count
        print("\r" + line + padding, terminator: "")
        fflush(nil)
    }

    /// Every so often: a line of its own when not in a terminal.
    func log(_ step: Int, loss: Double, heldOutLoss: Double) {
        guard !isTerminal else { return }
        print(status(step: step, loss: loss, heldOutLoss: heldOutLoss, now: DispatchTime.now().uptimeNanoseconds))
        fflush(nil)
    }

    /// Ends the redrawn line so that later output starts on a fresh one.
    func finish() {
        if isTerminal && lastWidth > 0 { print("") }
    }

    /// Seconds since training started.
    var elapsedSeconds: Double { Double(DispatchTime.now().uptimeNanoseconds - startTime) / 1e9 }

    private func status(step: Int, loss: Double, heldOutLoss: Double?, now: UInt64) -> String {
        let seconds = max(Double(now - timedSince) / 1e9, 1e-9)
        let stepsPerSecond = Double(stepsTimed) / seconds
        let remaining = stepsPerSecond > 0 ? Double(totalSteps - step) / stepsPerSecond : 0
        let width = String(totalSteps).count
        var text = "step \(String(step).leftPadded(to: width))/\(totalSteps)  loss \(format(loss, decimals: 4))"
        if let heldOutLoss { text += "  held-out \(format(heldOutLoss, decimals: 4))" }
        text += "  \(rate(stepsPerSecond * Double(tokensPerStep))) tok/s  ETA \(duration(remaining))"
        return text
    }

    private func rate(_ value: Double) -> String {
        if value >= 1e6 { return format(value / 1e6, decimals: 2) + "M" }
        if value >= 1e3 { return format(value / 1e3, decimals: 1) + "k" }
        return format(value, decimals: 0)
    }

    private func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return "\(whole / 60):" + String(whole % 60).leftPadded(to: 2, with: "0")
    }
}

/// `value` with a fixed number of decimals.
func format(_ value: Double, decimals: Int) -> String {
    String(format: "%.\(decimals)f", value)
}

extension String {
    func leftPadded(to width: Int, with pad: Character = " ") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }

    func rightPadded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
