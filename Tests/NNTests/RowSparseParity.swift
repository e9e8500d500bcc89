import Testing
import NN

/// Runs the same optimizer on two copies of a [6, 4] table, one fed row-sparse gradients and one
/// their dense form, and expects the tables (and `state`, e.g. a momentum buffer) to agree bit for
/// bit after every step.
///
/// Rows 2 and 5 never get a gradient, and row 2 holds −0 and +0, the values on which a skipped row
/// and the dense update could differ. The scenario runs twice: from fresh state, and after one
/// dense step (which gives every row non-zero state).
func expectRowSparseStepsMatchDense<O: Optimizer>(
    seed: UInt64, make: ([Parameter<Float>]) -> O, state: (O, Parameter<Float>) -> Tensor<Float>?,
    sourceLocation: SourceLocation = #_sourceLocation
) where O.Scalar == Float {
    var scalars = Tensor<Float>.randn([6, 4], generator: Generator(seed: seed)).scalars
    scalars.replaceSubrange(8..<12, with: [-0.0, 0, -0.0, 0])
    let table = Tensor<Float>(shape: [6, 4], scalars: scalars)
    for denseFirst in [false, true] {
        let sparse = Parameter(table), dense = Parameter(table)
        let sparseOptimizer = make([sparse]), denseOptimizer = make([dense])
        if denseFirst {
            let first = Tensor<Float>.randn([6, 4], generator: Generator(seed: seed + 1))
            sparse.grad = first
            dense.grad = first
            sparseOptimizer.step()
            denseOptimizer.step()
        }
        for (step, rows) in [[1, 4], [0, 1, 1], [3]].enumerated() {
            let gradient = RowSparseGradient(
                rowIndices: Tensor(rows.map(Int64.init)),
                values: Tensor<Float>.randn([rows.count, 4], generator: Generator(seed: seed + 2 + UInt64(step))),
                rowCount: 6)
            sparse.gradient = .rows(gradient)
            dense.grad = gradient.densified()
            sparseOptimizer.step()
            denseOptimizer.step()
            #expect(sparse.value.scalars.map(\.bitPattern) == dense.value.scalars.map(\.bitPattern),
                    "dense first \(denseFirst), step \(step + 1)", sourceLocation: sourceLocation)
        }
        #expect(state(sparseOptimizer, sparse)?.scalars.map(\.bitPattern)
                    == state(denseOptimizer, dense)?.scalars.map(\.bitPattern),
                "dense first \(denseFirst): optimizer state", sourceLocation: sourceLocation)
    }
}
