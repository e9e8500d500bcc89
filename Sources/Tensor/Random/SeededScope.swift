/// Runs `body` with a default generator of its own, seeded with `seed`: inside the scope every
/// random factory given no generator — and `manualSeed(_:)` — uses that generator, so the draws
/// are reproducible even while other tasks or threads draw from the process-wide generator.
///
/// The scope belongs to the current task (or thread, outside Swift concurrency) and to the child
/// tasks it starts; threads started by other means (Dispatch) see the process-wide generator.
///
/// ```swift
/// let table = withManualSeed(123) { Tensor<Float>.randn([6, 3]) }   // always the seed table
/// let picked = try withManualSeed(123) { () throws(TensorError) in   // the body's error type is kept
///     try Tensor<Float>.randn([6, 3]).indexSelect(rows: Tensor<Int64>([2, 0]))
/// }
/// ```
public func withManualSeed<Result, Failure: Error>(
    _ seed: UInt64, _ body: () throws(Failure) -> Result
) throws(Failure) -> Result {
    try withTaskLocalValue(Generator.$scopedDefault, Generator(seed: seed), body)
}
