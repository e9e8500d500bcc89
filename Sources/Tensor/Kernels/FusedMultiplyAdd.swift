/// A float fused multiply-add (`a·b + c` rounded once) that vectorises without FMA hardware.
///
/// The default x86-64 target has no FMA instruction, so `Float.addingProduct` becomes a library
/// `fmaf` call per element. The product of two floats is exact in double, so computing
/// `Double(a)·Double(b) + Double(c)` and rounding to float differs from the true fused result only
/// through double rounding, which can go wrong only when the double sum lies exactly on a midpoint
/// between two floats (its 29 bits below float precision read 1000…0), or when the result is a
/// nonzero float subnormal (float precision shrinks there), and only when the double sum was itself
/// rounded (sums of close floats often land exactly on a midpoint, correctly).
/// ``multiplyAdd(_:_:_:ambiguous:)`` flags these cases branch-free, so a kernel runs a block with it, and recomputes the block with
/// ``exactMultiplyAdd(_:_:_:)`` in the rare event that a flag was raised.
///
/// ```swift
/// var ambiguous: UInt32 = 0
/// let r = FloatFusedMultiplyAdd.multiplyAdd(2, 3, 1, ambiguous: &ambiguous)   // 7
/// if FloatFusedMultiplyAdd.isAmbiguous(ambiguous) { /* recompute the block exactly */ }
/// ```
public enum FloatFusedMultiplyAdd {
    /// `a·b + c` through double arithmetic; sets bit 31 of `ambiguous` when the result may differ
    /// from the correctly rounded fused multiply-add.
    @inlinable @inline(__always)
    public static func multiplyAdd(_ a: Float, _ b: Float, _ c: Float, ambiguous: inout UInt32) -> Float {
        let product = Double(a) * Double(b)
        let sum = product + Double(c)
        // The rounding error of the double sum (Knuth's two-sum). When it is zero the double sum
        // is exact and its rounding to float is the fused result, midpoint or not.
        let bVirtual = sum - product
        let error = (product - (sum - bVirtual)) + (Double(c) - bVirtual)
        let inexact: UInt32 = error != 0 ? 0xFFFF_FFFF : 0
        // Zero exactly on a midpoint; subtracting one then sets bit 31 only there.
        var suspect = ((UInt32(truncatingIfNeeded: sum.bitPattern) & 0x1FFF_FFFF) ^ 0x1000_0000) &- 1
        // Nonzero sums below the smallest normal float (2^-126, double bits 0x3810…): float
        // precision shrinks there. With m = magnitude bits − 1, bit 63 of m − (that − 1) is set
        // when m is below it, and bit 63 of m itself only for a zero sum, which is exact.
        let magnitude = (sum.bitPattern & 0x7FFF_FFFF_FFFF_FFFF) &- 1
        let below = magnitude &- (0x3810_0000_0000_0000 &- 1)
        suspect |= UInt32(truncatingIfNeeded: (below & ~magnitude) >> 32)
        ambiguous |= suspect & inexact
        return Float(sum)
    }

    /// `a·b + c` through double arithmetic with a cheaper check than
    /// ``multiplyAdd(_:_:_:ambiguous:)``: it flags every double sum on a float midpoint, rounded or
    /// exact, and every result of magnitude up to the smallest normal float (zero excepted).
    ///
    /// Products with many significant bits (`p − lr·g` with an ordinary learning rate) almost never
    /// land on a midpoint, so a kernel runs this first; plain sums of nearby floats (`x·1 + y`) land
    /// on one half the time, and a block flagged here is rerun with the exact-tie check.
    @inlinable @inline(__always)
    public static func multiplyAddFlaggingEveryTie(_ a: Float, _ b: Float, _ c: Float, ambiguous: inout UInt32) -> Float {
        let sum = Double(a) * Double(b) + Double(c)
        let result = Float(sum)
        // Zero exactly on a midpoint; subtracting one then sets bit 31 only there.
        let midpoint = ((UInt32(truncatingIfNeeded: sum.bitPattern) & 0x1FFF_FFFF) ^ 0x1000_0000) &- 1
        // With m = |result| bits − 1, bit 31 of m − 2²³ is set for results up to the smallest normal
        // float, and bit 31 of m itself only for a zero result (m wraps), which is exact: a sum that
        // cancels to below the float range cancels exactly in double.
        let magnitude = (result.bitPattern & 0x7FFF_FFFF) &- 1
        ambiguous |= midpoint | ((magnitude &- 0x0080_0000) & ~magnitude)
        return result
    }

    /// True when some ``multiplyAdd(_:_:_:ambiguous:)`` accumulated into `ambiguous` may be wrong.
    @inlinable @inline(__always)
    public static func isAmbiguous(_ ambiguous: UInt32) -> Bool { ambiguous & 0x8000_0000 != 0 }

    /// The correctly rounded fused multiply-add (a library call without FMA hardware).
    @inlinable @inline(__always)
    public static func exactMultiplyAdd(_ a: Float, _ b: Float, _ c: Float) -> Float {
        c.addingProduct(a, b)
    }
}

/// How a float kernel evaluates its fused multiply-adds: kernels are generic over the strategy, run a
/// block with ``TieFlaggingFusedMultiplyAdd``, rerun a flagged block with
/// ``DoubleRoundedFusedMultiplyAdd``, and a block flagged again with ``LibraryFusedMultiplyAdd``.
public protocol MultiplyAddStrategy {
    /// `a·b + c` with one rounding; sets bit 31 of `ambiguous` when the result may be wrong.
    static func multiplyAdd(_ a: Float, _ b: Float, _ c: Float, ambiguous: inout UInt32) -> Float
}

/// The quickest fused multiply-add through double arithmetic: flags every float midpoint; see
/// ``FloatFusedMultiplyAdd/multiplyAddFlaggingEveryTie(_:_:_:ambiguous:)``.
public enum TieFlaggingFusedMultiplyAdd: MultiplyAddStrategy {
    @inlinable @inline(__always)
    public static func multiplyAdd(_ a: Float, _ b: Float, _ c: Float, ambiguous: inout UInt32) -> Float {
        FloatFusedMultiplyAdd.multiplyAddFlaggingEveryTie(a, b, c, ambiguous: &ambiguous)
    }
}

/// A fused multiply-add through double arithmetic, which vectorises without FMA hardware; see
/// ``FloatFusedMultiplyAdd`` for when it flags a result.
public enum DoubleRoundedFusedMultiplyAdd: MultiplyAddStrategy {
    @inlinable @inline(__always)
    public static func multiplyAdd(_ a: Float, _ b: Float, _ c: Float, ambiguous: inout UInt32) -> Float {
        FloatFusedMultiplyAdd.multiplyAdd(a, b, c, ambiguous: &ambiguous)
    }
}

/// The platform's correctly rounded `fmaf`: exact, but a call per element without FMA hardware.
public enum LibraryFusedMultiplyAdd: MultiplyAddStrategy {
    @inlinable @inline(__always)
    public static func multiplyAdd(_ a: Float, _ b: Float, _ c: Float, ambiguous: inout UInt32) -> Float {
        FloatFusedMultiplyAdd.exactMultiplyAdd(a, b, c)
    }
}

/// A block of float work whose multiply-adds must each round as one `fma`, evaluated with the
/// cheapest strategy that leaves no doubt: ``TieFlaggingFusedMultiplyAdd`` into scratch space, then
/// ``DoubleRoundedFusedMultiplyAdd`` into scratch space, and only if both flagged something,
/// ``LibraryFusedMultiplyAdd`` in place. The optimizers and the normal fill share this order.
///
/// ```swift
/// struct Axpy: FusedRoundingBlock {          // y = a·x + y over `count` floats
///     let a: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>
///     let scratch: UnsafeMutablePointer<Float>, count: Int
///     func compute<F: MultiplyAddStrategy>(with strategy: F.Type, inPlace: Bool) -> UInt32 {
///         var ambiguous: UInt32 = 0
///         let output = inPlace ? y : scratch
///         for i in 0..<count { output[i] = F.multiplyAdd(a, x[i], y[i], ambiguous: &ambiguous) }
///         return ambiguous
///     }
///     func commit() { y.update(from: scratch, count: count) }
/// }
/// Axpy(a: 0.1, x: x, y: y, scratch: scratch, count: 1024).evaluate()
/// ```
public protocol FusedRoundingBlock {
    /// Computes the block with `strategy` — into scratch space, or into place when `inPlace` —
    /// and returns the ambiguity flags its multiply-adds accumulated.
    func compute<F: MultiplyAddStrategy>(with strategy: F.Type, inPlace: Bool) -> UInt32
    /// Moves the results computed into scratch space into place.
    func commit()
}

extension FusedRoundingBlock {
    /// Computes the block with the cheapest strategy that is certain, and leaves the results in place.
    @inlinable @inline(__always)
    public func evaluate() {
        if !FloatFusedMultiplyAdd.isAmbiguous(compute(with: TieFlaggingFusedMultiplyAdd.self, inPlace: false))
            || !FloatFusedMultiplyAdd.isAmbiguous(compute(with: DoubleRoundedFusedMultiplyAdd.self, inPlace: false)) {
            commit()
        } else {
            _ = compute(with: LibraryFusedMultiplyAdd.self, inPlace: true)
        }
    }
}
