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
