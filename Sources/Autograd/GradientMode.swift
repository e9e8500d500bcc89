/// Whether differentiable operations record the graph, per task and thread.
///
/// Stored as a task-local value, so two tasks (or threads) training separate models never see each
/// other's `noGrad { }` blocks.
public enum GradientMode {
    @TaskLocal static var isRecordingEnabled = true

    /// True unless inside ``noGrad(_:)``.
    public static var isEnabled: Bool { isRecordingEnabled }
}

/// Runs `body` without recording operations: results do not require gradients and cost no graph.
///
/// ```swift
/// let evaluation = noGrad { model(ids) }   // evaluation.requiresGrad == false
/// ```
public func noGrad<Result>(_ body: () throws -> Result) rethrows -> Result {
    try GradientMode.$isRecordingEnabled.withValue(false) { try body() }
}

/// Runs `body` with recording switched back on inside an enclosing ``noGrad(_:)``.
public func enableGrad<Result>(_ body: () throws -> Result) rethrows -> Result {
    try GradientMode.$isRecordingEnabled.withValue(true) { try body() }
}
