/// The strict JSON (RFC 8259) reader and string writer behind safetensors headers.
///
/// Written here rather than taken from Foundation's `JSONSerialization` so that integers stay
/// exact (`data_offsets` can exceed 2⁵³), `true` never reads as the number 1, duplicate keys are
/// caught, nesting depth is bounded (a hostile header cannot overflow the stack), and every error
/// carries the file offset of the offending byte.
enum JSON {
    /// A parsed value and the file offset where it starts.
    struct Value {
        enum Kind {
            /// Members in file order; keys are unique.
            case object([(key: String, value: Value)])
            case array([Value])
            case string(String)
            /// A number written without fraction or exponent that fits `Int`.
            case integer(Int)
            /// Any other number, as written.
            case number(String)
            case bool(Bool)
            case null
        }

        let kind: Kind
        let offset: Int

        /// How the value reads in an error message.
        var typeDescription: String {
            switch kind {
            case .object: return "an object"
            case .array: return "an array"
            case .string: return "a string"
            case .integer(let value): return "the integer \(value)"
            case .number(let text): return "the number \(text)"
            case .bool(let value): return "\(value)"
            case .null: return "null"
            }
        }
    }

    /// Deeper nesting than any real header needs; the same bound serde_json uses.
    static let maximumDepth = 128

    /// Parses the one value filling the cursor's range; whitespace may surround it.
    static func parseDocument(_ cursor: inout ByteCursor) throws(TensorError) -> Value {
        let value = try parseValue(&cursor, depth: 0)
        cursor.skip(while: \.isHeaderWhitespace)
        guard cursor.current == nil else {
            throw cursor.failure("unexpected \(cursor.describeCurrent()) after the JSON value")
        }
        return value
    }

    private static func parseValue(_ cursor: inout ByteCursor, depth: Int) throws(TensorError) -> Value {
        cursor.skip(while: \.isHeaderWhitespace)
        let start = cursor.position
        guard let byte = cursor.current else { throw cursor.failure("expected a JSON value, found the end of the header") }
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < maximumDepth else { throw cursor.failure("JSON nested deeper than \(maximumDepth) levels") }
            let kind = byte == UInt8(ascii: "{")
                ? try parseObject(&cursor, depth: depth)
                : try parseArray(&cursor, depth: depth)
            return Value(kind: kind, offset: start)
        case UInt8(ascii: "\""):
            return Value(kind: .string(try parseString(&cursor)), offset: start)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            if cursor.consume("true") { return Value(kind: .bool(true), offset: start) }
            if cursor.consume("false") { return Value(kind: .bool(false), offset: start) }
            if cursor.consume("null") { return Value(kind: .null, offset: start) }
            throw cursor.failure("invalid JSON literal")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return Value(kind: try parseNumber(&cursor), offset: start)
        default:
            throw cursor.failure("expected a JSON value, found \(cursor.describeCurrent())")
        }
    }

    private static func parseObject(_ cursor: inout ByteCursor, depth: Int) throws(TensorError) -> Value.Kind {
        try cursor.expect(UInt8(ascii: "{"), "'{'")
        var members: [(key: String, value: Value)] = []
        var keys = Set<String>()
        cursor.skip(while: \.isHeaderWhitespace)
        if cursor.consume(UInt8(ascii: "}")) { return .object(members) }
        while true {
            cursor.skip(while: \.isHeaderWhitespace)
            let keyOffset = cursor.position
            guard cursor.current == UInt8(ascii: "\"") else {
                throw cursor.failure("expected a quoted key, found \(cursor.describeCurrent())")
            }
            let key = try parseString(&cursor)
            guard keys.insert(key).inserted else { throw cursor.failure("duplicate key \"\(key)\"", at: keyOffset) }
            cursor.skip(while: \.isHeaderWhitespace)
            try cursor.expect(UInt8(ascii: ":"), "':' after a key")
            members.append((key, try parseValue(&cursor, depth: depth + 1)))
            cursor.skip(while: \.isHeaderWhitespace)
            if cursor.consume(UInt8(ascii: "}")) { return .object(members) }
            try cursor.expect(UInt8(ascii: ","), "',' or '}' in an object")
        }
    }

    private static func parseArray(_ cursor: inout ByteCursor, depth: Int) throws(TensorError) -> Value.Kind {
        try cursor.expect(UInt8(ascii: "["), "'['")
        var elements: [Value] = []
        cursor.skip(while: \.isHeaderWhitespace)
        if cursor.consume(UInt8(ascii: "]")) { return .array(elements) }
        while true {
            elements.append(try parseValue(&cursor, depth: depth + 1))
            cursor.skip(while: \.isHeaderWhitespace)
            if cursor.consume(UInt8(ascii: "]")) { return .array(elements) }
            try cursor.expect(UInt8(ascii: ","), "',' or ']' in an array")
        }
    }

    /// Parses a string; the header bytes were already checked to be valid UTF-8.
    private static func parseString(_ cursor: inout ByteCursor) throws(TensorError) -> String {
        let start = cursor.position
        try cursor.expect(UInt8(ascii: "\""), "'\"'")
        var utf8: [UInt8] = []
        while true {
            guard let byte = cursor.current else { throw cursor.failure("unterminated string", at: start) }
            switch byte {
            case UInt8(ascii: "\""):
                cursor.position += 1
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                cursor.position += 1
                try parseEscape(&cursor, into: &utf8)
            case 0..<0x20:
                throw cursor.failure("unescaped control character in a string")
            default:
                utf8.append(byte)
                cursor.position += 1
            }
        }
    }

    private static func parseEscape(_ cursor: inout ByteCursor, into utf8: inout [UInt8]) throws(TensorError) {
        let escapeOffset = cursor.position - 1
        guard let byte = cursor.current else { throw cursor.failure("unterminated escape") }
        cursor.position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var value = try parseHexQuad(&cursor)
            if (0xD800..<0xDC00).contains(value) {
                guard cursor.consume("\\u") else {
                    throw cursor.failure("unpaired surrogate in a \\u escape", at: escapeOffset)
                }
                let low = try parseHexQuad(&cursor)
                guard (0xDC00..<0xE000).contains(low) else {
                    throw cursor.failure("unpaired surrogate in a \\u escape", at: escapeOffset)
                }
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw cursor.failure("unpaired surrogate in a \\u escape", at: escapeOffset)
            }
            utf8.append(contentsOf: String(scalar).utf8)
        default:
            cursor.position -= 1
            throw cursor.failure("invalid escape: backslash followed by \(cursor.describeCurrent())", at: escapeOffset)
        }
    }

    private static func parseHexQuad(_ cursor: inout ByteCursor) throws(TensorError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = cursor.current, let digit = Character(Unicode.Scalar(byte)).hexDigitValue else {
                throw cursor.failure("expected four hexadecimal digits in a \\u escape")
            }
            value = value << 4 | UInt32(digit)
            cursor.position += 1
        }
        return value
    }

    private static func parseNumber(_ cursor: inout ByteCursor) throws(TensorError) -> Value.Kind {
        let start = cursor.position
        var isInteger = true
        _ = cursor.consume(UInt8(ascii: "-"))
        if !cursor.consume(UInt8(ascii: "0")) {
            guard let first = cursor.current, first.isASCIIDigit else { throw cursor.failure("invalid number") }
            cursor.skip(while: \.isASCIIDigit)
        }
        if cursor.consume(UInt8(ascii: ".")) {
            isInteger = false
            try requireDigits(&cursor)
        }
        if cursor.consume(UInt8(ascii: "e")) || cursor.consume(UInt8(ascii: "E")) {
            isInteger = false
            if !cursor.consume(UInt8(ascii: "+")) { _ = cursor.consume(UInt8(ascii: "-")) }
            try requireDigits(&cursor)
        }
        let text = String(decoding: cursor.bytes[start..<cursor.position], as: UTF8.self)
        if isInteger, let value = Int(text) { return .integer(value) }
        return .number(text)
    }

    private static func requireDigits(_ cursor: inout ByteCursor) throws(TensorError) {
        guard let byte = cursor.current, byte.isASCIIDigit else { throw cursor.failure("invalid number") }
        cursor.skip(while: \.isASCIIDigit)
    }

    /// `string` as a JSON string literal: quotes, backslashes and control characters escaped,
    /// everything else written as UTF-8.
    static func quoted(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
