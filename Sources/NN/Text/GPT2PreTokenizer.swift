/// GPT-2's first split of text into pieces before byte-pair merging, the pattern
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+` written out
/// as a scanner over code points (the alternatives are tried in that order at each place).
///
/// A run of spaces before a word leaves its last space to the word, so `"a  b"` splits as
/// `["a", " ", " b"]`; merges then never cross a piece boundary.
enum GPT2PreTokenizer {
    private enum ScalarClass { case letter, number, whitespace, other }

    private static let contractions: [[Unicode.Scalar]] = ["s", "t", "re", "ve", "m", "ll", "d"].map { Array($0.unicodeScalars) }

    /// The pieces of `text`, in order; joined they give `text` back.
    static func pieces(of text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return ranges(of: scalars).map { String(String.UnicodeScalarView(scalars[$0])) }
    }

    static func ranges(of scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var index = 0
        while index < scalars.count {
            let end = pieceEnd(in: scalars, from: index)
            result.append(index..<end)
            index = end
        }
        return result
    }

    private static func pieceEnd(in scalars: [Unicode.Scalar], from start: Int) -> Int {
        if scalars[start] == "'", let contraction = contractions.first(where: { scalars[(start + 1)...].starts(with: $0) }) {
            return start + 1 + contraction.count
        }
        let classStart = scalars[start] == " " && start + 1 < scalars.count
            && classify(scalars[start + 1]) != .whitespace ? start + 1 : start
        let runClass = classify(scalars[classStart])
        let runEnd = end(ofRunOf: runClass, in: scalars, from: classStart)
        if runClass != .whitespace { return runEnd }
        // A whitespace run followed by text gives up its last character, which the next piece
        // takes as its leading space (or, when that character is not a space, as a piece alone).
        if runEnd == scalars.count || runEnd - start == 1 { return runEnd }
        return runEnd - 1
    }

    private static func end(ofRunOf runClass: ScalarClass, in scalars: [Unicode.Scalar], from start: Int) -> Int {
        var end = start
        while end < scalars.count && classify(scalars[end]) == runClass { end += 1 }
        return end
    }

    private static func classify(_ scalar: Unicode.Scalar) -> ScalarClass {
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
}
