import Foundation
import Testing
import NN

/// Every ```swift example in the `///` comments of `Sources/` and in the DocC catalogs is compiled,
/// and every example whose comments state a result is run and the result checked:
/// `DocumentationExamples.swift` holds each example as the body of a function, generated from the
/// sources by ``DocumentationExamples`` (which tells the run examples from the compile-only ones).
/// The first test fails when that file is not what the sources give, so an example that stops
/// compiling fails the build of this target; the second runs the examples. After changing an
/// example, regenerate the file with
///
///     SWIFT_AUTOGRAD_UPDATE_EXAMPLES=1 swift test --filter DocumentationExamplesTests
///
/// Names the examples use without declaring them (`url`, `model`, `ids`…) are declared in
/// `DocumentationExampleContext.swift`.
@Suite struct DocumentationExamplesTests {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    private static let generatedFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("DocumentationExamples.swift")

    @Test func everyExampleIsInTheCompiledFile() throws {
        let generated = try DocumentationExamples.generate(root: Self.root)
        if ProcessInfo.processInfo.environment["SWIFT_AUTOGRAD_UPDATE_EXAMPLES"] == "1" {
            try generated.write(to: Self.generatedFile, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: Self.generatedFile, encoding: .utf8)
        #expect(committed == generated, """
            DocumentationExamples.swift is not what the sources' examples give; regenerate it with \
            SWIFT_AUTOGRAD_UPDATE_EXAMPLES=1 swift test --filter DocumentationExamplesTests
            """)
    }

    /// Each file's examples, for the line numbers of the run examples (the generated file numbers
    /// their lines from the opening fence, so that it does not change when the text above does).
    private static let examplesByFile = Dictionary(
        grouping: (try? DocumentationExamples.examples(root: root)) ?? [],
        by: { String($0.location.split(separator: ":")[0]) })

    @Test(arguments: ExecutedDocumentationExamples.all)
    func statedResultsHold(_ example: RunnableDocumentationExample) throws {
        let source = try #require(Self.examplesByFile[example.file].flatMap { examples in
            examples.indices.contains(example.ordinal - 1) ? examples[example.ordinal - 1] : nil
        })
        let fenceLine = Int(source.location.split(separator: ":")[1])!
        let results = StatedResults(path: example.file, fenceLine: fenceLine, statedLines: example.statedLines)
        // A default generator of the example's own: its `manualSeed(123)` seeds that one, and the
        // process-wide generator that other tests draw from is left alone.
        try withManualSeed(0) { try example.run(results) }
        results.expectEveryLineChecked()
    }

    @Test func theExtractorFindsExamples() throws {
        let examples = try DocumentationExamples.examples(root: Self.root)
        #expect(examples.count > 100)
        #expect(examples.contains { $0.location.hasPrefix("Sources/Tensor/Tensor.docc/") })
        let tensor = try #require(examples.first { $0.location.hasPrefix("Sources/Tensor/Core/Tensor.swift") })
        #expect(tensor.lines.contains { $0.contains("Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])") })
        #expect(ExecutedDocumentationExamples.all.count > 60)
        #expect(ExecutedDocumentationExamples.all.contains { $0.file == "Sources/Tensor/Core/Tensor.swift" })
    }

    @Test func aCommentStatesAValueOnlyWhenItBeginsWithOne() {
        #expect(StatedResult.parse(" [2, 4, 6]") == .values(["[2, 4, 6]"]))
        #expect(StatedResult.parse(" true: analytic and numerical gradients agree") == .values(["true"]))
        #expect(StatedResult.parse(" 1.0397 (= −½ ln ½ − 2 · ¼ ln ¼)") == .values(["1.0397"]))
        #expect(StatedResult.parse(" [1, 2, 3, 4], shape [2, 2]") == .values(["[1, 2, 3, 4]"]))
        #expect(StatedResult.parse(" [5, 5, 3]; [i, j] holds row clamp(j - i, -2, 2) + 2") == .values(["[5, 5, 3]"]))
        #expect(StatedResult.parse(" ≈ 0.0329: the most frequent word is mostly dropped") == .values(["0.0329"]))
        #expect(StatedResult.parse(" \"SumBackward0\"") == .values(["\"SumBackward0\""]))
        #expect(StatedResult.parse(" .bfloat16") == .values([".bfloat16"]))
        #expect(StatedResult.parse(" [8, 2, 6, 7], then [0, 3, 9, 1], then [5, 4]")
                == .values(["[8, 2, 6, 7]", "[0, 3, 9, 1]", "[5, 4]"]))
        #expect(StatedResult.parse(" [4], [4], [2]") == .values(["[4]", "[4]", "[2]"]))
        #expect(StatedResult.parse(" throws indexOutOfRange(index: 3, position: [0], bound: 3)")
                == .error("indexOutOfRange(index: 3, position: [0], bound: 3)"))
        #expect(StatedResult.parse(" tensor([[ 0.5000, -2.0000],\n         [ 1.0000, 12.2500]])")
                == .values(["tensor([[ 0.5000, -2.0000],\n         [ 1.0000, 12.2500]])"]))
        // Prose, alternatives, names instead of values, and values inside a sentence state nothing.
        for prose in [" accumulated; a lookup's gradient is stored row-sparse", " Tensor<Int64>", " shape [3, 4]",
                      " 0, 1 or 2; never 3 (count 0)", " .avx512, or what SWIFT_AUTOGRAD_ISA asks for",
                      " [.baseline, .avx2, .avx512] on a recent x86-64 CPU", " [x, y]", " [batch, heads, T, D]",
                      " [8, 4, 256] + [4, 256] → [8, 4, 256]", " 50^0.75 / (50^0.75 + 30^0.75) ≈ 0.458",
                      " tensor([[...]]) as PyTorch prints it", " (581869302 << 32) | 3890346734"] {
            #expect(StatedResult.parse(prose) == nil, "\(prose)")
        }
    }

    @Test func statedValuesMatchAsPrinted() {
        #expect(StatedValueMatching.matches(stated: "[2, 4, 6]", actual: "[2.0, 4.0, 6.0]"))
        #expect(!StatedValueMatching.matches(stated: "[2, 4, 6]", actual: "[2.0, 4.0, 6.5]"))
        #expect(!StatedValueMatching.matches(stated: "6", actual: "6.0001"))
        #expect(StatedValueMatching.matches(stated: "0.3374", actual: "0.33737019"))
        #expect(!StatedValueMatching.matches(stated: "0.3374", actual: "0.3376"))
        #expect(StatedValueMatching.matches(stated: "0.33737019", actual: "0.3373702"))
        #expect(StatedValueMatching.matches(stated: "[-0.6931…, -0.6931…]", actual: "[-0.6931471805599453, -0.6931471805599453]"))
        #expect(!StatedValueMatching.matches(stated: "-0.6931…", actual: "-0.6930999"))
        #expect(StatedValueMatching.matches(stated: "tensor([1., 2.], dtype: Double)", actual: "tensor([1., 2.], dtype: Double)"))
        #expect(StatedValueMatching.matches(stated: "tensor([[ 0.3374, -0.1778, -0.1690], ...",
                                            actual: "tensor([[ 0.3374, -0.1778, -0.1690],\n        [ 0.9178,  1.5810,  1.3010]])"))
        #expect(StatedValueMatching.matches(stated: "\"the duck smells …\"", actual: "\"the duck smells some bread .\""))
        #expect(!StatedValueMatching.matches(stated: "[\" it\"]", actual: "[\"it\"]"))
        #expect(StatedValueMatching.matches(stated: ".bfloat16", actual: "bfloat16"))
        #expect(StatedValueMatching.matches(stated: "4.2e-05", actual: "4.2460004e-05"))
        #expect(!StatedValueMatching.matches(stated: "4.1e-05", actual: "4.2460004e-05"))
        #expect(StatedValueMatching.matches(stated: #"["'s"]"#, actual: #"["\'s"]"#))
    }
}

/// Extracts the examples and writes them as Swift functions, run or only compiled.
///
/// **Stated results.** A comment states a result when it *begins* with a value — a bracketed
/// literal of values (`[2, 4, 6]`, `["token.weight"]`; not `[x, y]`), `tensor(…)`, a quoted string,
/// a number (`6`, `0.2395447`, `-0.6931…`), `true`, `false` or an enum case (`.bfloat16`), after an
/// optional `≈` — and ends there or goes on with an explanation after `:`, `;`, ` (` or `, ` and a
/// word: `// [5, 4]: row 2 holds 2s`. Values joined by `, ` or `, then ` are the values of
/// successive runs of the statement (`for … { print(batch.shape) }  // [4], [4], [2]`); `, or`
/// gives alternatives and states nothing. `// throws name` or `// throws name(values)` states the
/// error the statement throws (its case, and its values if given). Anything else is prose (`// accumulated; …`, `// shape [3, 4]`, `// Tensor<Int64>`,
/// `// [8, 4, 256] + [4, 256] → …`, `// [.avx512] on a recent CPU`). A statement's stated comment
/// is the one on its line or, when the line has none, the comment lines right after it (a printed
/// tensor over several lines).
///
/// **What is checked.** A stated value is checked against the argument of the line's one
/// single-argument `print(…)`, else against the line's last statement when it is complete on the
/// line: a bare expression (when it has no value, as `buffer.copy(from:)`, the `var` it is called on),
/// the name a `let`/`var` declares, or the variable an assignment changes. A stated error is checked
/// on a bare expression. The value matches when one of its texts — `String(describing:)`, a string
/// quoted, a tensor as printed, as nested values, as its scalars in order or as its shape — matches
/// the stated text by ``StatedValueMatching`` (numbers to the decimals stated). A stated value on any
/// other line is prose. A line run several times (in a loop) is checked each time; every checked
/// line must run, as many times as it states values when it states several.
///
/// **Which examples run.** An example with at least one checked line runs, unless it
/// - uses a name of `DocumentationExampleContext.swift` it does not declare: those stand for what
///   the reader has (a file, a trained model, a batch) and trap when read;
/// - touches files or process-wide settings (``compileOnlyMarkers``);
/// - is listed in ``compileOnlyExamples``, with the reason (too slow to run on every test, or
///   stating what the code does not give and left for its owner to settle).
/// Run examples are functions of `ExecutedDocumentationExamples`, where the context's names are
/// unavailable (so misjudging one fails the build), each run with a default generator of its own
/// (`withManualSeed`); the others are private functions that are only compiled. The generated file
/// numbers a run example's lines from its opening fence (the test finds the fence in the sources),
/// so it changes only when examples do, not when text above them does.
enum DocumentationExamples {
    struct Example {
        /// `path:line` of the opening fence.
        let location: String
        let lines: [String]
    }

    /// Text whose presence in an example's code keeps it compile-only, and why.
    static let compileOnlyMarkers: [(text: String, reason: String)] = [
        ("URL(", "touches files"),
        ("FileManager", "touches files"),
        ("ParallelConfiguration.", "changes a process-wide setting"),
        // MPI is initialised once per process and cannot be undone; a test process is no MPI job.
        ("ProcessGroup.mpi()", "loads an MPI library and joins its job (run under mpirun)"),
        ("ProcessGroup.world()", "joins the MPI job when run under mpirun"),
    ]

    /// Examples kept compile-only although they could run, by the first line of their code, and why.
    static let compileOnlyExamples: [(firstLine: String, reason: String)] = [
        // Each builds and fills a 50257×256 table: about 2 s apiece in a debug build, for a shape.
        ("let embedding = Embedding(vocabularySize: 50257, embeddingSize: 256)", "builds a 50257×256 table (slow)"),
        ("let embedding = TokenAndPositionEmbedding(vocabularySize: 50257, embeddingSize: 256, maxLength: 4)",
         "builds a 50257×256 table (slow)"),
        // States 0.2395447 (the exact value is 0.23954477; PyTorch's float32 log-softmax gives about
        // 0.2395448) while the code gives 0.23954487: it subtracts the target logit from the
        // log-sum-exp (2.2395449), which rounds at 2. Left to the library's owner.
        ("let logits = Variable(Tensor<Float>(nested: [[2, 0, 0], [0, 0, 2]]), requiresGrad: true)",
         "its stated loss differs from the code's in the 7th decimal (see compileOnlyExamples)"),
    ]

    /// The examples of every `.swift` file under `Sources/` (in `///` comments) and every `.md`
    /// file of a DocC catalog, in path order.
    static func examples(root: URL) throws -> [Example] {
        let sources = root.appendingPathComponent("Sources")
        guard let walker = FileManager.default.enumerator(atPath: sources.path) else { return [] }
        let paths = walker.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") || ($0.hasSuffix(".md") && $0.contains(".docc/")) }
            .filter { !$0.contains("/Kernels/SIMD/") }
            .sorted()
        var examples: [Example] = []
        for path in paths {
            let text = try String(contentsOf: sources.appendingPathComponent(path), encoding: .utf8)
            let isSwift = path.hasSuffix(".swift")
            var current: (start: Int, lines: [String])?
            for (index, rawLine) in text.components(separatedBy: "\n").enumerated() {
                let trimmed = rawLine.trimmingCharacters(in: .whitespaces)
                let line: String
                if isSwift {
                    guard trimmed.hasPrefix("///") else {
                        current = nil
                        continue
                    }
                    let content = trimmed.dropFirst(3)
                    line = String(content.hasPrefix(" ") ? content.dropFirst() : content)
                } else {
                    line = rawLine
                }
                let fence = line.trimmingCharacters(in: .whitespaces)
                if var open = current {
                    if fence == "```" {
                        examples.append(Example(location: "Sources/\(path):\(open.start)", lines: open.lines))
                        current = nil
                    } else {
                        open.lines.append(line)
                        current = open
                    }
                } else if fence == "```swift" {
                    current = (index + 1, [])
                }
            }
        }
        return examples
    }

    /// The names `DocumentationExampleContext.swift` declares for the examples (`var url: URL { … }`).
    static func contextNames(root: URL) throws -> [String] {
        let context = root.appendingPathComponent("Tests/NNTests/DocumentationExampleContext.swift")
        return try String(contentsOf: context, encoding: .utf8).components(separatedBy: "\n").compactMap { line in
            guard line.hasPrefix("var "), line.hasSuffix("{ neverRun() }") else { return nil }
            return String(line.dropFirst(4).prefix { $0.isLetter || $0.isNumber || $0 == "_" })
        }
    }

    /// The text of `DocumentationExamples.swift`.
    static func generate(root: URL) throws -> String {
        let contextNames = try contextNames(root: root)
        var output = """
            // Generated from the ```swift examples of Sources/ by DocumentationExamplesTests: do not edit.
            // An example whose comments state a result is a function of ExecutedDocumentationExamples,
            // run by the tests with each stated result checked; the others are compiled, never called.
            import Foundation
            import NN
            import Testing

            """
        var countPerFile: [String: Int] = [:]
        var executed: [(file: String, ordinal: Int, function: String, statedLines: [Int: Int])] = []
        for example in try examples(root: root) {
            let file = String(example.location.split(separator: ":")[0])
            countPerFile[file, default: 0] += 1
            let name = file.dropFirst("Sources/".count).replacingOccurrences(of: ".swift", with: "")
                .replacingOccurrences(of: ".md", with: "")
                .map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
            let function = "example_\(name)_\(countPerFile[file]!)"
            let checked = body(example, checking: statedResults(example.lines))
            let reason = compileOnlyReason(example, contextNames: contextNames)
                ?? (checked.statedLines.isEmpty ? "states no result" : nil)
            if let reason {
                output += "\n// \(file), example \(countPerFile[file]!): compiled only, \(reason)\n"
                output += "private func \(function)() throws {\n"
                for line in body(example, checking: [:]).lines { output += line.isEmpty ? "\n" : "    \(line)\n" }
                output += "}\n"
            } else {
                output += "\n// \(file), example \(countPerFile[file]!): run, \(checked.statedLines.count) "
                    + "stated result\(checked.statedLines.count == 1 ? "" : "s") checked\n"
                output += "extension ExecutedDocumentationExamples {\n"
                output += "    fileprivate static func \(function)(_ stated: StatedResults) throws {\n"
                for line in checked.lines { output += line.isEmpty ? "\n" : "        \(line)\n" }
                output += "    }\n}\n"
                executed.append((file, countPerFile[file]!, function, checked.statedLines))
            }
        }
        output += """

            /// The examples that run (each checked by DocumentationExamplesTests.statedResultsHold). The
            /// context's names trap when read, so here they are unavailable.
            enum ExecutedDocumentationExamples {

            """
        for name in contextNames {
            output += "    @available(*, unavailable, message: \"a run example cannot use the context's stand-ins\")\n"
            output += "    static var \(name): Never { fatalError() }\n"
        }
        output += "\n    static let all: [RunnableDocumentationExample] = [\n"
        for (file, ordinal, function, statedLines) in executed {
            let lines = statedLines.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            output += "        RunnableDocumentationExample(\"\(file)\", \(ordinal), statedLines: [\(lines)], \(function)),\n"
        }
        output += "    ]\n}\n"
        return output
    }

    /// Why `example` only compiles although it may state results, or nil.
    static func compileOnlyReason(_ example: Example, contextNames: [String]) -> String? {
        let code = example.lines.map { stripComment($0) }
        if let listed = compileOnlyExamples.first(where: { entry in
            code.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }?
                .trimmingCharacters(in: .whitespaces) == entry.firstLine
        }) {
            return listed.reason
        }
        if let marker = compileOnlyMarkers.first(where: { marker in code.contains { $0.contains(marker.text) } }) {
            return "\(marker.reason) (\(marker.text))"
        }
        let context = Set(contextNames)
        let used = Set(code.flatMap(referencedNames)).intersection(context)
            .subtracting(code.flatMap(declaredNamesAnywhere))
        return used.isEmpty ? nil : "uses the context's " + used.sorted().joined(separator: ", ")
    }

    /// For each line of an example whose comment states a result, that result (see the rule above).
    static func statedResults(_ lines: [String]) -> [Int: StatedResult] {
        var results: [Int: StatedResult] = [:]
        func parts(_ line: String) -> (code: String, comment: String?) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let code = stripComment(trimmed)
            let rest = trimmed.dropFirst(code.count).trimmingCharacters(in: .whitespaces)
            return (code.trimmingCharacters(in: .whitespaces), rest.hasPrefix("//") ? String(rest.dropFirst(2)) : nil)
        }
        for (index, line) in lines.enumerated() {
            let (code, comment) = parts(line)
            guard !code.isEmpty else { continue }
            var text = comment
            if text == nil {
                // The comment lines right after the statement: a printed tensor over several lines.
                let following = lines[(index + 1)...].map(parts).prefix { $0.code.isEmpty && $0.comment != nil }
                if !following.isEmpty {
                    text = following.map { $0.comment!.hasPrefix(" ") ? String($0.comment!.dropFirst()) : $0.comment! }
                        .joined(separator: "\n")
                }
            }
            if let text, let result = StatedResult.parse(text) { results[index] = result }
        }
        return results
    }

    /// The example's lines as a function body: imports dropped, every statement that is a bare
    /// expression passed to `show(_:)` (an example shows a value; compiled as written it would warn
    /// that the value is unused), and every name the example declares used once at the end. The
    /// lines in `checking` check their stated results through `stated` (a `StatedResults`); those
    /// it checks are returned with the number of values each states.
    static func body(_ example: Example, checking: [Int: StatedResult]) -> (lines: [String], statedLines: [Int: Int]) {
        var result: [String] = []
        var statedLines: [Int: Int] = [:]
        var declared: [String] = []
        var variables: [String] = []
        var depth = 0
        for (index, line) in example.lines.enumerated() {
            let indent = String(line.prefix { $0 == " " })
            let code = stripComment(String(line.dropFirst(indent.count)))
            let comment = String(line.dropFirst(indent.count + code.count))
            if code.trimmingCharacters(in: .whitespaces).hasPrefix("import ") { continue }
            let lineNumber = index + 1   // numbered from the opening fence
            let stated = checking[index]
            func checked(_ code: String, values: Int) -> String {
                statedLines[lineNumber] = values
                return indent + code + (comment.isEmpty ? "" : "  " + comment)
            }
            // A line's single-argument `print(…)`, wherever it is: what it prints is stated.
            if case let .values(values)? = stated, let printed = replacingPrint(in: code, with: { argument in
                "stated.check(\(argument), \(literals(values)), line: \(lineNumber))"
            }) {
                depth += bracketBalance(code)
                result.append(checked(printed.trimmingCharacters(in: .whitespaces), values: values.count))
                continue
            }
            guard depth == 0 else {
                depth += bracketBalance(code)
                result.append(line)
                continue
            }
            // Statements of the line, split at top-level semicolons.
            var statements: [String] = []
            var current = "", level = 0
            for character in code {
                if "([{".contains(character) { level += 1 }
                if ")]}".contains(character) { level -= 1 }
                if character == ";" && level == 0 {
                    statements.append(current)
                    current = ""
                } else {
                    current.append(character)
                }
            }
            statements.append(current)
            var rewritten: [String] = []
            var statedCount: Int?
            for (index, raw) in statements.enumerated() {
                let statement = raw.trimmingCharacters(in: .whitespaces)
                let isLast = index == statements.count - 1
                declared += declaredNames(statement)
                if statement.hasPrefix("var ") { variables += declaredNames(statement) }
                let complete = bracketBalance(statement) == 0
                if isLast, complete, let stated, let check = checkedStatement(statement, stated, line: lineNumber,
                                                                              variables: variables) {
                    rewritten.append(check)
                    if case let .values(values) = stated { statedCount = values.count } else { statedCount = 1 }
                } else if !statement.isEmpty && isBareExpression(statement) {
                    if isLast && !complete {
                        rewritten.append("_ = " + statement)   // continues on the next lines
                    } else if statement.hasPrefix("try ") {
                        rewritten.append("try show(" + statement.dropFirst(4) + ")")
                    } else {
                        rewritten.append("show(" + statement + ")")
                    }
                } else {
                    rewritten.append(statement)
                }
            }
            depth += bracketBalance(code)
            let joined = rewritten.joined(separator: "; ")
            if let statedCount {
                result.append(checked(joined, values: statedCount))
            } else {
                result.append(indent + joined + (comment.isEmpty ? "" : (joined.isEmpty ? "" : "  ") + comment))
            }
        }
        if !declared.isEmpty { result.append("show((\(declared.joined(separator: ", "))))") }
        return (result, statedLines)
    }

    /// `statement`, complete on its line, checking what `stated` says of it; nil if it cannot.
    private static func checkedStatement(_ statement: String, _ stated: StatedResult, line: Int,
                                         variables: [String]) -> String? {
        if isBareExpression(statement) {
            let isTry = statement.hasPrefix("try ")
            let expression = isTry ? String(statement.dropFirst(4)) : statement
            switch stated {
            case let .error(error):
                return "stated.checkThrows({ \(statement) }, \(literal(error)), line: \(line))"
            case let .values(values):
                // A method without a value (`buffer.copy(from:)`) is checked by the variable it changes.
                let root = expression.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                let method = expression.dropFirst(root.count).prefix { $0 != "(" && $0 != "[" && $0 != " " }
                let isMethodCall = method.hasPrefix(".") && expression.dropFirst(root.count + method.count).hasPrefix("(")
                let receiver = variables.contains(String(root)) && isMethodCall ? ", receiver: \(root)" : ""
                return (isTry ? "try " : "") + "stated.check(\(expression), \(literals(values)), line: \(line)\(receiver))"
            }
        }
        guard case let .values(values) = stated else { return nil }
        let names = declaredNames(statement)
        let checkedName: String
        if names.count == 1 && !statement.hasPrefix("let (") && !statement.hasPrefix("var (") {
            checkedName = names[0]
        } else if let root = assignedVariable(statement) {
            checkedName = root
        } else {
            return nil
        }
        return statement + "; stated.check(\(checkedName), \(literals(values)), line: \(line))"
    }

    /// The variable an assignment changes (`m` of `m[.all, 1...2] = …`), or nil.
    private static func assignedVariable(_ statement: String) -> String? {
        guard !["let ", "var ", "for ", "if ", "guard ", "return", "_ ="].contains(where: { statement.hasPrefix($0) })
        else { return nil }
        let root = statement.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        guard !root.isEmpty, !isBareExpression(statement) else { return nil }
        return String(root)
    }

    /// `code` with its one single-argument `print(…)` call replaced by `replacement(argument)`, or
    /// nil if it has none, several, or one with several arguments.
    private static func replacingPrint(in code: String, with replacement: (String) -> String) -> String? {
        let characters = Array(code)
        var calls: [(start: Int, end: Int)] = []
        var inString = false
        var index = 0
        while index < characters.count {
            if characters[index] == "\"" && (index == 0 || characters[index - 1] != "\\") { inString.toggle() }
            if !inString, String(characters[index...].prefix(6)) == "print(",
               index == 0 || !(characters[index - 1].isLetter || characters[index - 1].isNumber
                               || characters[index - 1] == "." || characters[index - 1] == "_") {
                var level = 0, end = index + 5
                repeat {
                    if "([{".contains(characters[end]) { level += 1 }
                    if ")]}".contains(characters[end]) { level -= 1 }
                    end += 1
                } while level > 0 && end < characters.count
                guard level == 0 else { return nil }
                calls.append((index, end))
                index = end
                continue
            }
            index += 1
        }
        guard calls.count == 1 else { return nil }
        let argument = String(characters[(calls[0].start + 6)..<(calls[0].end - 1)])
        var level = 0
        for character in argument {
            if "([{".contains(character) { level += 1 }
            if ")]}".contains(character) { level -= 1 }
            if character == "," && level == 0 { return nil }
        }
        return String(characters[..<calls[0].start]) + replacement(argument) + String(characters[calls[0].end...])
    }

    /// `text` as a Swift string literal.
    private static func literal(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    private static func literals(_ texts: [String]) -> String { texts.map(literal).joined(separator: ", ") }

    /// Opening minus closing brackets in `code`.
    private static func bracketBalance(_ code: String) -> Int {
        code.reduce(0) { $0 + ("([{".contains($1) ? 1 : ")]}".contains($1) ? -1 : 0) }
    }

    /// `line` without a trailing `//` comment (outside string literals).
    private static func stripComment(_ line: String) -> String {
        var inString = false
        var previous: Character = " "
        var result = ""
        for character in line {
            if character == "\"" && previous != "\\" { inString.toggle() }
            if !inString && character == "/" && previous == "/" {
                result.removeLast()
                return result
            }
            result.append(character)
            previous = character
        }
        return result
    }

    /// The names a `let`/`var` statement declares: one, or a tuple's (`let (a, b) = …`).
    private static func declaredNames(_ statement: String) -> [String] {
        for keyword in ["let ", "var "] where statement.hasPrefix(keyword) {
            let rest = statement.dropFirst(keyword.count)
            if rest.hasPrefix("("), let close = rest.firstIndex(of: ")") {
                return rest[rest.index(after: rest.startIndex)..<close].split(separator: ",")
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0 != "_" && !$0.isEmpty }
            }
            let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            return name.isEmpty ? [] : [String(name)]
        }
        return []
    }

    /// The names a line of code declares anywhere in it: `let`/`var` (also `let (a, b)` and a second
    /// `, b = …`), `for` patterns, closure parameters (`{ word, count in`), functions and types.
    private static func declaredNamesAnywhere(_ code: String) -> [String] {
        let patterns = [
            #"\b(?:let|var|func|struct|class|enum)\s+([A-Za-z_]\w*)"#,
            #"\b(?:let|var)\s*\(([^)]*)\)"#,
            #"\bfor\s+\(?([\w\s,]*?)\)?\s+in\b"#,
            #"\{\s*\(?([\w\s,]*?)\)?\s+in\b"#,
            #",\s*([A-Za-z_]\w*)\s*=[^=]"#,
        ]
        return patterns.flatMap { pattern in
            code.matches(of: try! Regex(pattern)).flatMap { match -> [String] in
                guard let captured = match.output[1].substring else { return [] }
                return captured.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty && $0 != "_" }
            }
        }
    }

    /// The names a line of code reads: identifiers outside strings that are neither members (`.weight`)
    /// nor argument labels (`input:`).
    private static func referencedNames(_ code: String) -> [String] {
        var withoutStrings = ""
        var inString = false
        var previous: Character = " "
        for character in code {
            if character == "\"" && previous != "\\" { inString.toggle() }
            withoutStrings.append(inString || character == "\"" ? " " : character)
            previous = character
        }
        let characters = Array(withoutStrings)
        var names: [String] = []
        var index = 0
        while index < characters.count {
            guard characters[index].isLetter || characters[index] == "_" else {
                index += 1
                continue
            }
            let start = index
            while index < characters.count, characters[index].isLetter || characters[index].isNumber
                    || characters[index] == "_" {
                index += 1
            }
            let before = characters[..<start].last { !$0.isWhitespace }
            let after = characters[index...].first { !$0.isWhitespace }
            if before != "." && after != ":" && !(start > 0 && characters[start - 1].isNumber) {
                names.append(String(characters[start..<index]))
            }
        }
        return names
    }

    /// True for a statement that computes a value and does nothing else with it.
    private static func isBareExpression(_ statement: String) -> Bool {
        let keywords = ["let ", "var ", "for ", "if ", "guard ", "func ", "return", "print(", "try?", "import ",
                        "}", "{", "struct ", "final class ", "class ", "enum ", "case ", "switch ", "while ",
                        "do ", "do {", "catch", "@", "#", "defer", "_ =", "."]
        if keywords.contains(where: { statement.hasPrefix($0) }) { return false }
        // An assignment or compound assignment at the top level of the statement.
        var depth = 0
        var previous: Character = " "
        for character in statement {
            if "([{".contains(character) { depth += 1 }
            if ")]}".contains(character) { depth -= 1 }
            if depth == 0 && character == "=" && !"=!<>".contains(previous) { return false }
            previous = character
        }
        return true
    }
}
