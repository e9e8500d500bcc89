/// A read position inside the header bytes of a file, shared by the JSON (safetensors) and
/// Python-literal (`.npy`) header parsers. Positions are offsets into the whole file, so every
/// error names the byte of the file where reading failed.
struct ByteCursor {
    let bytes: [UInt8]
    /// Offset of the next byte to read.
    var position: Int
    /// Offset just past the header.
    let end: Int
    /// The file, for error messages.
    let path: String

    init(bytes: [UInt8], range: Range<Int>, path: String) {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "header range \(range) outside \(bytes.count) bytes")
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
        self.path = path
    }

    /// The next byte, or nil at the end of the header.
    var current: UInt8? { position < end ? bytes[position] : nil }

    /// Moves past the next byte when it is `byte`.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard current == byte else { return false }
        position += 1
        return true
    }

    /// Moves past `word` when the header continues with it.
    mutating func consume(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard end - position >= count else { return false }
        let matches = word.withUTF8Buffer { expected in
            expected.indices.allSatisfy { bytes[position + $0] == expected[$0] }
        }
        if matches { position += count }
        return matches
    }

    /// Moves past bytes while `predicate` holds.
    mutating func skip(while predicate: (UInt8) -> Bool) {
        while let byte = current, predicate(byte) { position += 1 }
    }

    /// Moves past `byte` or fails naming what was found instead.
    mutating func expect(_ byte: UInt8, _ what: String) throws(TensorError) {
        guard consume(byte) else { throw failure("expected \(what), found \(describeCurrent())") }
    }

    /// The next byte as text for an error message.
    func describeCurrent() -> String {
        guard let byte = current else { return "the end of the header" }
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    /// A malformed-file error at `offset` (the current position unless given).
    func failure(_ reason: String, at offset: Int? = nil) -> TensorError {
        .malformedFile(path: path, offset: offset ?? position, reason: reason)
    }

    /// The offset of the first byte of `range` that is not part of valid UTF-8, or nil when the
    /// whole range is valid.
    static func firstInvalidUTF8Offset(in bytes: [UInt8], range: Range<Int>) -> Int? {
        var iterator = bytes[range].makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = range.lowerBound
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}

extension UInt8 {
    /// JSON's and Python's insignificant whitespace: space, tab, line feed, carriage return.
    var isHeaderWhitespace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
    var isASCIIDigit: Bool { self >= 0x30 && self <= 0x39 }
}
