/// GPT-2's first split of text into pieces before byte-pair merging, the pattern
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+` written out
/// as a scanner over UTF-8 bytes (the alternatives are tried in that order at each place).
///
/// A run of spaces before a word leaves its last space to the word, so `"a  b"` splits as
/// `["a", " ", " b"]`; merges then never cross a piece boundary.
///
/// Kernel precondition for the functions taking a buffer: `bytes` is valid UTF-8 (it comes from a
/// Swift `String`), and the ranges passed in lie inside it.
enum GPT2PreTokenizer {
    /// What the pattern distinguishes: `\s`, `\p{L}`, `\p{N}`, and everything else.
    enum CharacterClass: UInt8 {
        case other, whitespace, letter, number
    }

    /// The pieces of `text`, in order; joined they give `text` back.
    static func pieces(of text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var pieces: [String] = []
            forEachPiece(in: bytes, 0..<bytes.count) { range in
                pieces.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
            }
            return pieces
        }
    }

    /// Calls `body` with the byte range of every piece of `bytes[range]`, in order.
    @inline(__always)
    static func forEachPiece(in bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ body: (Range<Int>) -> Void) {
        var start = range.lowerBound
        while start < range.upperBound {
            let end = pieceEnd(in: bytes, from: start, limit: range.upperBound)
            body(start..<end)
            start = end
        }
    }

    /// The end of the piece that starts at `start` (pieces never extend past `limit`).
    @inline(__always)
    static func pieceEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int) -> Int {
        let first = bytes[start]
        if first == UInt8(ascii: "'"), let length = contractionLength(in: bytes, after: start, limit: limit) {
            return start + 1 + length
        }
        // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: a space joins the run that follows it.
        var classStart = start
        if first == UInt8(ascii: " ") && start + 1 < limit && characterClass(in: bytes, at: start + 1).class != .whitespace {
            classStart = start + 1
        }
        let (runClass, firstLength) = characterClass(in: bytes, at: classStart)
        var end = classStart + firstLength
        var lastStart = classStart, characters = 1
        while end < limit {
            let (nextClass, length) = characterClass(in: bytes, at: end)
            if nextClass != runClass { break }
            lastStart = end
            end += length
            characters += 1
        }
        if runClass != .whitespace || end == limit || characters == 1 { return end }
        // `\s+(?!\S)`: a whitespace run followed by text gives up its last character, which the
        // next piece takes as its leading space (or, when it is not a space, as a piece alone).
        return lastStart
    }

    /// The length of `s`, `t`, `re`, `ve`, `m`, `ll` or `d` right after the apostrophe at
    /// `apostrophe`, or nil (lowercase only, as GPT-2's pattern).
    @inline(__always)
    private static func contractionLength(in bytes: UnsafeBufferPointer<UInt8>, after apostrophe: Int, limit: Int) -> Int? {
        guard apostrophe + 1 < limit else { return nil }
        switch bytes[apostrophe + 1] {
        case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"):
            return 1
        case UInt8(ascii: "r"), UInt8(ascii: "v"):
            return apostrophe + 2 < limit && bytes[apostrophe + 2] == UInt8(ascii: "e") ? 2 : nil
        case UInt8(ascii: "l"):
            return apostrophe + 2 < limit && bytes[apostrophe + 2] == UInt8(ascii: "l") ? 2 : nil
        default:
            return nil
        }
    }

    /// The class of the character (Unicode scalar) at byte `index`, and its length in bytes.
    @inline(__always)
    static func characterClass(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (class: CharacterClass, length: Int) {
        let lead = bytes[index]
        if lead < 0x80 { return (asciiClasses[Int(lead)], 1) }
        let scalar: UInt32, length: Int
        if lead < 0xE0 {
            scalar = UInt32(lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
            length = 2
        } else if lead < 0xF0 {
            scalar = UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
            length = 3
        } else {
            scalar = UInt32(lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
                | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F)
            length = 4
        }
        if scalar < 0x20000 { return (tableClasses[Int(scalar)], length) }
        return (characterClass(of: Unicode.Scalar(scalar)!), length)
    }

    /// The class of `scalar` from its Unicode properties: White_Space; letters (general categories
    /// Lu, Ll, Lt, Lm, Lo); numbers (Nd, Nl, No).
    static func characterClass(of scalar: Unicode.Scalar) -> CharacterClass {
        let properties = scalar.properties
        if properties.isWhitespace { return .whitespace }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return .other
        }
    }

    private static let asciiClasses: [CharacterClass] = (0..<128).map { characterClass(of: Unicode.Scalar(UInt8($0))) }

    /// Every scalar below U+20000 (the basic and the supplementary multilingual planes: every
    /// living script, emoji, the first Han extension), classified once, about 10 ms on first use:
    /// the Unicode property look-ups would otherwise cost more than the rest of the tokenizer.
    private static let tableClasses: [CharacterClass] = (0..<0x20000).map { code in
        Unicode.Scalar(UInt32(code)).map(characterClass(of:)) ?? .other
    }
}
