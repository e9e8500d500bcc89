import Foundation
import NN

// The benchmark suite: the cases of the PyTorch reference script (same names, shapes and JSON
// schema) plus a memory-bandwidth baseline measured in the same run, so every result reads as a
// ratio to PyTorch and to the machine's limit.

let options: Options
switch Options.parse(Array(CommandLine.arguments.dropFirst())) {
case .success(let parsed):
    options = parsed
case .failure(let error):
    if let message = error.message {
        FileHandle.standardError.write(Data("benchmarks: \(message)\n\(Options.usage)\n".utf8))
        exit(2)
    }
    print(Options.usage)
    exit(0)
}

if let textPath = options.textPath, !FileManager.default.isReadableFile(atPath: textPath) {
    FileHandle.standardError.write(Data("benchmarks: --text \(textPath): no such readable file\n".utf8))
    exit(2)
}
if let threads = options.threads { ParallelConfiguration.maximumThreadCount = threads }
let reporter = Reporter(json: options.json,
                        bandwidthGigabytesPerSecond: BandwidthBaseline.measure(megabytes: options.quick ? 64 : 256))
reporter.printHeader(threads: ParallelConfiguration.maximumThreadCount, instructionSet: InstructionSet.current)

func selected(_ name: String) -> Bool { options.filter.map { name.contains($0) } ?? true }

for embeddingCase in EmbeddingCase.all where !options.quick || embeddingCase.name == "book" {
    try embeddingCase.run(reporter.report, filter: selected)
}
if selected("autograd/chain100_4x4/forward_backward") { chainCase(reporter.report) }
let languageModelName = options.quick ? "model/lm_V1024_D64_B8_T32/step" : "model/lm_V8192_D128_B16_T64/step"
if selected(languageModelName) { try languageModelCase(quick: options.quick, reporter.report) }
if selected(options.quick ? "tensor/matmul_256/forward" : "tensor/matmul_512/forward") { matmulCase(quick: options.quick, reporter.report) }
try ioCases(quick: options.quick, filter: selected, reporter.report)
if let textPath = options.textPath, selected("text/gpt2_encode/encode") {
    do {
        try textCase(path: textPath, reporter.report)
    } catch {
        FileHandle.standardError.write(Data("benchmarks: cannot time GPT-2 encoding of \(textPath): \(error.localizedDescription)\n".utf8))
        exit(1)
    }
}
