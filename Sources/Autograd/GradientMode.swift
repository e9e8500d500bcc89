/// Whether differentiable operations record the graph, per task and thread.
///
/// Stored as a task-local value, so two tasks (or threads) training separate models never see each
/// other's `noGrad { }` blocks.
public enum GradientMode {
    /// The task-local switch, spelled out rather than as `@TaskLocal` so that the inlinable
    /// scopes below can name it.
    @usableFromInline static let recording = TaskLocal(wrappedValue: true)

    /// True unless inside ``noGrad(_:)``.
    public static var isEnabled: Bool { recording.get() }
}

/// Runs `body` without recording operations: results do not require gradients and cost no graph.
///
/// The body's error type is kept, so inside a `throws(TensorError)` function `try noGrad { … }`
/// throws `TensorError` too.
///
/// ```swift
/// let evaluation = try noGrad { try model(ids) }   // evaluation.requiresGrad == false
/// ```
@inlinable   // specialised where it is called: the scope is a visible part of a call of a few µs
public func noGrad<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
    try withTaskLocalValue(GradientMode.recording, false, body)
}

/// Runs `body` with recording switched back on inside an enclosing ``noGrad(_:)``.
///
/// ```swift
/// let recorded = noGrad { enableGrad { weight * 2 } }   // recorded.requiresGrad == true
/// ```
@inlinable
public func enableGrad<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
    try withTaskLocalValue(GradientMode.recording, true, body)
}
