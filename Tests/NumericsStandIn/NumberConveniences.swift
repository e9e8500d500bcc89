// Members that convenience packages commonly add to the number types, and which this library once
// declared on them too (`Float.one`, `x.doubleValue`): with both imported, every use was ambiguous.

extension Float {
    /// The multiplicative identity, as convenience packages spell it.
    public static var one: Float { 1 }
    /// The value widened to `Double`.
    public var doubleValue: Double { Double(self) }
}

extension Int64 {
    /// The multiplicative identity, as convenience packages spell it.
    public static var one: Int64 { 1 }
    /// The value converted to `Double`.
    public var doubleValue: Double { Double(self) }
}
