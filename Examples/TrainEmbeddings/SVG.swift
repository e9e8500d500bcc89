import Foundation

/// A small SVG writer: shapes appended in drawing order, rendered as a standalone document.
struct SVGDocument {
    let width: Double
    let height: Double
    private var elements: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    mutating func rectangle(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil) {
        elements.append("<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"\(fill)\""
                        + (stroke.map { " stroke=\"\($0)\"" } ?? "") + "/>")
    }

    mutating func line(from start: (Double, Double), to end: (Double, Double), stroke: String, width: Double = 1,
                       dashed: Bool = false) {
        elements.append("<line x1=\"\(n(start.0))\" y1=\"\(n(start.1))\" x2=\"\(n(end.0))\" y2=\"\(n(end.1))\" "
                        + "stroke=\"\(stroke)\" stroke-width=\"\(n(width))\"" + (dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>")
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 2) {
        guard !points.isEmpty else { return }
        let coordinates = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
        elements.append("<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\" "
                        + "stroke-linejoin=\"round\"/>")
    }

    mutating func circle(center: (Double, Double), radius: Double, fill: String, title: String? = nil) {
        let shape = "<circle cx=\"\(n(center.0))\" cy=\"\(n(center.1))\" r=\"\(n(radius))\" fill=\"\(fill)\" fill-opacity=\"0.85\""
        if let title {
            elements.append(shape + "><title>\(escaped(title))</title></circle>")
        } else {
            elements.append(shape + "/>")
        }
    }

    enum Anchor: String {
        case start, middle, end
    }

    mutating func text(_ content: String, at point: (Double, Double), size: Double = 12, anchor: Anchor = .start,
                       fill: String = "#222", bold: Bool = false, rotated: Bool = false) {
        var attributes = "x=\"\(n(point.0))\" y=\"\(n(point.1))\" font-size=\"\(n(size))\" text-anchor=\"\(anchor.rawValue)\" "
            + "fill=\"\(fill)\""
        if bold { attributes += " font-weight=\"bold\"" }
        if rotated { attributes += " transform=\"rotate(-90 \(n(point.0)) \(n(point.1)))\"" }
        elements.append("<text \(attributes)>\(escaped(content))</text>")
    }

    func rendered() -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(n(width))" height="\(n(height))" \
        viewBox="0 0 \(n(width)) \(n(height))" font-family="Helvetica, Arial, sans-serif">
        <rect width="100%" height="100%" fill="white"/>
        \(elements.joined(separator: "\n"))
        </svg>

        """
    }

    func write(to url: URL) throws {
        try rendered().write(to: url, atomically: true, encoding: .utf8)
    }

    /// Coordinates with two decimals: enough for the eye, and the same text on every run.
    private func n(_ value: Double) -> String { format(value, decimals: 2) }

    private func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }
}

/// A map from data values to a pixel range, linear or logarithmic, with round tick values.
struct AxisScale {
    let lower: Double
    let upper: Double
    let pixelStart: Double
    let pixelEnd: Double
    let ticks: [Double]
    let isLogarithmic: Bool

    /// A linear scale covering `values` (padded by `margin` of the span), extended to round ticks.
    init(covering values: [Double], pixels: (Double, Double), margin: Double = 0, tickCount: Int = 6) {
        var low = values.min() ?? 0, high = values.max() ?? 1
        if high - low < 1e-12 { low -= 0.5; high += 0.5 }
        let pad = (high - low) * margin
        low -= pad
        high += pad
        let rough = (high - low) / Double(tickCount)
        let magnitude = Foundation.pow(10, Foundation.floor(Foundation.log10(rough)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? rough
        lower = Foundation.floor(low / step) * step
        upper = Foundation.ceil(high / step) * step
        ticks = stride(from: lower, through: upper + step / 2, by: step).map { $0 }
        pixelStart = pixels.0
        pixelEnd = pixels.1
        isLogarithmic = false
    }

    /// A logarithmic scale from 1 to the largest of `values`, ticked at powers of ten.
    init(logarithmicCovering values: [Double], pixels: (Double, Double)) {
        lower = 1
        upper = max(values.max() ?? 10, 10)
        let decades = Int(Foundation.floor(Foundation.log10(upper) + 1e-9))
        ticks = (0...decades).map { Foundation.pow(10, Double($0)) }
        pixelStart = pixels.0
        pixelEnd = pixels.1
        isLogarithmic = true
    }

    func pixel(_ value: Double) -> Double {
        let fraction = isLogarithmic
            ? Foundation.log10(max(value, lower) / lower) / Foundation.log10(upper / lower)
            : (value - lower) / (upper - lower)
        return pixelStart + fraction * (pixelEnd - pixelStart)
    }

    /// Tick text with as few decimals as the step needs.
    func label(_ value: Double) -> String {
        if isLogarithmic { return format(value, decimals: 0) }
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        let decimals = max(0, Int(Foundation.ceil(-Foundation.log10(step) - 1e-9)))
        return format(value, decimals: min(decimals, 4))
    }
}

/// The loss curves: training and held-out loss against the step (logarithmic), with reference
/// lines such as the unigram baseline.
struct LossChart {
    struct Point {
        let step: Int
        let trainLoss: Double
        let heldOutLoss: Double
    }

    /// A horizontal line at a loss worth comparing with.
    struct Reference {
        let label: String
        let loss: Double
    }

    let points: [Point]
    let references: [Reference]
    let title: String

    func document() -> SVGDocument {
        var svg = SVGDocument(width: 820, height: 460)
        let plot = (left: 70.0, top: 50.0, right: 560.0, bottom: 400.0)
        let losses = points.flatMap { [$0.trainLoss, $0.heldOutLoss] } + references.map(\.loss) + [0]
        let x = AxisScale(logarithmicCovering: points.map { Double($0.step) }, pixels: (plot.left, plot.right))
        let y = AxisScale(covering: losses, pixels: (plot.bottom, plot.top), tickCount: 6)
        svg.text(title, at: ((plot.left + plot.right) / 2, 28), size: 16, anchor: .middle, bold: true)
        drawAxes(&svg, x: x, y: y, plot: plot, xTitle: "step (logarithmic)", yTitle: "cross-entropy (nats per token)")

        let referenceColors = ["#888", "#6a3d9a"]
        for (index, reference) in references.enumerated() {
            let height = y.pixel(reference.loss)
            svg.line(from: (plot.left, height), to: (plot.right, height), stroke: referenceColors[index % 2], width: 1.5,
                     dashed: true)
        }
        svg.polyline(points.map { (x.pixel(Double($0.step)), y.pixel($0.trainLoss)) }, stroke: "#1f77b4")
        svg.polyline(points.map { (x.pixel(Double($0.step)), y.pixel($0.heldOutLoss)) }, stroke: "#e8710a")

        var legend: [(String, String, Bool)] = [("training loss", "#1f77b4", false), ("held-out loss", "#e8710a", false)]
        for (index, reference) in references.enumerated() {
            legend.append((reference.label, referenceColors[index % 2], true))
        }
        for (index, entry) in legend.enumerated() {
            let top = plot.top + 10 + Double(index) * 22
            svg.line(from: (plot.right + 15, top), to: (plot.right + 40, top), stroke: entry.1, width: 2, dashed: entry.2)
            svg.text(entry.0, at: (plot.right + 46, top + 4), size: 12)
        }
        return svg
    }
}

/// word2vec's training loss against the epochs, linear: the mean loss per input over each
/// hundredth of the run (there is no held-out loss: the vectors are scored on similarity sets).
struct EpochLossChart {
    let points: [(epoch: Double, loss: Double)]
    let title: String

    func document() -> SVGDocument {
        var svg = SVGDocument(width: 820, height: 460)
        let plot = (left: 70.0, top: 50.0, right: 740.0, bottom: 400.0)
        let points = points.filter { $0.loss.isFinite }
        let x = AxisScale(covering: [0] + points.map(\.epoch), pixels: (plot.left, plot.right))
        let y = AxisScale(covering: points.map(\.loss) + [0], pixels: (plot.bottom, plot.top), tickCount: 6)
        svg.text(title, at: ((plot.left + plot.right) / 2, 28), size: 16, anchor: .middle, bold: true)
        drawAxes(&svg, x: x, y: y, plot: plot, xTitle: "epoch", yTitle: "negative-sampling loss per input")
        svg.polyline(points.map { (x.pixel($0.epoch), y.pixel($0.loss)) }, stroke: "#1f77b4")
        return svg
    }
}

/// The token table projected on its first two principal components, one labelled dot per token.
struct EmbeddingMap {
    struct Token {
        let label: String
        let position: (Double, Double)
        let group: String?
        /// Whether the label is written beside the dot (otherwise only its tooltip holds it).
        var isLabelled = true
    }

    let tokens: [Token]
    /// Group names in legend order, with their colours.
    let groups: [(name: String, color: String)]
    let axisTitles: (String, String)
    let title: String

    static let otherColor = "#9a9a9a"

    func document() -> SVGDocument {
        var svg = SVGDocument(width: 900, height: 700)
        let plot = (left: 70.0, top: 50.0, right: 740.0, bottom: 640.0)
        let x = AxisScale(covering: tokens.map(\.position.0), pixels: (plot.left, plot.right), margin: 0.05)
        let y = AxisScale(covering: tokens.map(\.position.1), pixels: (plot.bottom, plot.top), margin: 0.05)
        svg.text(title, at: ((plot.left + plot.right) / 2, 28), size: 16, anchor: .middle, bold: true)
        drawAxes(&svg, x: x, y: y, plot: plot, xTitle: axisTitles.0, yTitle: axisTitles.1)
        let colors = Dictionary(uniqueKeysWithValues: groups.map { ($0.name, $0.color) })
        // Unlabelled tokens first, so the classes are drawn on top.
        let ordered = tokens.sorted { ($0.group == nil ? 0 : 1) < ($1.group == nil ? 0 : 1) }
        let centers = ordered.map { (x.pixel($0.position.0), y.pixel($0.position.1)) }
        for (token, center) in zip(ordered, centers) {
            svg.circle(center: center, radius: 4, fill: token.group.flatMap { colors[$0] } ?? Self.otherColor, title: token.label)
        }
        var layout = LabelLayout(obstacles: centers.map { LabelLayout.Box(x: $0.0 - 4, y: $0.1 - 4, width: 8, height: 8) })
        // Class words claim their places first.
        for index in ordered.indices.reversed() where ordered[index].isLabelled {
            let token = ordered[index], center = centers[index]
            let color = token.group.flatMap { colors[$0] } ?? Self.otherColor
            let place = layout.place(token.label, near: center, fontSize: 11)
            if place.isDisplaced {
                svg.line(from: center, to: place.anchor, stroke: color, width: 0.6)
            }
            svg.text(token.label, at: place.baseline, size: 11, fill: color)
        }
        for (index, group) in (groups.isEmpty ? [] : groups + [("other", Self.otherColor)]).enumerated() {
            let top = plot.top + 10 + Double(index) * 22
            svg.circle(center: (plot.right + 24, top), radius: 5, fill: group.1)
            svg.text(group.0, at: (plot.right + 36, top + 4), size: 12)
        }
        return svg
    }
}

/// Greedy placement of point labels: each label takes the first nearby spot, spiralling outwards,
/// where it overlaps neither a placed label nor a point.
struct LabelLayout {
    struct Box {
        let x: Double, y: Double, width: Double, height: Double

        func overlaps(_ other: Box) -> Bool {
            x < other.x + other.width && other.x < x + width && y < other.y + other.height && other.y < y + height
        }
    }

    struct Placement {
        /// Where the text starts (left end of its baseline).
        let baseline: (Double, Double)
        /// The point of the label nearest its dot, for a leader line.
        let anchor: (Double, Double)
        let isDisplaced: Bool
    }

    private var occupied: [Box]

    init(obstacles: [Box]) {
        occupied = obstacles
    }

    mutating func place(_ label: String, near point: (Double, Double), fontSize: Double) -> Placement {
        let width = 0.58 * fontSize * Double(label.count), height = fontSize
        var candidates: [(dx: Double, dy: Double)] = [(6, -height / 2), (-6 - width, -height / 2),
                                                      (-width / 2, -height - 5), (-width / 2, 5)]
        for radius in [16.0, 26, 38, 52, 70] {
            for step in 0..<16 {
                let angle = Double(step) * Double.pi / 8
                candidates.append((radius * cos(angle) - width / 2, radius * sin(angle) - height / 2))
            }
        }
        let chosenIndex = candidates.firstIndex { offset in
            let box = Box(x: point.0 + offset.dx, y: point.1 + offset.dy, width: width, height: height)
            return !occupied.contains { $0.overlaps(box) }
        } ?? 0
        let offset = candidates[chosenIndex]
        let box = Box(x: point.0 + offset.dx, y: point.1 + offset.dy, width: width, height: height)
        occupied.append(box)
        let anchor = (min(max(point.0, box.x), box.x + box.width), min(max(point.1, box.y), box.y + box.height))
        // The first four spots touch the dot; a label further out gets a leader line.
        return Placement(baseline: (box.x, box.y + height * 0.85), anchor: anchor, isDisplaced: chosenIndex >= 4)
    }
}

/// Frame, grid lines, tick labels and axis titles of a plot area.
private func drawAxes(_ svg: inout SVGDocument, x: AxisScale, y: AxisScale,
                      plot: (left: Double, top: Double, right: Double, bottom: Double), xTitle: String, yTitle: String) {
    for tick in x.ticks {
        let position = x.pixel(tick)
        svg.line(from: (position, plot.top), to: (position, plot.bottom), stroke: "#eee")
        svg.text(x.label(tick), at: (position, plot.bottom + 18), size: 11, anchor: .middle, fill: "#555")
    }
    for tick in y.ticks {
        let position = y.pixel(tick)
        svg.line(from: (plot.left, position), to: (plot.right, position), stroke: "#eee")
        svg.text(y.label(tick), at: (plot.left - 8, position + 4), size: 11, anchor: .end, fill: "#555")
    }
    svg.rectangle(x: plot.left, y: plot.top, width: plot.right - plot.left, height: plot.bottom - plot.top,
                  fill: "none", stroke: "#444")
    svg.text(xTitle, at: ((plot.left + plot.right) / 2, plot.bottom + 40), size: 13, anchor: .middle)
    svg.text(yTitle, at: (plot.left - 48, (plot.top + plot.bottom) / 2), size: 13, anchor: .middle, rotated: true)
}
