import Foundation

/// Elements as the printer sees them: floating-point dtypes are numbers whose notation the
/// formatter chooses; integers and booleans print as Python writes them (`-5`, `True`).
enum PrintedValues {
    case real([Double])
    case verbatim([String])

    init<Scalar: TensorScalar>(_ scalars: [Scalar]) {
        if Scalar.self is any BinaryFloatingPoint.Type {
            self = .real(scalars.compactMap { ($0 as? any BinaryFloatingPoint).map { Double($0) } })
        } else if let flags = scalars as? [Bool] {
            self = .verbatim(flags.map { $0 ? "True" : "False" })
        } else {
            self = .verbatim(scalars.map { String(describing: $0) })
        }
    }
}

/// The shown elements of one tensor as right-aligned cells of a common width, following
/// PyTorch's `_Formatter`.
///
/// For floating-point values only the finite, nonzero ones are measured. Scientific notation
/// (`1.0000e-05`) is used when the largest magnitude exceeds 1e8 or 1000 times the smallest, or
/// the smallest is below 1e-4; otherwise, when all are whole numbers, integral notation (`1.`,
/// `-3.`, also when nothing is measured); otherwise fixed notation with four decimals. `nan`, `inf`, `-inf` and zeros are not
/// measured, so `-inf`, `-0.` or `-0.0000` can stick out of the width: PyTorch does the same.
struct ElementFormatter {
    private enum Notation {
        /// Floating-point values that are all whole: `%.0f` plus a trailing point.
        case integral
        /// `%.4f`.
        case fixed
        /// `%.4e`.
        case scientific
    }

    /// The width every cell is padded to on the left; line wrapping counts with it.
    let width: Int
    /// Every value, in the order given, padded to `width`.
    let cells: [String]

    init(_ values: PrintedValues) {
        switch values {
        case .verbatim(let texts):
            let width = texts.reduce(1) { Swift.max($0, $1.utf8.count) }
            self.width = width
            cells = texts.map { ElementFormatter.padding($0, to: width) }
        case .real(let numbers):
            let measured = numbers.filter { $0.isFinite && $0 != 0 }
            let notation = ElementFormatter.notation(measuring: measured)
            let width = measured.reduce(1) { Swift.max($0, ElementFormatter.text(for: $1, in: notation).utf8.count) }
            self.width = width
            cells = numbers.map { ElementFormatter.padding(ElementFormatter.text(for: $0, in: notation), to: width) }
        }
    }

    private static func notation(measuring measured: [Double]) -> Notation {
        guard let largest = measured.map(\.magnitude).max(),
              let smallest = measured.map(\.magnitude).min() else { return .integral }
        if largest / smallest > 1000 || largest > 1e8 || smallest < 1e-4 { return .scientific }
        return measured.allSatisfy { $0 == $0.rounded(.up) } ? .integral : .fixed
    }

    /// Python's spelling of a float in `notation`. C's `printf` rounds the same way (on the exact
    /// binary value, ties to even) but spells non-finite values differently (`-nan`), so those
    /// are written here.
    private static func text(for value: Double, in notation: Notation) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        switch notation {
        case .scientific: return String(format: "%.\(PrintOptions.precision)e", value)
        case .integral: return String(format: "%.0f", value) + "."
        case .fixed: return String(format: "%.\(PrintOptions.precision)f", value)
        }
    }

    private static func padding(_ text: String, to width: Int) -> String {
        let missing = width - text.utf8.count
        return missing > 0 ? String(repeating: " ", count: missing) + text : text
    }
}
