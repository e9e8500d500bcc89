import Foundation

/// Held for the duration of a ``withManualSeed(_:_:)`` scope.
private let seededScopeLock = NSLock()

/// Seeds the global generator with `seed` and runs `body` while no other `withManualSeed` scope
/// runs, so that code running concurrently (tests, parallel experiments) cannot interleave its
/// draws with `body`'s when every user of the global generator goes through such a scope.
///
/// Draws made outside any scope are not excluded; give concurrent code its own ``Generator``
/// when it need not share the global stream.
///
/// ```swift
/// let table = withManualSeed(123) { Tensor<Float>.randn([6, 3]) }   // always the seed table
/// ```
public func withManualSeed<Result>(_ seed: UInt64, _ body: () throws -> Result) rethrows -> Result {
    seededScopeLock.lock()
    defer { seededScopeLock.unlock() }
    manualSeed(seed)
    return try body()
}
