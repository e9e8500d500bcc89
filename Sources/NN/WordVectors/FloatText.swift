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
    /// operands — the digits as an integer up to 2^53 (any 15 digits), and 10^|e| for |e| ≤ 22,
    /// are exact in a `Double` — then rounds that `Double` to `Float`. Rounding twice can
    /// differ from rounding once only when the `Double` lands exactly halfway between two floats;
    /// that case, and everything the fast path does not cover (more digits, larger exponents,
    /// `inf`, `nan`, hexadecimal), is left to the standard library's parser.
    ///
    /// Precondition: `start..<limit` is readable and `start < limit`.
    @inline(__always)
    static func parseField(at start: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>) -> Parsed? {
        var position = start
        let isNegative = position.pointee == UInt8(ascii: "-")
        if isNegative || position.pointee == UInt8(ascii: "+") { position += 1 }
        // Digits are accumulated without a check per digit; a significand of more than 19 digits
        // (which may have wrapped around) is recognised afterwards by the digit count.
        var significand: UInt64 = 0
        let integerStart = position
        accumulateDigits(from: &position, limit: limit, into: &significand)
        var digitCount = position - integerStart
        var exponent = 0
        if position < limit && position.pointee == UInt8(ascii: ".") {
            position += 1
            let fractionStart = position
            accumulateDigits(from: &position, limit: limit, into: &significand)
            exponent = fractionStart - position
            digitCount += position - fractionStart
        }
        guard digitCount > 0 else { return parseFieldSlowly(at: start, limit: limit) }
        if position < limit && position.pointee | 0x20 == UInt8(ascii: "e") {
            position += 1
            let exponentIsNegative = position < limit && position.pointee == UInt8(ascii: "-")
            if position < limit && (exponentIsNegative || position.pointee == UInt8(ascii: "+")) { position += 1 }
            let exponentStart = position
            var written = 0
            while position < limit, case let digit = position.pointee &- UInt8(ascii: "0"), digit < 10 {
                // Far beyond any float; capped so that the sum below cannot overflow.
                if written < 100_000 { written = written &* 10 &+ Int(digit) }
                position += 1
            }
            guard position > exponentStart else { return parseFieldSlowly(at: start, limit: limit) }
            exponent += exponentIsNegative ? -written : written
        }
        guard position == limit || isFieldSeparator(position.pointee) else { return parseFieldSlowly(at: start, limit: limit) }
        // Leading zeros count as digits above but add nothing to the significand.
        if digitCount > 19 && significantDigitCount(from: integerStart, to: position) > 19 {
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

    /// Appends the decimal digits at `position` to `significand` (wrapping past 19 digits) and
    /// moves `position` past them: eight at a time while eight bytes remain, then one by one.
    @inline(__always)
    private static func accumulateDigits(
        from position: inout UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>, into significand: inout UInt64
    ) {
        while limit - position >= 8 {
            let bytes = UInt64(littleEndian: UnsafeRawPointer(position).loadUnaligned(as: UInt64.self))
            let lowNibbles = bytes & 0x0F0F_0F0F_0F0F_0F0F
            // Every byte is a digit when every high nibble is 3 and no low nibble exceeds 9 (adding
            // 6 to a nibble above 9 carries into the high nibble).
            guard bytes & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030,
                  (lowNibbles &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == 0 else { break }
            // The first byte is the most significant digit: combine neighbours into pairs, pairs
            // into fours, fours into the eight-digit number, each step within its lane.
            var value = (lowNibbles &* 10 &+ (lowNibbles >> 8)) & 0x00FF_00FF_00FF_00FF
            value = (value &* 100 &+ (value >> 16)) & 0x0000_FFFF_0000_FFFF
            value = (value &* 10_000 &+ (value >> 32)) & 0xFFFF_FFFF
            significand = significand &* 100_000_000 &+ value
            position += 8
        }
        while position < limit, case let digit = position.pointee &- UInt8(ascii: "0"), digit < 10 {
            significand = significand &* 10 &+ UInt64(digit)
            position += 1
        }
    }

    /// The number of digits of the decimal significand at `start..<end` (digits and at most one
    /// point, then perhaps an exponent) from its first nonzero digit on.
    private static func significantDigitCount(from start: UnsafePointer<UInt8>, to end: UnsafePointer<UInt8>) -> Int {
        var position = start
        while position < end && (position.pointee == UInt8(ascii: "0") || position.pointee == UInt8(ascii: ".")) { position += 1 }
        var count = 0
        while position < end, position.pointee | 0x20 != UInt8(ascii: "e") {
            if position.pointee != UInt8(ascii: ".") { count += 1 }
            position += 1
        }
        return count
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
        static let cLibrary = NonFiniteSpelling(infinity: "inf", negativeInfinity: "-inf", notANumber: "nan")
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
