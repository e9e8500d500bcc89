import Synchronization

/// PyTorch's CPU random number generator: an mt19937 engine plus the cached second value of
/// the last Box–Muller pair, bit for bit as `torch.Generator()`.
///
/// Every factory that draws random numbers (`Tensor.randn(_:generator:)`,
/// `Tensor.rand(_:generator:)`, ``Tensor/fillNormal(mean:std:generator:)``, …) takes an optional
/// generator and uses ``Generator/default`` when given none, as PyTorch uses its global generator.
/// A generator is safe to share between threads. Each fill takes its lock once and draws all its
/// numbers under it, so concurrent fills never interleave their draws.
///
/// ```swift
/// let generator = Generator(seed: 123)
/// let weights = Tensor<Float>.randn([6, 3], generator: generator)
/// weights[element: [0, 0]]   // 0.33737019, as torch.manual_seed(123); torch.randn(6, 3)
/// ```
public final class Generator: Sendable {
    /// PyTorch's seed for a freshly created `torch.Generator()` (`default_rng_seed_val`).
    public static let defaultSeed: UInt64 = 67_280_421_310_721

    /// The global generator, used whenever a random factory is given no generator.
    ///
    /// Like PyTorch's default CPU generator it starts from a non-deterministic seed; call the
    /// global `manualSeed(_:)` for reproducible runs. Inside ``withManualSeed(_:_:)`` it is that
    /// scope's own generator instead.
    public static var `default`: Generator { scopedDefault ?? processDefault }

    private static let processDefault = Generator(seed: UInt64.random(in: .min ... .max))

    /// Set by `withManualSeed` for the current task (or thread, outside tasks).
    @TaskLocal static var scopedDefault: Generator?

    private let state: Mutex<GeneratorState>

    /// A generator seeded with `seed`, as `torch.Generator().manual_seed(seed)`.
    public init(seed: UInt64 = Generator.defaultSeed) {
        state = Mutex(GeneratorState(seed: seed))
    }

    /// Re-seeds the engine and forgets any cached normal sample, as `Generator.manual_seed`.
    ///
    /// Only the low 32 bits of `seed` reach the engine; ``initialSeed`` keeps all 64.
    public func manualSeed(_ seed: UInt64) {
        state.withLock { $0 = GeneratorState(seed: seed) }
    }

    /// Re-seeds with a signed seed; negative seeds wrap modulo 2^64 as in PyTorch
    /// (`manualSeed(-1)` gives ``initialSeed`` 18446744073709551615).
    public func manualSeed(_ seed: Int64) {
        manualSeed(UInt64(bitPattern: seed))
    }

    /// Re-seeds with a signed seed; negative seeds wrap modulo 2^64 as in PyTorch.
    public func manualSeed(_ seed: Int) {
        manualSeed(Int64(seed))
    }

    /// The seed of the last seeding, all 64 bits (`Generator.initial_seed()`).
    public var initialSeed: UInt64 {
        state.withLock { $0.engine.seed }
    }

    /// The next 32 raw bits of the engine (PyTorch's `random()`).
    public func randomUInt32() -> UInt32 {
        state.withLock { $0.engine.random() }
    }

    /// The next 64 raw bits, two engine draws with the first as the high word (`random64()`).
    public func randomUInt64() -> UInt64 {
        state.withLock { $0.engine.random64() }
    }

    /// Runs `body` with exclusive access to the state; fills call this once, not once per draw.
    func withState<Result>(_ body: (inout GeneratorState) throws -> Result) rethrows -> Result {
        try state.withLock { state in try body(&state) }
    }
}

/// Everything a generator remembers between draws.
struct GeneratorState: Sendable {
    var engine: MersenneTwister
    /// The `r·sin θ` half of the last double Box–Muller pair, returned by the next scalar normal
    /// draw. Vectorised fills neither use nor clear it, as in PyTorch.
    var nextDoubleNormalSample: Double?

    init(seed: UInt64) {
        engine = MersenneTwister(seed: seed)
        nextDoubleNormalSample = nil
    }
}

/// Seeds the global generator ``Generator/default``, as `torch.manual_seed(seed)`.
///
/// ```swift
/// manualSeed(0)
/// Tensor<Float>.rand([2]).scalars   // [0.49625659, 0.7682218]
/// ```
public func manualSeed(_ seed: UInt64) {
    Generator.default.manualSeed(seed)
}

/// Seeds the global generator with a signed seed; negative seeds wrap modulo 2^64.
public func manualSeed(_ seed: Int64) {
    Generator.default.manualSeed(seed)
}

/// Seeds the global generator with a signed seed; negative seeds wrap modulo 2^64.
public func manualSeed(_ seed: Int) {
    Generator.default.manualSeed(seed)
}
