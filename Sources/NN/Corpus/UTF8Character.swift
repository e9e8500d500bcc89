/// One character of UTF-8 text that starts with a byte of 0x80 or more, checked as the Unicode
/// standard defines well-formed UTF-8 (its table 3-7): no overlong encodings, no UTF-16
/// surrogates, nothing above U+10FFFF.
enum UTF8Character: Equatable {
    /// A well-formed character of `length` bytes; `isWhitespace` when it is one of the
    /// characters with Unicode's `White_Space` property.
    case character(length: Int, isWhitespace: Bool)
    /// The bytes end before the character does, with every byte so far well-formed: the rest may
    /// come with the next piece of text.
    case incomplete
    /// The character is ill-formed, for `reason`.
    case malformed(MalformedUTF8)

    /// Reads the character at `bytes[0]`, which must be 0x80 or more, from the `available` bytes
    /// there (at least 1).
    ///
    /// Every available byte of the character is checked before `incomplete` is returned, so a
    /// text gives the same answer however it is cut into pieces.
    @inline(__always)
    static func read(_ bytes: UnsafePointer<UInt8>, available: Int) -> UTF8Character {
        let lead = bytes[0]
        let length: Int
        // The range the second byte must lie in; it is narrower than 0x80...0xBF after the leads
        // whose full range would allow overlong forms, surrogates or code points past U+10FFFF.
        let second: ClosedRange<UInt8>
        let narrowed: MalformedUTF8
        switch lead {
        case 0x80...0xBF: return .malformed(.continuationWithoutLead)
        case 0xC0, 0xC1: return .malformed(.overlong)
        case 0xC2...0xDF: length = 2; second = 0x80...0xBF; narrowed = .overlong
        case 0xE0: length = 3; second = 0xA0...0xBF; narrowed = .overlong
        case 0xED: length = 3; second = 0x80...0x9F; narrowed = .surrogate
        case 0xE1...0xEF: length = 3; second = 0x80...0xBF; narrowed = .overlong
        case 0xF0: length = 4; second = 0x90...0xBF; narrowed = .overlong
        case 0xF4: length = 4; second = 0x80...0x8F; narrowed = .beyondUnicode
        case 0xF1...0xF3: length = 4; second = 0x80...0xBF; narrowed = .overlong
        default: return .malformed(.neverInUTF8)
        }
        guard available >= 2 else { return .incomplete }
        let byte1 = bytes[1]
        guard isContinuation(byte1) else { return .malformed(.missingContinuation(length: length)) }
        guard second.contains(byte1) else { return .malformed(narrowed) }
        for index in 2..<length {
            guard index < available else { return .incomplete }
            guard isContinuation(bytes[index]) else { return .malformed(.missingContinuation(length: length)) }
        }
        return .character(length: length, isWhitespace: isWhitespace(bytes, length: length))
    }

    @inline(__always)
    private static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

    /// Whether the well-formed character of `length` bytes at `bytes` is Unicode whitespace.
    /// Only three leads start such characters, so most characters are answered from the lead.
    @inline(__always)
    private static func isWhitespace(_ bytes: UnsafePointer<UInt8>, length: Int) -> Bool {
        switch bytes[0] {
        case 0xC2, 0xE1, 0xE2, 0xE3: break
        default: return false
        }
        var scalar = UInt32(bytes[0]) & (length == 2 ? 0x1F : 0x0F)
        for index in 1..<length { scalar = scalar << 6 | UInt32(bytes[index] & 0x3F) }
        return isNonASCIIWhitespace(scalar)
    }

    /// The scalars above U+007F with the `White_Space` property (Unicode 15; the tests compare
    /// this list with `Unicode.Scalar.Properties.isWhitespace` for every scalar).
    static func isNonASCIIWhitespace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }
}

/// Why a byte sequence is not UTF-8.
enum MalformedUTF8: Equatable {
    /// A continuation byte (0x80–0xBF) where a character should start.
    case continuationWithoutLead
    /// A byte that never occurs in UTF-8 (0xF5–0xFF).
    case neverInUTF8
    /// A lead byte followed by fewer continuation bytes than its character's `length` needs.
    case missingContinuation(length: Int)
    /// A longer encoding of a character that has a shorter one (0xC0, 0xC1, 0xE0 0x80–0x9F,
    /// 0xF0 0x80–0x8F).
    case overlong
    /// An encoded UTF-16 surrogate, U+D800–U+DFFF (0xED 0xA0–0xBF).
    case surrogate
    /// A code point above U+10FFFF (0xF4 0x90–0xBF).
    case beyondUnicode
    /// The text ends inside a character.
    case truncated

    /// What the problem is, to follow "byte 0x… is not valid UTF-8".
    var explanation: String {
        switch self {
        case .continuationWithoutLead: return "a continuation byte with no character to continue"
        case .neverInUTF8: return "no UTF-8 character starts with it"
        case let .missingContinuation(length):
            let continuation = length == 2 ? "a continuation byte" : "\(length - 1) continuation bytes"
            return "it starts a \(length)-byte character but is not followed by \(continuation) 0x80–0xBF"
        case .overlong: return "it starts an overlong encoding"
        case .surrogate: return "it starts an encoded UTF-16 surrogate (U+D800–U+DFFF)"
        case .beyondUnicode: return "it starts a code point above U+10FFFF"
        case .truncated: return "the text ends inside its character"
        }
    }
}
