import Foundation
import Testing
import NN

/// What a documentation example's comment states about the statement it follows: one value per
/// run of the statement (`// [8, 2, 6, 7], then [0, 3, 9, 1], then [5, 4]` for a statement in a
/// loop run three times; one value holds for every run), or the error it throws.
enum StatedResult: Equatable {
    case values([String])
    case error(String)

    /// The result the comment `text` (without `//`) states, or nil when it states none: it must
    /// *begin* with a value and end there or go on with an explanation; see ``DocumentationExamples``
    /// for the rule.
    static func parse(_ text: String) -> StatedResult? {
        var scanner = StatedValueScanner(text)
        scanner.skipSpaces()
        if scanner.skip("throws ") {
            scanner.skipSpaces()
            guard let error = scanner.scanErrorCase(), scanner.atExplanationOrEnd() else { return nil }
            return .error(error)
        }
        if scanner.skip("≈") { scanner.skipSpaces() }
        guard let first = scanner.scanValue() else { return nil }
        var values = [first]
        while true {
            let mark = scanner.position
            if scanner.skip(", then ") {
                guard let next = scanner.scanValue() else { return nil }
                values.append(next)
            } else if scanner.skip(", "), scanner.startsValue {
                // `0, 1 or 2` lists alternatives, not a value per run: a comma that begins a value
                // must continue with a value.
                guard let next = scanner.scanValue() else { return nil }
                values.append(next)
            } else {
                scanner.position = mark
                break
            }
        }
        return scanner.atExplanationOrEnd() ? .values(values) : nil
    }
}

/// Reads a stated comment: values, their separators and what may follow them.
private struct StatedValueScanner {
    let characters: [Character]
    var position = 0

    init(_ text: String) { characters = Array(text) }

    var rest: String { String(characters[position...]) }

    mutating func skipSpaces() {
        while position < characters.count, characters[position].isWhitespace { position += 1 }
    }

    mutating func skip(_ prefix: String) -> Bool {
        guard rest.hasPrefix(prefix) else { return false }
        position += prefix.count
        return true
    }

    /// True at a character that begins a value.
    var startsValue: Bool {
        guard position < characters.count else { return false }
        let character = characters[position]
        if "[\"".contains(character) || character.isNumber { return true }
        if character == "-" || character == "." {
            return position + 1 < characters.count
                && (character == "-" ? characters[position + 1].isNumber : characters[position + 1].isLetter)
        }
        return ["tensor(", "true", "false"].contains { rest.hasPrefix($0) }
    }

    /// True at the end of the comment or at an explanation of the value: `: …`, `; …`, ` (…`, or
    /// `, ` and a word other than `or` (`, or …` gives alternatives, so the value is not stated).
    mutating func atExplanationOrEnd() -> Bool {
        let tail = rest
        if tail.allSatisfy(\.isWhitespace) || tail.hasPrefix(":") || tail.hasPrefix(";") || tail.hasPrefix(" (") {
            return true
        }
        guard tail.hasPrefix(", "), !tail.hasPrefix(", or ") else { return false }
        return tail.dropFirst(2).first?.isLetter == true
    }

    /// A bracketed literal, `tensor(…)`, a quoted string, a number (`…` after its digits: they are
    /// its first digits), `true`, `false` or `.name`.
    mutating func scanValue() -> String? {
        guard startsValue else { return nil }
        let start = position
        let character = characters[position]
        if character == "[" {
            guard scanBalanced(), !isSymbolic(String(characters[start..<position])) else { return nil }
        } else if rest.hasPrefix("tensor(") {
            position += "tensor".count
            guard scanBalanced() else { return nil }
        } else if character == "\"" {
            guard scanString() else { return nil }
        } else if character.isNumber || character == "-" {
            if character == "-" { position += 1 }
            while position < characters.count, characters[position].isNumber || characters[position] == "." {
                position += 1
            }
            if skip("…") {}
        } else {   // true, false, .name
            if character == "." { position += 1 }
            while position < characters.count, characters[position].isLetter || characters[position].isNumber
                    || characters[position] == "_" {
                position += 1
            }
        }
        // A value ends at a separator: `1.0397 (…`, not `50^0.75`.
        if position < characters.count,
           !(characters[position].isWhitespace || ",:;".contains(characters[position])) {
            return nil
        }
        return String(characters[start..<position])
    }

    /// True for a bracketed literal of names rather than values: `[x, y]`, `[batch, heads, T, D]`.
    /// Its words may only be `true`, `false`, `nil`, labels (`row:`) and enum cases (`.avx2`).
    private func isSymbolic(_ literal: String) -> Bool {
        let tokens = StatedValueMatching.tokens(literal, stated: false)
        return tokens.indices.contains { index in
            guard case let .word(word) = tokens[index], !["true", "false", "nil"].contains(word) else { return false }
            let isLabel = index + 1 < tokens.count && tokens[index + 1] == .symbol(":")
            let isCase = index > 0 && tokens[index - 1] == .symbol(".")
            return !isLabel && !isCase
        }
    }

    /// A case name, with its arguments if given: `shapeMismatch`, `indexOutOfRange(index: 3, …)`.
    mutating func scanErrorCase() -> String? {
        let start = position
        while position < characters.count, characters[position].isLetter || characters[position].isNumber {
            position += 1
        }
        guard position > start else { return nil }
        if position < characters.count, characters[position] == "(" {
            guard scanBalanced() else { return nil }
        }
        return String(characters[start..<position])
    }

    /// From an opening bracket to its closing one, over nested brackets and strings.
    private mutating func scanBalanced() -> Bool {
        var depth = 0
        while position < characters.count {
            let character = characters[position]
            if character == "\"" {
                guard scanString() else { return false }
                continue
            }
            if "([{".contains(character) { depth += 1 }
            if ")]}".contains(character) { depth -= 1 }
            position += 1
            if depth == 0 { return true }
        }
        return false
    }

    private mutating func scanString() -> Bool {
        position += 1
        while position < characters.count {
            if characters[position] == "\\" {
                position += 2
                continue
            }
            position += 1
            if characters[position - 1] == "\"" { return true }
        }
        return false
    }
}

/// Compares a stated value with the text of an actual one, token by token, spaces ignored.
///
/// - A stated integer (`6`, `3499211612`, `1.` as PyTorch prints it) matches only the same number
///   (`6.0` included). A stated number with decimals matches a number within half a unit of its last
///   decimal, widened by a `Float`'s relative precision (2⁻²³): `0.3374` matches `0.33737019`, and
///   `0.33737019` (PyTorch's digits of the float) matches Swift's shortest `0.3373702`. A number
///   whose digits end in `…` matches any number that begins with them: `-0.6931…`.
/// - A `…` or `...` on its own stands for any tokens: `tensor([[ 0.3374, …`. A string whose text ends
///   in `…` matches any string that begins with the rest.
/// - `.name` (an enum case as Swift writes it) matches `name` (as Swift prints it).
enum StatedValueMatching {
    enum Token: Equatable {
        case number(Double, decimals: Int, hasDecimals: Bool, truncated: Bool)
        case string(String, prefix: Bool)
        case word(String)
        case symbol(Character)
        case anything
    }

    static func matches(stated: String, actual: String) -> Bool {
        matches(tokens(stated, stated: true)[...], tokens(actual, stated: false)[...])
    }

    private static func matches(_ stated: ArraySlice<Token>, _ actual: ArraySlice<Token>) -> Bool {
        guard let first = stated.first else { return actual.isEmpty }
        if first == .anything {
            return actual.indices.contains { matches(stated.dropFirst(), actual[$0...]) }
                || matches(stated.dropFirst(), actual[actual.endIndex...])
        }
        guard let other = actual.first, matches(first, other) else { return false }
        return matches(stated.dropFirst(), actual.dropFirst())
    }

    private static func matches(_ stated: Token, _ actual: Token) -> Bool {
        switch (stated, actual) {
        case let (.number(s, decimals, hasDecimals, truncated), .number(a, _, _, _)):
            let unit = pow(10, -Double(decimals))
            let floatPrecision = abs(s) * 0x1p-23
            if truncated {   // the digits begin the number: `-0.6931…` is -0.69314718
                let beyond = s.sign == .minus ? s - a : a - s
                return beyond >= -floatPrecision && beyond < unit + floatPrecision
            }
            if !hasDecimals { return a == s }
            return abs(a - s) <= unit / 2 + floatPrecision
        case let (.string(s, prefix), .string(a, _)):
            return prefix ? a.hasPrefix(s) : a == s
        default:
            return stated == actual
        }
    }

    static func tokens(_ text: String, stated: Bool) -> [Token] {
        let characters = Array(text)
        var tokens: [Token] = []
        var index = 0
        func isIdentifier(_ character: Character) -> Bool {
            character.isLetter || character.isNumber || character == "_"
        }
        while index < characters.count {
            let character = characters[index]
            let next = index + 1 < characters.count ? characters[index + 1] : " "
            if character.isWhitespace {
                index += 1
            } else if character == "…" || (character == "." && text.dropFirst(index).hasPrefix("...")) {
                tokens.append(.anything)
                index += character == "…" ? 1 : 3
            } else if character == "\"" {
                var content = ""
                index += 1
                while index < characters.count, characters[index] != "\"" {
                    // The string's characters, not its escapes: Swift prints `'s` as `\'s` in an array.
                    if characters[index] == "\\", index + 1 < characters.count {
                        index += 1
                        let escaped: [Character: Character] = ["n": "\n", "t": "\t", "r": "\r", "0": "\0"]
                        content.append(escaped[characters[index]] ?? characters[index])
                    } else {
                        content.append(characters[index])
                    }
                    index += 1
                }
                index += 1
                let prefix = stated && (content.hasSuffix("…") || content.hasSuffix("..."))
                if prefix {
                    content = String(content.dropLast(content.hasSuffix("…") ? 1 : 3))
                    while content.last?.isWhitespace == true { content.removeLast() }
                }
                tokens.append(.string(content, prefix: prefix))
            } else if character.isNumber || (character == "-" && next.isNumber && !followsOperand(tokens)) {
                let start = index
                index += 1
                while index < characters.count, characters[index].isNumber { index += 1 }
                var decimals = 0, hasDecimals = false
                if index < characters.count, characters[index] == ".",
                   !text.dropFirst(index).hasPrefix("...") {
                    index += 1
                    while index < characters.count, characters[index].isNumber {
                        index += 1
                        decimals += 1
                    }
                    hasDecimals = decimals > 0
                }
                if index + 1 < characters.count, "eE".contains(characters[index]),
                   characters[index + 1].isNumber || ("+-".contains(characters[index + 1])
                                                       && index + 2 < characters.count && characters[index + 2].isNumber) {
                    let exponentStart = index + 1
                    index += 2
                    while index < characters.count, characters[index].isNumber { index += 1 }
                    // `1.5e-3` is stated to the 4th decimal, `2e5` to the nearest 10⁵.
                    decimals -= Int(String(characters[exponentStart..<index])) ?? 0
                    hasDecimals = true
                }
                let digits = String(characters[start..<index])
                let truncated = stated && index < characters.count && characters[index] == "…"
                if truncated { index += 1 }
                tokens.append(.number(Double(digits) ?? .nan, decimals: decimals, hasDecimals: hasDecimals,
                                      truncated: truncated))
            } else if isIdentifier(character) {
                let start = index
                while index < characters.count, isIdentifier(characters[index]) { index += 1 }
                tokens.append(.word(String(characters[start..<index])))
            } else if stated && character == "." && next.isLetter && !followsOperand(tokens) {
                index += 1   // `.bfloat16` is printed `bfloat16`
            } else {
                tokens.append(.symbol(character))
                index += 1
            }
        }
        return tokens
    }

    /// True after a token that a `-` would be subtracted from (so it is not a sign).
    private static func followsOperand(_ tokens: [Token]) -> Bool {
        switch tokens.last {
        case .number?, .word?, .string?: return true
        case .symbol(let symbol)?: return ")]".contains(symbol)
        default: return false
        }
    }
}

/// A value an example states, as the texts it may be stated as.
protocol StatedValueForms {
    var statedValueForms: [String] { get }
}

extension Tensor: StatedValueForms {
    /// As printed (`tensor([[1., 2.], …])`), as nested values (`[[1.0, 2.0], …]`), as its scalars in
    /// order, and its shape: `let contexts = …  // [3, 50]` states a shape, `let hits = …  // [1, 0, 1]`
    /// values, `buffer.copy(from: …)  // [1, 3, 2, 4]` the scalars of a [2, 2] buffer.
    var statedValueForms: [String] {
        let scalars = self.scalars
        func nested(_ axis: Int, _ offset: Int) -> String {
            guard axis < shape.count else { return "\(scalars[offset])" }
            let stride = shape[(axis + 1)...].reduce(1, *)
            return "[" + (0..<shape[axis]).map { nested(axis + 1, offset + $0 * stride) }.joined(separator: ", ") + "]"
        }
        return [description, nested(0, 0), "\(scalars)", "\(shape)"]
    }
}

extension Variable: StatedValueForms {
    var statedValueForms: [String] { [description] + value.statedValueForms }
}

/// The texts `value` may be stated as: an optional's wrapped value, a string with or without quotes.
func statedValueForms(of value: Any) -> [String] {
    let mirror = Mirror(reflecting: value)
    if mirror.displayStyle == .optional {
        guard let wrapped = mirror.children.first?.value else { return ["nil"] }
        return statedValueForms(of: wrapped)
    }
    if let forms = value as? any StatedValueForms { return forms.statedValueForms }
    if let string = value as? String { return [String(reflecting: string), string] }
    return [String(describing: value)]
}

/// The texts an error may be stated as: its case (`shapeMismatch`), its case with its values
/// (`indexOutOfRange(index: 3, position: [0], bound: 3)`), and its description.
func statedErrorForms(of error: any Error) -> [String] {
    var forms = [String(describing: error)]
    let mirror = Mirror(reflecting: error)
    if mirror.displayStyle == .enum, let child = mirror.children.first, let name = child.label {
        let values = Mirror(reflecting: child.value).displayStyle == .tuple
            ? String(describing: child.value) : "(\(child.value))"
        forms += [name, name + values]
    }
    return forms
}

/// Checks an executed example's stated values as the example runs (see ``DocumentationExamples``).
///
/// Lines are numbered from the example's opening fence (its first line is 1); messages give the
/// line in the file.
final class StatedResults {
    /// The example's file, as `Sources/…`.
    let path: String
    /// The line of the opening fence in the file.
    let fenceLine: Int
    /// Each checked line with the number of values stated for it.
    private let statedLines: [Int: Int]
    private var runs: [Int: Int] = [:]

    init(path: String, fenceLine: Int, statedLines: [Int: Int]) {
        self.path = path
        self.fenceLine = fenceLine
        self.statedLines = statedLines
    }

    /// `path:line` in the file of the example's line `line`.
    private func location(_ line: Int) -> String { "\(path):\(fenceLine + line)" }

    /// Expects `value` (or, when the statement has no value, the `receiver` it changed) to be what
    /// line `line` states: the run's value of `stated` when several are given, else the one.
    func check<Value>(_ value: Value, _ stated: String..., line: Int, receiver: Any? = nil,
                      sourceLocation: SourceLocation = #_sourceLocation) {
        let run = runs[line, default: 0]
        runs[line] = run + 1
        guard stated.count == 1 || run < stated.count else {
            Issue.record("\(location(line)) states \(stated.count) values, but ran more often", sourceLocation: sourceLocation)
            return
        }
        let expected = stated[stated.count == 1 ? 0 : run]
        let shown: Any = Value.self == Void.self ? receiver ?? (value as Any) : value
        let forms = statedValueForms(of: shown)
        if !forms.contains(where: { StatedValueMatching.matches(stated: expected, actual: $0) }) {
            Issue.record("""
                \(location(line)) states \(expected)\(stated.count > 1 ? " (run \(run + 1))" : ""), \
                but the value is \(forms[0])
                """, sourceLocation: sourceLocation)
        }
    }

    /// Expects `body` to throw the error line `line` states.
    func checkThrows<Value>(_ body: () throws -> Value, _ stated: String, line: Int,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        runs[line, default: 0] += 1
        do {
            let value = try body()
            Issue.record("\(location(line)) states that it throws \(stated), but it gives \(value)",
                         sourceLocation: sourceLocation)
        } catch {
            let forms = statedErrorForms(of: error)
            if !forms.contains(where: { StatedValueMatching.matches(stated: stated, actual: $0) }) {
                Issue.record("\(location(line)) states that it throws \(stated), but it throws \(forms.last!)",
                             sourceLocation: sourceLocation)
            }
        }
    }

    /// Expects every checked line to have run, as often as it states values for when it states several.
    func expectEveryLineChecked(sourceLocation: SourceLocation = #_sourceLocation) {
        for (line, count) in statedLines.sorted(by: { $0.key < $1.key }) {
            let ran = runs[line, default: 0]
            if ran == 0 || (count > 1 && ran != count) {
                Issue.record("\(location(line)) states \(count) value(s) but ran \(ran) time(s)", sourceLocation: sourceLocation)
            }
        }
    }
}

/// A run example: its file, which of the file's examples it is, the lines it checks, and its body.
struct RunnableDocumentationExample: Sendable, CustomTestStringConvertible {
    /// `Sources/…`.
    let file: String
    /// 1 for the file's first example.
    let ordinal: Int
    /// Each checked line, numbered from the opening fence, with the number of values stated for it.
    let statedLines: [Int: Int]
    let run: @Sendable (StatedResults) throws -> Void

    init(_ file: String, _ ordinal: Int, statedLines: [Int: Int],
         _ run: @escaping @Sendable (StatedResults) throws -> Void) {
        self.file = file
        self.ordinal = ordinal
        self.statedLines = statedLines
        self.run = run
    }

    var testDescription: String { "\(file), example \(ordinal)" }
}
