/// Binds a task-local value around a synchronous body and keeps the body's error type, so that
/// the library's scopes (`withManualSeed`, `noGrad`, `withMaximumThreadCount`…) fit inside a
/// `throws(TensorError)` function; `TaskLocal.withValue` itself rethrows an untyped error.
@inlinable
package func withTaskLocalValue<Value: Sendable, Result, Failure: Error>(
    _ local: TaskLocal<Value>, _ value: Value, _ body: () throws(Failure) -> Result
) throws(Failure) -> Result {
    let outcome: Swift.Result<Result, Failure> = local.withValue(value) {
        do throws(Failure) { return .success(try body()) } catch { return .failure(error) }
    }
    return try outcome.get()
}
