/// The validated preamble of a `.npy` file: element type, shape and where the data lies.
///
/// Format versions 1.0, 2.0 and 3.0 are read: the magic `\x93NUMPY`, the version, the header
/// length (2 bytes in 1.0, 4 after), and a Python dictionary literal with exactly the keys
/// `descr`, `fortran_order` and `shape`, spaced any way `ast.literal_eval` accepts. The data must
/// hold exactly the shape's elements.
struct NumpyHeader {
    /// The element type as the file spells it (`<f4`, `|b1`, …), for messages.
    let descr: String
    /// How the elements are stored, or nil for a type this library does not read.
    let encoding: ScalarEncoding?
    let shape: [Int]
    /// File offsets of the data.
    let dataRange: Range<Int>

    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// The `descr` NumPy writes for `encoding` (little-endian, or `|` where byte order does not
    /// apply), or nil for bfloat16, which NumPy lacks.
    static func descr(for encoding: ScalarEncoding) -> String? {
        switch encoding {
        case .float16: return "<f2"
        case .float32: return "<f4"
        case .float64: return "<f8"
        case .int32: return "<i4"
        case .int64: return "<i8"
        case .uint8: return "|u1"
        case .bool: return "|b1"
        case .bfloat16: return nil
        }
    }

    /// The element types read, by `descr`.
    static let encodings = Dictionary(uniqueKeysWithValues: ScalarEncoding.allCases.compactMap { encoding in
        descr(for: encoding).map { ($0, encoding) }
    })

    /// The longest preamble before the header text: magic, version and a 4-byte length.
    static let preambleLength = 12

    /// The file offset where the header ends and the data begins, checked from the file's first
    /// (up to ``preambleLength``) bytes and the file's size.
    static func headerEnd(preamble bytes: [UInt8], fileSize: Int, path: String) throws(TensorError) -> Int {
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw .malformedFile(path: path, offset: 0, reason: "not a .npy file: it does not start with \\x93NUMPY and a version")
        }
        let lengthSize: Int
        switch (bytes[6], bytes[7]) {
        case (1, 0): lengthSize = 2
        case (2, 0), (3, 0): lengthSize = 4
        case let (major, minor):
            throw .malformedFile(path: path, offset: 6, reason: "unsupported .npy format version \(major).\(minor)")
        }
        let headerStart = 8 + lengthSize
        guard bytes.count >= headerStart else {
            throw .malformedFile(path: path, offset: 8, reason: "the file ends inside the header length")
        }
        let headerLength = bytes[8..<headerStart].reversed().reduce(0) { $0 << 8 | Int($1) }
        guard headerStart + headerLength <= fileSize else {
            throw .malformedFile(path: path, offset: 8,
                                 reason: "header length \(headerLength) runs past the end of the \(fileSize)-byte file")
        }
        return headerStart + headerLength
    }

    /// Validates the preamble and header in `bytes`, the file's first bytes (at least through
    /// the header), for a file of `fileSize` bytes.
    init(validating bytes: [UInt8], fileSize: Int, path: String) throws(TensorError) {
        func failure(_ reason: String, at offset: Int) -> TensorError {
            .malformedFile(path: path, offset: offset, reason: reason)
        }
        let headerEnd = try Self.headerEnd(preamble: Array(bytes.prefix(Self.preambleLength)), fileSize: fileSize, path: path)
        precondition(bytes.count >= headerEnd, "the header validator needs the bytes through the header")
        let headerStart = bytes[6] == 1 ? 10 : 12
        let isUTF8 = bytes[6] == 3
        if isUTF8, let invalid = ByteCursor.firstInvalidUTF8Offset(in: bytes, range: headerStart..<headerEnd) {
            throw failure("the header is not valid UTF-8", at: invalid)
        }

        var parser = PythonLiteralParser(cursor: ByteCursor(bytes: bytes, range: headerStart..<headerEnd, path: path),
                                         stringsAreUTF8: isUTF8)
        let root = try parser.parseHeader()
        guard case .dictionary(let members) = root.kind else {
            throw failure("the header must be a Python dictionary, found \(root.typeDescription)", at: root.offset)
        }
        var fields: [String: PythonLiteral] = [:]
        for (key, value) in members {
            guard case .string(let name) = key.kind else {
                throw failure("header keys must be strings, found \(key.typeDescription)", at: key.offset)
            }
            guard ["descr", "fortran_order", "shape"].contains(name) else {
                throw failure("unexpected header key '\(name)'", at: key.offset)
            }
            guard fields.updateValue(value, forKey: name) == nil else {
                throw failure("duplicate header key '\(name)'", at: key.offset)
            }
        }
        for name in ["descr", "fortran_order", "shape"] where fields[name] == nil {
            throw failure("the header has no '\(name)'", at: root.offset)
        }
        let descrValue = fields["descr"]!, orderValue = fields["fortran_order"]!, shapeValue = fields["shape"]!

        switch descrValue.kind {
        case .string(let text): descr = text
        case .list: descr = "a structured dtype"
        default: descr = descrValue.typeDescription
        }
        encoding = Self.encodings[descr]

        guard case .bool(let isFortranOrder) = orderValue.kind else {
            throw failure("fortran_order must be True or False, found \(orderValue.typeDescription)", at: orderValue.offset)
        }
        if isFortranOrder {
            throw failure("unsupported: fortran_order is True; only C-order arrays are read "
                          + "(save numpy.ascontiguousarray(array) instead)", at: orderValue.offset)
        }

        guard case .tuple(let sizes) = shapeValue.kind else {
            throw failure("shape must be a tuple of non-negative integers, found \(shapeValue.typeDescription)",
                          at: shapeValue.offset)
        }
        var shape: [Int] = []
        for size in sizes {
            guard case .integer(let value) = size.kind, value >= 0 else {
                throw failure("shape must hold non-negative integers, found \(size.typeDescription)", at: size.offset)
            }
            shape.append(value)
        }
        self.shape = shape
        guard let elementCount = checkedElementCount(of: shape) else {
            throw failure("shape \(shape) has too many elements", at: shapeValue.offset)
        }

        dataRange = headerEnd..<fileSize
        if let encoding {
            let (needed, overflow) = elementCount.multipliedReportingOverflow(by: encoding.byteCount)
            guard !overflow, needed == dataRange.count else {
                throw failure("the data section holds \(dataRange.count) bytes but shape \(shape) of \(descr) needs "
                              + (overflow ? "more than the address space" : "\(needed)"), at: headerEnd)
            }
        }
    }

    /// The header NumPy writes for `shape` and `descr` (versions 1.0, or 2.0 when the header
    /// outgrows a 2-byte length): the dictionary literal, space-padded so the data starts at a
    /// multiple of 64 bytes, ending in a newline. Byte-identical to `numpy.save`.
    static func encoded(descr: String, shape: [Int]) -> [UInt8] {
        let shapeText: String
        switch shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(shape[0]),)"
        default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        let dictionary = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }".utf8)
        for (version, lengthSize) in [(UInt8(1), 2), (UInt8(2), 4)] {
            let preamble = magic.count + 2 + lengthSize
            // NumPy always pads, by a full 64 bytes when the text happens to end aligned.
            let padding = 64 - (preamble + dictionary.count + 1) % 64
            let headerLength = dictionary.count + padding + 1
            guard headerLength < 1 << (8 * lengthSize) else { continue }
            let length = (0..<lengthSize).map { UInt8(truncatingIfNeeded: headerLength >> (8 * $0)) }
            return magic + [version, 0] + length + dictionary
                + [UInt8](repeating: UInt8(ascii: " "), count: padding) + [UInt8(ascii: "\n")]
        }
        preconditionFailure("a .npy header of \(dictionary.count) bytes does not fit a 4-byte length")
    }
}

/// A Python literal from a `.npy` header and the file offset where it starts.
struct PythonLiteral {
    enum Kind {
        case string(String)
        case integer(Int)
        case bool(Bool)
        case none
        case tuple([PythonLiteral])
        case list([PythonLiteral])
        case dictionary([(key: PythonLiteral, value: PythonLiteral)])
    }

    let kind: Kind
    let offset: Int

    /// How the value reads in an error message.
    var typeDescription: String {
        switch kind {
        case .string(let text): return "the string '\(text)'"
        case .integer(let value): return "the integer \(value)"
        case .bool(let value): return value ? "True" : "False"
        case .none: return "None"
        case .tuple: return "a tuple"
        case .list: return "a list"
        case .dictionary: return "a dictionary"
        }
    }
}

/// Parses the literals NumPy's header writer can produce (strings, integers, booleans, None,
/// tuples, lists, dictionaries), which is what `ast.literal_eval` reads from real files.
struct PythonLiteralParser {
    var cursor: ByteCursor
    /// Version 3.0 headers are UTF-8; earlier ones are Latin-1.
    let stringsAreUTF8: Bool

    /// Deeper than any dtype description nests.
    static let maximumDepth = 64

    /// Parses the header: one literal, surrounded by whitespace (NumPy ends it with spaces and a
    /// newline).
    mutating func parseHeader() throws(TensorError) -> PythonLiteral {
        let value = try parseValue(depth: 0)
        cursor.skip(while: \.isHeaderWhitespace)
        guard cursor.current == nil else {
            throw cursor.failure("unexpected \(cursor.describeCurrent()) after the header dictionary")
        }
        return value
    }

    private mutating func parseValue(depth: Int) throws(TensorError) -> PythonLiteral {
        cursor.skip(while: \.isHeaderWhitespace)
        let start = cursor.position
        guard let byte = cursor.current else { throw cursor.failure("expected a value, found the end of the header") }
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "("), UInt8(ascii: "["):
            guard depth < Self.maximumDepth else {
                throw cursor.failure("header nested deeper than \(Self.maximumDepth) levels")
            }
            return PythonLiteral(kind: try parseContainer(depth: depth), offset: start)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return PythonLiteral(kind: .string(try parseString()), offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return PythonLiteral(kind: .integer(try parseInteger()), offset: start)
        default:
            if cursor.consume("True") { return PythonLiteral(kind: .bool(true), offset: start) }
            if cursor.consume("False") { return PythonLiteral(kind: .bool(false), offset: start) }
            if cursor.consume("None") { return PythonLiteral(kind: .none, offset: start) }
            throw cursor.failure("expected a Python literal, found \(cursor.describeCurrent())")
        }
    }

    /// A dictionary, tuple or list; a trailing comma is allowed, and a one-element tuple needs it.
    private mutating func parseContainer(depth: Int) throws(TensorError) -> PythonLiteral.Kind {
        let opening = cursor.current
        cursor.position += 1
        let closing = opening == UInt8(ascii: "{") ? UInt8(ascii: "}")
            : opening == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "]")
        var elements: [PythonLiteral] = []
        var members: [(key: PythonLiteral, value: PythonLiteral)] = []
        var sawComma = false
        while true {
            cursor.skip(while: \.isHeaderWhitespace)
            if cursor.consume(closing) { break }
            let value = try parseValue(depth: depth + 1)
            if closing == UInt8(ascii: "}") {
                cursor.skip(while: \.isHeaderWhitespace)
                try cursor.expect(UInt8(ascii: ":"), "':' after a dictionary key")
                members.append((value, try parseValue(depth: depth + 1)))
            } else {
                elements.append(value)
            }
            cursor.skip(while: \.isHeaderWhitespace)
            if cursor.consume(closing) { break }
            try cursor.expect(UInt8(ascii: ","), "',' or '\(Character(Unicode.Scalar(closing)))'")
            sawComma = true
        }
        switch closing {
        case UInt8(ascii: "}"):
            return .dictionary(members)
        case UInt8(ascii: ")"):
            // `(3)` is just 3 in parentheses, not a tuple.
            if elements.count == 1 && !sawComma { return elements[0].kind }
            return .tuple(elements)
        default:
            return .list(elements)
        }
    }

    private mutating func parseString() throws(TensorError) -> String {
        let start = cursor.position
        guard let quote = cursor.current else { throw cursor.failure("expected a string") }
        cursor.position += 1
        var stored: [UInt8] = []
        while true {
            guard let byte = cursor.current, byte != 0x0A else {
                throw cursor.failure("unterminated string", at: start)
            }
            cursor.position += 1
            if byte == quote { break }
            if byte == UInt8(ascii: "\\") {
                guard let escaped = cursor.current,
                      escaped == UInt8(ascii: "\\") || escaped == UInt8(ascii: "'") || escaped == UInt8(ascii: "\"")
                else { throw cursor.failure("unsupported escape in a header string") }
                cursor.position += 1
                stored.append(escaped)
            } else {
                stored.append(byte)
            }
        }
        if stringsAreUTF8 { return String(decoding: stored, as: UTF8.self) }
        return String(String.UnicodeScalarView(stored.map { Unicode.Scalar($0) }))
    }

    /// A decimal integer with an optional sign and Python 2's optional `L` suffix.
    private mutating func parseInteger() throws(TensorError) -> Int {
        let start = cursor.position
        let isNegative = cursor.consume(UInt8(ascii: "-"))
        if !isNegative { _ = cursor.consume(UInt8(ascii: "+")) }
        guard let first = cursor.current, first.isASCIIDigit else { throw cursor.failure("invalid integer") }
        var value = 0
        while let byte = cursor.current, byte.isASCIIDigit {
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = shifted.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflowA && !overflowB else { throw cursor.failure("integer too large", at: start) }
            value = next
            cursor.position += 1
        }
        if !cursor.consume(UInt8(ascii: "L")) { _ = cursor.consume(UInt8(ascii: "l")) }
        return isNegative ? -value : value
    }
}
