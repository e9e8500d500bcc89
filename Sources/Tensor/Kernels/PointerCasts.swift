/// The same pointer typed as `T`, for kernel entry points that switch on the concrete scalar type
/// and call a loop (or a C kernel) for it: the caller has checked that `S` is `T`, so the memory is
/// bound to `T` already. Inlinable, so that it costs nothing in the modules that use it.
@inlinable @inline(__always)
package func cast<S, T>(_ pointer: UnsafePointer<S>, _ type: T.Type) -> UnsafePointer<T> {
    UnsafeRawPointer(pointer).assumingMemoryBound(to: T.self)
}

/// The same for mutable pointers.
@inlinable @inline(__always)
package func cast<S, T>(_ pointer: UnsafeMutablePointer<S>, _ type: T.Type) -> UnsafeMutablePointer<T> {
    UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: T.self)
}
