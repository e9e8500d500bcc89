import Foundation

// What swift-numerics' `RealModule` declares on `Float` and `Double`, reduced to the members that
// once collided with this library: a module of its own that does not import the library, as
// swift-numerics is, so that a test file importing both meets the same overload set a user's does.

/// The elementary functions as static members, as swift-numerics' `ElementaryFunctions` has them.
public protocol ElementaryFunctionsStandIn {
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
    static func pow(_ x: Self, _ y: Self) -> Self
}

extension Float: ElementaryFunctionsStandIn {
    public static func exp(_ x: Float) -> Float { Foundation.exp(x) }
    public static func log(_ x: Float) -> Float { Foundation.log(x) }
    public static func tanh(_ x: Float) -> Float { Foundation.tanh(x) }
    public static func pow(_ x: Float, _ y: Float) -> Float { Foundation.pow(x, y) }
}

extension Double: ElementaryFunctionsStandIn {
    public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    public static func log(_ x: Double) -> Double { Foundation.log(x) }
    public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
    public static func pow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }
}
