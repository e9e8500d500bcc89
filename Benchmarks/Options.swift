/// Command-line options of the benchmark executable.
struct Options {
    var quick = false
    var json = false
    var filter: String?
    var threads: Int?
    var textPath: String?

    static let usage = """
        usage: benchmarks [--quick] [--json] [--filter NAME] [--threads N] [--text FILE]
          --quick        small versions of every case (a smoke test, under a minute)
          --json         one JSON object per line, the schema of the PyTorch reference script
          --filter NAME  only cases whose suite/case/op contains NAME
          --threads N    at most N threads per kernel (default: all cores)
          --text FILE    also time GPT-2 encoding of FILE (UTF-8; about 1 MB with several scripts)
        The kernels use the best instruction set of this CPU; SWIFT_AUTOGRAD_ISA=baseline|avx2|avx512
        (neon on arm64) forces a lower one. The level in force is the "isa" of the JSON meta line.
        """

    /// Parses `arguments` (without the program name); returns an error message for bad input.
    static func parse(_ arguments: [String]) -> Result<Options, OptionError> {
        var options = Options()
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            switch argument {
            case "--quick": options.quick = true
            case "--json": options.json = true
            case "--filter":
                guard let value = remaining.popFirst() else { return .failure(OptionError("--filter needs a name")) }
                options.filter = value
            case "--threads":
                guard let value = remaining.popFirst(), let count = Int(value), count >= 1 else {
                    return .failure(OptionError("--threads needs a positive whole number"))
                }
                options.threads = count
            case "--text":
                guard let value = remaining.popFirst() else { return .failure(OptionError("--text needs a file")) }
                options.textPath = value
            case "--help", "-h":
                return .failure(OptionError(nil))
            default:
                return .failure(OptionError("unknown option '\(argument)'"))
            }
        }
        return .success(options)
    }
}

struct OptionError: Error {
    /// nil when help was asked for.
    let message: String?
    init(_ message: String?) { self.message = message }
}
