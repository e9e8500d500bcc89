#if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
import _Builtin_intrinsics.intel
#endif

/// Square roots over a buffer, four at a time where the baseline target allows.
///
/// On Linux, `Float.squareRoot()` keeps a branch that sets `errno` for negative inputs, which stops
/// the compiler from vectorising any loop containing it (SIMD's `squareRoot()` becomes a `sqrtf` call
/// per lane). SSE's `sqrtps` is part of the baseline x86-64 target and, like `sqrtf`, correctly
/// rounded, so the results are the same.
///
/// Kernel precondition: `values` addresses `count` live elements.
package enum VectorSquareRoot {
    /// `values[i] = √values[i]` for `i` in `0..<count`.
    package static func formSquareRoots(_ values: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        #if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
        while i + 4 <= count {
            let lanes = UnsafeRawPointer(values + i).loadUnaligned(as: SIMD4<Float>.self)
            UnsafeMutableRawPointer(values + i).storeBytes(of: _mm_sqrt_ps(lanes), as: SIMD4<Float>.self)
            i += 4
        }
        #endif
        while i < count {
            values[i] = values[i].squareRoot()
            i += 1
        }
    }
}
