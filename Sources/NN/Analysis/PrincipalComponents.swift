/// The leading principal components of the rows of a table, found by power iteration on the
/// covariance matrix with deflation — enough to draw a `[V, D]` embedding table in two dimensions.
///
/// Each direction is the unit eigenvector of the `D × D` sample covariance with the next largest
/// eigenvalue, its sign chosen so that its largest-magnitude coordinate is positive (so the
/// picture does not flip between runs). The start vector is fixed, so the result is a pure
/// function of the table.
///
/// ```swift
/// let pca = PrincipalComponents(of: model.token.weight.value, count: 2)
/// pca.projections[catID]   // [x, y]
/// pca.variances            // variance along each direction, largest first
/// ```
public struct PrincipalComponents: Sendable {
    /// The directions, `count` unit vectors of length D.
    public let directions: [[Double]]
    /// The variance of the rows along each direction (the covariance eigenvalues).
    public let variances: [Double]
    /// Every row's coordinates along the directions (all rows of the table, fitted or not),
    /// after subtracting the mean of the fitted rows.
    public let projections: [[Double]]
    /// The total variance of the fitted rows (the covariance trace), to read ``variances`` against.
    public let totalVariance: Double

    /// The first `count` principal components of the rows of a `[V, D]` table, fitted to the
    /// rows listed in `fittedRows` (all rows when nil).
    public init<Scalar: FloatingTensorScalar>(of table: Tensor<Scalar>, count: Int = 2, fittedRows: [Int]? = nil,
                                              maximumIterations: Int = 1000) {
        precondition(table.rank == 2, "PrincipalComponents expects a [V, D] table, got shape \(table.shape)")
        let rowCount = table.shape[0], width = table.shape[1]
        precondition(count >= 1 && count <= width, "count must be in 1...\(width), got \(count)")
        let fitted = fittedRows ?? Array(0..<rowCount)
        precondition(fitted.allSatisfy { (0..<rowCount).contains($0) }, "fittedRows must be rows of the table")
        let values = table.scalars.map(\.doubleValue)
        var mean = [Double](repeating: 0, count: width)
        for row in fitted { for column in 0..<width { mean[column] += values[row * width + column] } }
        mean = mean.map { $0 / Double(Swift.max(fitted.count, 1)) }
        let centered = (0..<rowCount).map { row in (0..<width).map { values[row * width + $0] - mean[$0] } }

        var covariance = [[Double]](repeating: [Double](repeating: 0, count: width), count: width)
        let denominator = Double(Swift.max(fitted.count - 1, 1))
        for vector in fitted.map({ centered[$0] }) {
            for i in 0..<width where vector[i] != 0 {
                for j in i..<width { covariance[i][j] += vector[i] * vector[j] }
            }
        }
        for i in 0..<width {
            for j in i..<width {
                covariance[i][j] /= denominator
                covariance[j][i] = covariance[i][j]
            }
        }
        totalVariance = (0..<width).reduce(0) { $0 + covariance[$1][$1] }

        var directions: [[Double]] = []
        var variances: [Double] = []
        for _ in 0..<count {
            let (direction, variance) = Self.dominantEigenvector(of: covariance, maximumIterations: maximumIterations)
            directions.append(direction)
            variances.append(variance)
            for i in 0..<width {
                for j in 0..<width { covariance[i][j] -= variance * direction[i] * direction[j] }
            }
        }
        self.directions = directions
        self.variances = variances
        projections = centered.map { vector in directions.map { Self.dot($0, vector) } }
    }

    private static func dominantEigenvector(of matrix: [[Double]], maximumIterations: Int) -> (vector: [Double], value: Double) {
        let width = matrix.count
        // A fixed start with no special symmetry: unlikely to be orthogonal to the answer.
        var vector = normalized((0..<width).map { (index: Int) -> Double in Double(13 + (index * 7919) % 13) })
        for _ in 0..<maximumIterations {
            let next = normalized(matrix.map { dot($0, vector) })
            let difference = zip(next, vector).map { (pair: (Double, Double)) -> Double in pair.0 - pair.1 }
            let change = dot(difference, difference)
            vector = next
            if change < 1e-24 { break }
        }
        let largest = vector.indices.max { abs(vector[$0]) < abs(vector[$1]) } ?? 0
        if vector.indices.contains(largest) && vector[largest] < 0 { vector = vector.map { -$0 } }
        let value = dot(vector, matrix.map { dot($0, vector) })
        return (vector, Swift.max(value, 0))
    }

    private static func dot(_ first: [Double], _ second: [Double]) -> Double {
        zip(first, second).reduce(0) { $0 + $1.0 * $1.1 }
    }

    private static func normalized(_ vector: [Double]) -> [Double] {
        let length = dot(vector, vector).squareRoot()
        return length > 0 ? vector.map { $0 / length } : vector
    }
}
