import Foundation

/// The lines of an evaluation file (word pairs, analogy questions), each with its number and the
/// byte where it starts, so that a reader can name the line it rejects.
struct EvaluationTextFile {
    struct Line {
        /// 1 for the first line.
        let number: Int
        /// The byte offset of the line's first byte.
        let offset: Int
        /// The line without its `\n` or `\r\n` ending.
        let text: String
    }

    let path: String
    let lines: [Line]

    /// Reads `url` as UTF-8 lines.
    ///
    /// - Throws: `TensorError.io` when the file cannot be read, `.malformedFile` naming the first
    ///   line that is not valid UTF-8 (gensim stops there too, with a `UnicodeDecodeError`).
    init(contentsOf url: URL) throws(TensorError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .io(path: url.path, reason: error.localizedDescription) }
        var lines: [Line] = []
        var offset = 0
        for (index, bytes) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            defer { offset += bytes.count + 1 }
            // A final `\n` ends the last line rather than starting an empty one.
            if bytes.isEmpty && offset == data.count { break }
            let content = bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes[...]
            guard let text = String(validating: content, as: UTF8.self) else {
                throw .malformedFile(path: url.path, offset: offset, reason: "line \(index + 1) is not valid UTF-8")
            }
            lines.append(Line(number: index + 1, offset: offset, text: text))
        }
        path = url.path
        self.lines = lines
    }

    /// The error for `line`, its reason prefixed with the line number.
    func malformed(_ line: Line, _ reason: String) -> TensorError {
        .malformedFile(path: path, offset: line.offset, reason: "line \(line.number): \(reason)")
    }
}

/// Text split as Python's `str.split` splits it, since gensim reads these files with it.
enum PythonText {
    /// True for the characters Python's `str.split()` and `str.strip()` treat as whitespace: the
    /// Unicode White_Space characters plus U+001C–U+001F, the information separators, which
    /// Python counts too.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
    }

    /// `text.split()`: the runs of non-whitespace, cut between Unicode scalars (a combining mark
    /// after a space starts a word, as in Python, though Swift would keep the pair one Character).
    static func words(_ text: String) -> [String] {
        split(text) { isWhitespace($0) }
    }

    /// `text.split(separator)` for a one-scalar separator: every field, empty ones included.
    static func fields(_ text: String, separatedBy separator: Unicode.Scalar) -> [String] {
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == separator {
                fields.append(String(field))
                field = String.UnicodeScalarView()
            } else {
                field.append(scalar)
            }
        }
        fields.append(String(field))
        return fields
    }

    /// `text.strip()`.
    static func stripped(_ text: some StringProtocol) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isWhitespace($0) }),
              let last = scalars.lastIndex(where: { !isWhitespace($0) }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    /// `float(text)` for the numbers an evaluation file holds: surrounding whitespace allowed,
    /// nil unless the rest is a finite decimal number (Swift's `Double` would also take the
    /// hexadecimal `0x1p3`, which Python's `float` refuses).
    static func finiteNumber(_ text: String) -> Double? {
        let number = stripped(text)
        guard !number.contains(where: { $0 == "x" || $0 == "X" }), let value = Double(number), value.isFinite else {
            return nil
        }
        return value
    }

    private static func split(_ text: String, isSeparator: (Unicode.Scalar) -> Bool) -> [String] {
        var words: [String] = []
        var word = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isSeparator(scalar) {
                if !word.isEmpty {
                    words.append(String(word))
                    word = String.UnicodeScalarView()
                }
            } else {
                word.append(scalar)
            }
        }
        if !word.isEmpty { words.append(String(word)) }
        return words
    }
}
