import Testing
@testable import Tensor

/// A deterministic pseudo-random matrix with non-integer entries in (-1, 1), so that rounding
/// makes the summation order visible.
private func scrambled<S: FloatingTensorScalar>(_ shape: [Int], seed: Int, as type: S.Type = S.self) -> Tensor<S> {
    let count = shape.reduce(1, *)
    let scalars = (0..<count).map { index -> S in
        let mixed = (index &+ seed &* 7919) &* 2_654_435_761
        return S(Double((mixed >> 7) % 2001 - 1000) / 997)
    }
    return Tensor(shape: shape, scalars: scalars)
}

/// The triple loop the kernels must equal bit for bit: each output is the fused multiply-add chain
/// `fma(a₂, b₂, fma(a₁, b₁, fma(a₀, b₀, 0)))…` in increasing k.
private func naiveProduct<S: FloatingTensorScalar>(_ lhs: Tensor<S>, _ rhs: Tensor<S>) -> Tensor<S> {
    let rows = lhs.shape[0], depth = lhs.shape[1], columns = rhs.shape[1]
    let a = lhs.scalars, b = rhs.scalars
    var result = [S](repeating: 0, count: rows * columns)
    for row in 0..<rows {
        for column in 0..<columns {
            var sum = S.zero
            for inner in 0..<depth { sum = sum.addingProduct(a[row * depth + inner], b[inner * columns + column]) }
            result[row * columns + column] = sum
        }
    }
    return Tensor(shape: [rows, columns], scalars: result)
}

@Suite struct MatmulTests {
    @Test func twoByThreeTimesThreeByTwo() {
        let a = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = Tensor<Float>(shape: [3, 2], scalars: [7, 8, 9, 10, 11, 12])
        #expect(a.matmul(b) == Tensor(shape: [2, 2], scalars: [58, 64, 139, 154]))
    }

    @Test(arguments: [(1, 1, 1), (1, 7, 33), (7, 33, 65), (33, 65, 7), (65, 130, 33), (130, 300, 67),
                      (6, 129, 8), (12, 128, 16)])
    func floatProductEqualsTheNaiveLoopExactly(shape: (rows: Int, depth: Int, columns: Int)) {
        let a = scrambled([shape.rows, shape.depth], seed: 1, as: Float.self)
        let b = scrambled([shape.depth, shape.columns], seed: 2, as: Float.self)
        #expect(a.matmul(b) == naiveProduct(a, b))
    }

    @Test(arguments: [(5, 3, 9), (65, 33, 130), (131, 257, 35)])
    func doubleProductEqualsTheNaiveLoopExactly(shape: (rows: Int, depth: Int, columns: Int)) {
        let a = scrambled([shape.rows, shape.depth], seed: 3, as: Double.self)
        let b = scrambled([shape.depth, shape.columns], seed: 4, as: Double.self)
        #expect(a.matmul(b) == naiveProduct(a, b))
    }

    @Test func transposedOperandsArePackedWithoutCopies() {
        let a = scrambled([70, 45], seed: 5, as: Float.self)
        let b = scrambled([66, 70], seed: 6, as: Float.self)
        let expected = naiveProduct(a.transposed().contiguous(), b.transposed().contiguous())
        #expect(a.transposed().matmul(b.transposed()) == expected)
        let small = scrambled([3, 4], seed: 7, as: Float.self)
        #expect(small.transposed().matmul(small) == naiveProduct(small.transposed().contiguous(), small))
    }

    @Test func batchedProductsBroadcastTheirBatchAxes() {
        let a = scrambled([2, 1, 4, 5], seed: 8, as: Float.self)
        let b = scrambled([3, 5, 6], seed: 9, as: Float.self)
        let product = a.matmul(b)
        #expect(product.shape == [2, 3, 4, 6])
        for i in 0..<2 {
            for j in 0..<3 {
                #expect(product[i][j] == naiveProduct(a[i][0].contiguous(), b[j].contiguous()))
            }
        }
    }

    @Test func stackTimesMatrixMatchesEachSlice() {
        let stack = scrambled([3, 40, 50], seed: 10, as: Float.self)
        let matrix = scrambled([50, 45], seed: 11, as: Float.self)
        let product = stack.matmul(matrix)
        #expect(product.shape == [3, 40, 45])
        for i in 0..<3 { #expect(product[i] == naiveProduct(stack[i].contiguous(), matrix)) }
        let strided = stack.transposed(0, 1)
        let stridedProduct = strided.matmul(matrix)
        for i in 0..<40 { #expect(stridedProduct[i] == naiveProduct(strided[i].contiguous(), matrix)) }
    }

    @Test func vectorOperandsArePromotedAndTheAddedAxisRemoved() {
        let v = Tensor<Float>([1, 2, 3])
        let m = Tensor<Float>(shape: [3, 2], scalars: [1, 0, 0, 1, 1, 1])
        #expect(v.matmul(v).shape == [])
        #expect(v.matmul(v).scalar == 14)
        #expect(v.matmul(m) == Tensor([4, 5]))
        #expect(m.transposed().matmul(v) == Tensor([4, 5]))
        let stack = Tensor<Float>.stacked([m, m * 2])
        #expect(v.matmul(stack) == Tensor(shape: [2, 2], scalars: [4, 5, 8, 10]))
        #expect(stack.transposed().matmul(v) == Tensor(shape: [2, 2], scalars: [4, 5, 8, 10]))
    }

    @Test func emptyDimensions() {
        #expect(Tensor<Float>.zeros([0, 3]).matmul(Tensor.zeros([3, 2])).shape == [0, 2])
        #expect(Tensor<Float>.ones([2, 0]).matmul(Tensor.ones([0, 3])) == Tensor.zeros([2, 3]))
        #expect(Tensor<Float>.ones([0]).matmul(Tensor.ones([0])).scalar == 0)
    }

    @Test func integerProductsWrap() {
        let a = Tensor<Int64>(shape: [2, 2], scalars: [1, 2, 3, 4])
        #expect(a.matmul(a) == Tensor(shape: [2, 2], scalars: [7, 10, 15, 22]))
        let big = Tensor<Int32>(shape: [1, 2], scalars: [Int32.max, 1])
        #expect(big.matmul(Tensor(shape: [2, 1], scalars: [2, 2])).scalar == 0)
    }

    @Test func innerDimensionMismatchTrapsNamingBothShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>.zeros([2, 3]).matmul(Tensor.zeros([4, 5]))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("[2, 3]") && message.contains("[4, 5]"))
    }

    @Test func productIsIndependentOfThreadCount() {
        let a = scrambled([200, 150], seed: 12, as: Float.self)
        let b = scrambled([150, 190], seed: 13, as: Float.self)
        let batch = scrambled([64, 8, 9], seed: 14, as: Double.self)
        let row = scrambled([1, 300], seed: 15, as: Float.self)
        let wide = scrambled([300, 700], seed: 16, as: Float.self)
        let short = scrambled([6, 300], seed: 17, as: Float.self)
        let single = withMaximumThreadCount(1) {
            (a.matmul(b), batch.matmul(batch.transposed()), row.matmul(wide), short.matmul(wide))
        }
        withMaximumThreadCount(4) {
            #expect(a.matmul(b) == single.0)
            #expect(batch.matmul(batch.transposed()) == single.1)
            #expect(row.matmul(wide) == single.2)
            #expect(short.matmul(wide) == single.3)
        }
        #expect(single.0 == naiveProduct(a, b))
        #expect(single.2 == naiveProduct(row, wide))
        #expect(single.3 == naiveProduct(short, wide))
    }

    /// Shapes around every level's register tile and cache blocks (several depth blocks, more
    /// columns than one column block), transposed operands, Float and Double.
    @Test(arguments: InstructionSet.supported)
    func productIsTheFusedChainAtEveryInstructionSetLevel(level: InstructionSet) {
        // Unpacked (few rows, or small), packed with several depth blocks, more rows than one row
        // block, more columns than one column block (kc 512, mc 264, nc 4096 at AVX-512).
        for (rows, depth, columns) in [(3, 5, 7), (13, 31, 17), (29, 600, 35), (97, 129, 100), (300, 600, 40),
                                       (8, 600, 4200)] {
            let a = scrambled([rows, depth], seed: rows, as: Float.self)
            let b = scrambled([columns, depth], seed: columns, as: Float.self).transposed()
            let expected = naiveProduct(a, b.contiguous())
            withInstructionSet(level) {
                #expect(a.matmul(b) == expected, "\(level) \(rows)×\(depth)×\(columns)")
                #expect(withMaximumThreadCount(1) { a.matmul(b) } == expected, "\(level) one thread")
            }
            let doubles = (scrambled([rows, depth], seed: 3, as: Double.self), scrambled([depth, columns], seed: 4, as: Double.self))
            let expectedDoubles = naiveProduct(doubles.0, doubles.1)
            withInstructionSet(level) {
                #expect(doubles.0.matmul(doubles.1) == expectedDoubles, "\(level) Double \(rows)×\(depth)×\(columns)")
            }
        }
    }
}
