/// Floats as the decimal text of word-vector files: read straight from a file's bytes, correctly
/// rounded, and written in the shortest form that reads back to the same bits.
enum FloatText {
    /// The number at the start of a field, and the first byte after the field.
    typealias Parsed = (value: Float, end: UnsafePointer<UInt8>)

    /// The powers of ten a `Double` holds exactly (5²² < 2⁵³).
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    static func isFieldSeparator(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    /// The field that starts at `start` — the bytes up to the next space or tab, or `limit` — as a
    /// `Float`, or nil when the field is not a number.
    ///
    /// The result is the float nearest to the decimal value (ties to even), as `strtof` gives:
    /// Clinger's fast path computes it with one correctly rounded `Double` operation on exact
    /// operands — up to 19 significant digits are held exactly in a `UInt64`, and 10^|e| for
    /// |e| ≤ 22 exactly in a `Double` — then rounds that `Double` to `Float`. Rounding twice can
    /// differ from rounding once only when the `Double` lands exactly halfway between two floats;
    /// that case, and everything the fast path does not cover (more digits, larger exponents,
    /// `inf`, `nan`, hexadecimal), is left to the standard library's parser.
    ///
    /// Precondition: `start..<limit` is readable and `start < limit`.
    @inline(__always)
    static func parseField(at start: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>) -> Parsed? {
        var position = start
        var isNegative = false
        if position.pointee == UInt8(ascii: "-") || position.pointee == UInt8(ascii: "+") {
            isNegative = position.pointee == UInt8(ascii: "-")
            position += 1
        }
        var significand: UInt64 = 0
        var significantDigitCount = 0
        var exponent = 0
        var sawDigit = false
        var droppedNonzeroDigit = false
        while position < limit, case let digit = position.pointee &- UInt8(ascii: "0"), digit < 10 {
            sawDigit = true
            if significand != 0 || digit != 0 {
                if significantDigitCount < 19 {
                    significand = significand &* 10 &+ UInt64(digit)
                    significantDigitCount += 1
                } else {
                    exponent += 1
                    droppedNonzeroDigit = droppedNonzeroDigit || digit != 0
                }
            }
            position += 1
        }
        if position < limit && position.pointee == UInt8(ascii: ".") {
            position += 1
            while position < limit, case let digit = position.pointee &- UInt8(ascii: "0"), digit < 10 {
                sawDigit = true
                if significand != 0 || digit != 0 {
                    if significantDigitCount < 19 {
                        significand = significand &* 10 &+ UInt64(digit)
                        significantDigitCount += 1
                        exponent -= 1
                    } else {
                        droppedNonzeroDigit = droppedNonzeroDigit || digit != 0
                    }
                } else {
                    exponent -= 1
                }
                position += 1
            }
        }
        guard sawDigit else { return parseFieldSlowly(at: start, limit: limit) }
        if position < limit && position.pointee | 0x20 == UInt8(ascii: "e") {
            position += 1
            var exponentIsNegative = false
            if position < limit && (position.pointee == UInt8(ascii: "-") || position.pointee == UInt8(ascii: "+")) {
                exponentIsNegative = position.pointee == UInt8(ascii: "-")
                position += 1
            }
            var written = 0
            var sawExponentDigit = false
            while position < limit, case let digit = position.pointee &- UInt8(ascii: "0"), digit < 10 {
                sawExponentDigit = true
                // Far beyond any float; capped so that the sum below cannot overflow.
                if written < 100_000 { written = written * 10 + Int(digit) }
                position += 1
            }
            guard sawExponentDigit else { return parseFieldSlowly(at: start, limit: limit) }
            exponent += exponentIsNegative ? -written : written
        }
        guard position == limit || isFieldSeparator(position.pointee), !droppedNonzeroDigit else {
            return parseFieldSlowly(at: start, limit: limit)
        }
        if significand == 0 { return (isNegative ? -0.0 : 0.0, position) }
        guard significand <= 1 << 53, exponent >= -22 && exponent <= 22 else {
            return parseFieldSlowly(at: start, limit: limit)
        }
        let nearest = exponent < 0 ? Double(significand) / exactPowersOfTen[-exponent]
                                   : Double(significand) * exactPowersOfTen[exponent]
        // Within the fast path's range (1e-22 ... 9e37) every result is a normal float, so the
        // Double is halfway between two floats exactly when the 29 bits a float drops are 100…0.
        guard nearest.bitPattern & 0x1FFF_FFFF != 0x1000_0000 else {
            return parseFieldSlowly(at: start, limit: limit)
        }
        let value = Float(nearest)
        return (isNegative ? -value : value, position)
    }

    /// ``parseField(at:limit:)`` by the standard library's correctly rounded parser, which also
    /// reads `inf`, `nan` and hexadecimal floats.
    private static func parseFieldSlowly(at start: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>) -> Parsed? {
        var end = start
        while end < limit && !isFieldSeparator(end.pointee) { end += 1 }
        guard end > start, let value = Float(String(decoding: UnsafeBufferPointer(start: start, count: end - start),
                                                           as: UTF8.self)) else { return nil }
        return (value, end)
    }

    /// How a text format spells the values that are not finite.
    struct NonFiniteSpelling {
        let infinity: StaticString
        let negativeInfinity: StaticString
        let notANumber: StaticString

        /// What C's `strtof`, Python's `float` and NumPy read (and write).
        static let c = NonFiniteSpelling(infinity: "inf", negativeInfinity: "-inf", notANumber: "nan")
        /// What JavaScript's `Number` reads, for the TensorBoard Projector.
        static let javaScript = NonFiniteSpelling(infinity: "Infinity", negativeInfinity: "-Infinity", notANumber: "NaN")
    }

    /// Appends `value` in the fewest digits that read back to the same float (Swift's
    /// `description`: `0.1`, `-0.0`, `1e-45`, `3.4028235e+38`); a NaN's sign and payload are lost.
    @inline(__always)
    static func append(_ value: Float, to bytes: inout [UInt8], spelling: NonFiniteSpelling) {
        guard value.isFinite else {
            let word = value.isNaN ? spelling.notANumber : value < 0 ? spelling.negativeInfinity : spelling.infinity
            word.withUTF8Buffer { bytes.append(contentsOf: $0) }
            return
        }
        // At most 15 UTF-8 bytes ("-1.1754942e-38"), so a small string: no allocation.
        var text = value.description
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }
}
