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
