import Foundation
import Testing

/// Every ```swift example in the `///` comments of `Sources/` and in the DocC catalogs is compiled:
/// `DocumentationExamples.swift` holds each one as the body of a function (never called: examples
/// show calls that trap or need files), generated from the sources by ``DocumentationExamples``.
/// The test fails when that file is not what the sources give, so an example that stops compiling
/// fails the build of this target. After changing an example, regenerate the file with
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

    @Test func theExtractorFindsExamples() throws {
        let examples = try DocumentationExamples.examples(root: Self.root)
        #expect(examples.count > 100)
        #expect(examples.contains { $0.location.hasPrefix("Sources/Tensor/Tensor.docc/") })
        let tensor = try #require(examples.first { $0.location.hasPrefix("Sources/Tensor/Core/Tensor.swift") })
        #expect(tensor.lines.contains { $0.contains("Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])") })
    }
}

/// Extracts the examples and writes them as Swift functions.
enum DocumentationExamples {
    struct Example {
        /// `path:line` of the opening fence.
        let location: String
        let lines: [String]
    }

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

    /// The text of `DocumentationExamples.swift`.
    static func generate(root: URL) throws -> String {
        var output = """
            // Generated from the ```swift examples of Sources/ by DocumentationExamplesTests: do not edit.
            // Each example is the body of a function that is compiled, never called.
            import Foundation
            import NN

            """
        var countPerFile: [String: Int] = [:]
        for example in try examples(root: root) {
            let file = String(example.location.split(separator: ":")[0])
            countPerFile[file, default: 0] += 1
            let name = file.dropFirst("Sources/".count).replacingOccurrences(of: ".swift", with: "")
                .replacingOccurrences(of: ".md", with: "")
                .map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
            output += "\n// \(file), example \(countPerFile[file]!)\n"
            output += "private func example_\(name)_\(countPerFile[file]!)() throws {\n"
            for line in body(example.lines) { output += line.isEmpty ? "\n" : "    \(line)\n" }
            output += "}\n"
        }
        return output
    }

    /// The example's lines as a function body: imports dropped, every statement that is a bare
    /// expression passed to `show(_:)` (an example shows a value; compiled as written it would warn
    /// that the value is unused), and every name the example declares used once at the end.
    static func body(_ lines: [String]) -> [String] {
        var result: [String] = []
        var declared: [String] = []
        var depth = 0
        for line in lines {
            let indent = String(line.prefix { $0 == " " })
            let code = stripComment(String(line.dropFirst(indent.count)))
            let comment = String(line.dropFirst(indent.count + code.count))
            if code.trimmingCharacters(in: .whitespaces).hasPrefix("import ") { continue }
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
            for (index, raw) in statements.enumerated() {
                let statement = raw.trimmingCharacters(in: .whitespaces)
                let isLast = index == statements.count - 1
                declared += declaredNames(statement)
                if !statement.isEmpty && isBareExpression(statement) {
                    if isLast && bracketBalance(statement) != 0 {
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
            result.append(indent + joined + (comment.isEmpty ? "" : (joined.isEmpty ? "" : "  ") + comment))
        }
        if !declared.isEmpty { result.append("show((\(declared.joined(separator: ", "))))") }
        return result
    }

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
