import Foundation
package import TensorSIMD

/// The vector instructions the kernels use, chosen once from the CPU.
///
/// The kernels that need more than the baseline target (fused multiply-adds, wide vectors) are
/// compiled once per level and the best level this CPU runs is used, unless the environment
/// variable `SWIFT_AUTOGRAD_ISA` names a lower one (`baseline`, `avx2`, `avx512`; `neon` on arm64).
/// Every level computes the same bits — multiply-adds are fused at every level and no sum is
/// reordered for a wider vector — so the level changes speed only.
///
/// ```swift
/// InstructionSet.supported        // [.baseline, .avx2, .avx512] on a recent x86-64 CPU
/// InstructionSet.current          // .avx512, or what SWIFT_AUTOGRAD_ISA asks for
/// let product = withInstructionSet(.baseline) { a.matmul(b) }   // the same bits, slower
/// ```
public enum InstructionSet: String, CaseIterable, Sendable, Comparable {
    /// x86-64's SSE2, or portable code elsewhere. Without FMA instructions, fused multiply-adds are
    /// the C library's exact `fmaf`.
    case baseline
    /// x86-64 with AVX2 and FMA.
    case avx2
    /// x86-64 with AVX-512 (F, VL, BW, DQ).
    case avx512
    /// arm64, whose baseline includes NEON and FMA.
    case neon

    /// The levels this build has kernels for and this CPU runs, lowest first.
    public static let supported: [InstructionSet] = {
        let levels = sa_supported_levels()
        return allCases.filter { levels & (1 << UInt32($0.cLevel)) != 0 }
    }()

    /// The highest supported level.
    public static var best: InstructionSet { supported.last! }

    /// The level kernels use in the current task: the one set by ``withInstructionSet(_:_:)``, else
    /// the process default (`SWIFT_AUTOGRAD_ISA` when it names a supported level, else ``best``).
    public static var current: InstructionSet { scoped ?? processDefault }

    /// Set by `withInstructionSet` for the current task (or thread, outside tasks).
    @TaskLocal static var scoped: InstructionSet?

    /// The level from `SWIFT_AUTOGRAD_ISA`, or ``best``; an unknown or unsupported name is
    /// reported once on standard error and ignored.
    public static let processDefault: InstructionSet = {
        guard let requested = getenv("SWIFT_AUTOGRAD_ISA").map({ String(cString: $0) }), !requested.isEmpty else {
            return best
        }
        guard let level = InstructionSet(rawValue: requested.lowercased()), supported.contains(level) else {
            let names = supported.map(\.rawValue).joined(separator: ", ")
            let warning = "swift-autograd: SWIFT_AUTOGRAD_ISA=\(requested) is not a level this CPU runs (\(names)); using \(best.rawValue)\n"
            FileHandle.standardError.write(Data(warning.utf8))
            return best
        }
        return level
    }()

    public static func < (lhs: InstructionSet, rhs: InstructionSet) -> Bool { lhs.cLevel < rhs.cLevel }

    private var cLevel: Int32 {
        switch self {
        case .baseline: Int32(SA_LEVEL_BASELINE)
        case .avx2: Int32(SA_LEVEL_AVX2)
        case .avx512: Int32(SA_LEVEL_AVX512)
        case .neon: Int32(SA_LEVEL_NEON)
        }
    }

    /// Pointers to the C tables, which are constants: nothing ever writes through them.
    nonisolated(unsafe) private static let tables: [UnsafePointer<sa_kernels>?] = allCases.map { sa_kernels_for_level($0.cLevel) }

    /// This level's kernel table. Read it once per operation on the calling thread and hand it to
    /// worker threads: they do not see the task's ``withInstructionSet(_:_:)`` scope.
    package var kernels: UnsafePointer<sa_kernels> {
        guard let table = Self.tables[Self.allCases.firstIndex(of: self)!], Self.supported.contains(self) else {
            preconditionFailure("no \(rawValue) kernels on this CPU (supported: \(Self.supported.map(\.rawValue)))")
        }
        return table
    }

    /// The current task's kernel table (see ``kernels``).
    package static var currentKernels: UnsafePointer<sa_kernels> { current.kernels }
}

/// Runs `body` with the kernels of `level` in the current task (and the child tasks it starts),
/// whatever the process default is; other tasks are not affected. The results are the same at
/// every level, so this is for measuring and for checking exactly that.
///
/// Traps when this CPU does not run `level` (see ``InstructionSet/supported``).
///
/// ```swift
/// let products = InstructionSet.supported.map { level in
///     withInstructionSet(level) { a.matmul(b) }   // identical bits at each level
/// }
/// ```
public func withInstructionSet<Result, Failure: Error>(
    _ level: InstructionSet, _ body: () throws(Failure) -> Result
) throws(Failure) -> Result {
    precondition(InstructionSet.supported.contains(level),
                 "withInstructionSet: this CPU does not run \(level.rawValue) (supported: \(InstructionSet.supported.map(\.rawValue)))")
    return try withTaskLocalValue(InstructionSet.$scoped, level, body)
}
