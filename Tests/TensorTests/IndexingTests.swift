import Testing
@testable import Tensor

/// golden.json `embedding_forward_backward[0]` (options {}): a 6×4 table, indices [[1, 2, 2, 5],
/// [0, 2, 1, 1]], the lookup PyTorch returned, an upstream gradient and the weight gradient
/// PyTorch accumulated from it.
private enum EmbeddingGolden {
    static let weight = Tensor<Float>(shape: [6, 4], scalars: [
        -1.5255959033966064, -0.7502318024635315, -0.6539809107780457, -1.6094847917556763,
        -0.1001671776175499, -0.6091889142990112, -0.9797722697257996, -1.6090962886810303,
        0.43914157152175903, 1.1712007522583008, 1.7674273252487183, -0.09536188095808029,
        0.13937149941921234, -1.5785011053085327, -0.3206208348274231, -0.29934605956077576,
        -0.7984398007392883, 0.33573052287101746, 0.2753335237503052, 1.7163026332855225,
        -0.056139666587114334, 0.9107019901275635, -1.3923858404159546, 2.6890869140625,
    ])
    static let indices = Tensor<Int64>(shape: [2, 4], scalars: [1, 2, 2, 5, 0, 2, 1, 1])
    static let output = Tensor<Float>(shape: [2, 4, 4], scalars: [
        -0.1001671776175499, -0.6091889142990112, -0.9797722697257996, -1.6090962886810303,
        0.43914157152175903, 1.1712007522583008, 1.7674273252487183, -0.09536188095808029,
        0.43914157152175903, 1.1712007522583008, 1.7674273252487183, -0.09536188095808029,
        -0.056139666587114334, 0.9107019901275635, -1.3923858404159546, 2.6890869140625,
        -1.5255959033966064, -0.7502318024635315, -0.6539809107780457, -1.6094847917556763,
        0.43914157152175903, 1.1712007522583008, 1.7674273252487183, -0.09536188095808029,
        -0.1001671776175499, -0.6091889142990112, -0.9797722697257996, -1.6090962886810303,
        -0.1001671776175499, -0.6091889142990112, -0.9797722697257996, -1.6090962886810303,
    ])
    static let upstreamGradient = Tensor<Float>(shape: [2, 4, 4], scalars: [
        -1.8821425437927246, -0.7765450477600098, 2.0242021083831787, -0.08654119819402695,
        0.09812353551387787, -1.215006709098816, 0.7311667203903198, 1.1718047857284546,
        2.406978130340576, 0.27856624126434326, 0.24675291776657104, 1.1843266487121582,
        -0.7282137274742126, 1.1632744073867798, -0.009074585512280464, -0.8424633741378784,
        0.21518245339393616, -0.5241936445236206, -1.8033639192581177, -1.3083208799362183,
        0.4532545804977417, 1.1421611309051514, 0.2486107051372528, -1.7754007577896118,
        1.117349624633789, 0.29813531041145325, 0.10988554358482361, -0.6463385224342346,
        0.42854228615760803, 1.4760777950286865, -1.7868678569793701, 1.610317587852478,
    ])
    static let weightGradient = Tensor<Float>(shape: [6, 4], scalars: [
        0.21518245339393616, -0.5241936445236206, -1.8033639192581177, -1.3083208799362183,
        -0.3362506330013275, 0.9976680278778076, 0.34721970558166504, 0.8774378895759583,
        2.9583563804626465, 0.2057206630706787, 1.2265303134918213, 0.5807307958602905,
        0, 0, 0, 0,
        0, 0, 0, 0,
        -0.7282137274742126, 1.1632744073867798, -0.009074585512280464, -0.8424633741378784,
    ])
}

@Suite struct IndexingTests {
    let table = Tensor<Float>(shape: [3, 2], scalars: [0, 1, 10, 11, 20, 21])

    @Test func indexSelectMatchesPyTorchEmbeddingLookup() throws {
        #expect(try EmbeddingGolden.weight.indexSelect(rows: EmbeddingGolden.indices) == EmbeddingGolden.output)
    }

    @Test func indexAddMatchesPyTorchEmbeddingBackward() throws {
        let gradient = try Tensor<Float>.zeros([6, 4])
            .indexAdded(rows: EmbeddingGolden.indices, values: EmbeddingGolden.upstreamGradient)
        #expect(gradient == EmbeddingGolden.weightGradient)
    }

    @Test func resultShapeIsIndexShapeFollowedByRowShape() throws {
        #expect(try table.indexSelect(rows: Tensor<Int64>(shape: [2, 2], scalars: [2, 0, 2, 1])).shape == [2, 2, 2])
        #expect(try table.indexSelect(rows: Tensor<Int64>([1, 1])).scalars == [10, 11, 10, 11])
        let single = try table.indexSelect(rows: Tensor<Int64>(scalar: 2))
        #expect(single.shape == [2])
        #expect(single.scalars == [20, 21])
        let vector = try Tensor<Int64>([5, 6, 7]).indexSelect(rows: Tensor<Int64>([2, 0]))
        #expect(vector.scalars == [7, 5])
    }

    @Test func emptyIndexTensorsSelectAndAddNothing() throws {
        #expect(try table.indexSelect(rows: Tensor<Int64>.zeros([0])).shape == [0, 2])
        #expect(try table.indexSelect(rows: Tensor<Int64>.zeros([2, 0])).shape == [2, 0, 2])
        var copy = table
        try copy.indexAdd(rows: Tensor<Int64>.zeros([0]), values: Tensor.zeros([0, 2]))
        #expect(copy == table)
    }

    @Test func outOfRangeIndexThrowsWithItsPosition() {
        let indices = Tensor<Int64>(shape: [2, 3], scalars: [0, 1, 2, 1, 3, 9])
        #expect(throws: TensorError.indexOutOfRange(index: 3, position: [1, 1], bound: 3)) {
            try table.indexSelect(rows: indices)
        }
    }

    @Test func negativeIndexIsNotWrapped() {
        #expect(throws: TensorError.indexOutOfRange(index: -1, position: [2], bound: 3)) {
            try table.indexSelect(rows: Tensor<Int32>([0, 2, -1]))
        }
    }

    @Test func int32IndicesSelectAndAddLikeInt64() throws {
        let wide = Tensor<Int64>([2, 0, 2]), narrow = Tensor<Int32>([2, 0, 2])
        #expect(try table.indexSelect(rows: narrow) == table.indexSelect(rows: wide))
        let values = Tensor<Float>(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
        #expect(try table.indexAdded(rows: narrow, values: values) == table.indexAdded(rows: wide, values: values))
    }

    @Test func nonContiguousTablesMatchTheirContiguousCopies() throws {
        let base = Tensor<Float>.arange(24).reshaped([4, 6])
        let indices = Tensor<Int64>(shape: [2, 2], scalars: [3, 0, 2, 3])
        for view in [base.transposed(), base[.all, .range(1..<6, step: 2)], base[.range(0..<4, step: 2)]] {
            #expect(try view.indexSelect(rows: indices.clampedToRows(view.shape[0]))
                    == view.contiguous().indexSelect(rows: indices.clampedToRows(view.shape[0])))
        }
    }

    @Test func duplicateRowsAreSummedInIndexOrder() throws {
        // In Float, (1e8 + 1) rounds back to 1e8, so only index order gives 0 here
        // ((0 + 1e8) + 1) + -1e8 = 0, whereas any other order gives 1.
        var sums = Tensor<Float>.zeros([2, 1])
        try sums.indexAdd(rows: Tensor<Int64>([1, 1, 0, 1]), values: Tensor(shape: [4, 1], scalars: [1e8, 1, 7, -1e8]))
        #expect(sums.scalars == [7, 0])
    }

    @Test func largeScatterAddKeepsIndexOrderOnEveryThread() throws {
        // Large enough for the parallel path; every row gets 1e8, then 1, then -1e8.
        let rows = 64, width = 1024
        let indices = Tensor<Int64>((0..<(3 * rows)).map { Int64($0 % rows) })
        let perRow: [Float] = [1e8, 1, -1e8]
        let values = Tensor<Float>(shape: [3 * rows, width], scalars: (0..<(3 * rows)).flatMap {
            [Float](repeating: perRow[$0 / rows], count: width)
        })
        let sums = try withMaximumThreadCount(4) { try Tensor<Float>.zeros([rows, width]).indexAdded(rows: indices, values: values) }
        #expect(sums == Tensor.zeros([rows, width]))
    }

    @Test func scatterAddAndGatherAreIndependentOfThreadCount() throws {
        let rows = 500, width = 64, count = 4000
        let indices = Tensor<Int64>((0..<count).map { Int64(($0 &* 2_654_435_761) % rows) })
        let values = Tensor<Float>(shape: [count, width],
                                   scalars: (0..<(count * width)).map { Float(($0 * 7919) % 1999) / 997 - 1 })
        let table = Tensor<Float>(shape: [rows, width], scalars: (0..<(rows * width)).map { Float($0 % 101) / 7 })
        let (singleSum, singleGather) = try withMaximumThreadCount(1) {
            (try table.indexAdded(rows: indices, values: values), try table.indexSelect(rows: indices))
        }
        let (multipleSum, multipleGather) = try withMaximumThreadCount(4) {
            (try table.indexAdded(rows: indices, values: values), try table.indexSelect(rows: indices))
        }
        #expect(multipleSum == singleSum)
        #expect(multipleGather == singleGather)
        var expected = table.scalars
        let flatValues = values.scalars
        for (position, row) in indices.scalars.enumerated() {
            for column in 0..<width { expected[Int(row) * width + column] += flatValues[position * width + column] }
        }
        #expect(singleSum.scalars == expected)
    }

    @Test func failedIndexAddLeavesTheTensorUnchanged() {
        var target = table
        let values = Tensor<Float>.ones([3, 2])
        #expect(throws: TensorError.indexOutOfRange(index: 3, position: [1], bound: 3)) {
            try target.indexAdd(rows: Tensor<Int64>([0, 3, 1]), values: values)
        }
        #expect(throws: TensorError.indexOutOfRange(index: -2, position: [2], bound: 3)) {
            try target.indexAdd(rows: Tensor<Int32>([0, 1, -2]), values: values)
        }
        #expect(target == table)
    }

    @Test func wrongValuesShapeThrowsAndLeavesTheTensorUnchanged() {
        var target = table
        #expect(throws: TensorError.self) {
            try target.indexAdd(rows: Tensor<Int64>([0, 1]), values: Tensor.ones([2, 3]))
        }
        do {
            try target.indexAdd(rows: Tensor<Int64>(shape: [1, 2], scalars: [0, 1]), values: Tensor.ones([2, 2]))
            Issue.record("expected a shape mismatch")
        } catch {
            guard case let .shapeMismatch(expected, found, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(expected == [1, 2, 2] && found == [2, 2])
        }
        #expect(target == table)
    }

    @Test func indexAddedLeavesTheOriginalAndItsViewsAlone() throws {
        let view = table.transposed().transposed()
        let updated = try table.indexAdded(rows: Tensor<Int64>([0]), values: Tensor(shape: [1, 2], scalars: [5, 5]))
        #expect(updated.scalars == [5, 6, 10, 11, 20, 21])
        #expect(table.scalars == [0, 1, 10, 11, 20, 21])
        #expect(view.scalars == table.scalars)
    }
}

private extension Tensor where Scalar == Int64 {
    /// The indices limited to `0..<rows`, for tables of different heights.
    func clampedToRows(_ rows: Int) -> Tensor {
        Tensor(shape: shape, scalars: scalars.map { Swift.min($0, Int64(rows - 1)) })
    }
}
