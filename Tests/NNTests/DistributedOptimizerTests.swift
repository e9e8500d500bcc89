import DistributedScenarios
import Foundation
import Testing
import NN

/// One data-parallel training run: the optimizer, whether a dense layer follows the table, the
/// number of ranks and each rank's batch.
struct DataParallelCase: Sendable, CustomTestStringConvertible {
    let optimizer: DataParallelTraining.OptimizerKind
    let withDenseLayer: Bool
    let ranks: Int
    let perRank: Int

    var testDescription: String {
        "\(optimizer.rawValue)\(withDenseLayer ? " + linear" : ""), \(ranks) ranks × \(perRank) windows"
    }

    static let all: [DataParallelCase] = DataParallelTraining.OptimizerKind.allCases.flatMap { optimizer in
        [false, true].flatMap { withDenseLayer in
            [(2, 4), (4, 4), (2, 8), (4, 8)].map { ranks, perRank in
                DataParallelCase(optimizer: optimizer, withDenseLayer: withDenseLayer, ranks: ranks, perRank: perRank)
            }
        }
    }
}

/// An optimizer whose parameter list can change after the distributed one wraps it, and whose
/// step does nothing.
private final class ParameterList: Optimizer {
    var parameters: [Parameter<Float>]
    var learningRate = 0.1
    init(_ parameters: [Parameter<Float>]) { self.parameters = parameters }
    func step() {}
}

/// An optimizer whose `zeroGrad()` keeps zero gradients instead of none (PyTorch's
/// `zero_grad(set_to_none=False)`) and counts its calls.
private final class ZeroingOptimizer: Optimizer {
    let parameters: [Parameter<Float>]
    var learningRate = 0.1
    private(set) var zeroGradCalls = 0
    init(_ parameters: [Parameter<Float>]) { self.parameters = parameters }
    func step() {}
    func zeroGrad() {
        zeroGradCalls += 1
        for parameter in parameters { parameter.gradient = .dense(Tensor<Float>.zeros(parameter.shape)) }
    }
}

/// A parameter of `shape` whose values differ from rank to rank.
private func rankParameter(_ shape: [Int], rank: Int, seed: UInt64 = 0) -> Parameter<Float> {
    Parameter(Tensor<Float>.randn(shape, generator: Generator(seed: seed + 100 * UInt64(rank))))
}

/// Row-sparse entries: rows `rows` of a `[rowCount, width]` table, entry k holding
/// `base + k + 0.25 j` in column j.
private func rowEntries(_ rows: [Int64], width: Int = 2, rowCount: Int = 6, base: Float) -> RowSparseGradient<Float> {
    let values = rows.indices.flatMap { k in (0..<width).map { base + Float(k) + 0.25 * Float($0) } }
    return RowSparseGradient(rowIndices: Tensor<Int64>(rows), values: Tensor<Float>(shape: [rows.count, width], scalars: values),
                             rowCount: rowCount)
}

@Suite struct DistributedOptimizerTests {
    // MARK: Equivalence with one process

    @Test(arguments: DataParallelCase.all)
    func ranksTrainAsOneProcessOnTheWholeBatchAndHoldTheSameBits(_ run: DataParallelCase) throws {
        let training = DataParallelTraining(optimizer: run.optimizer, withDenseLayer: run.withDenseLayer)
        let globalBatchSize = run.perRank * run.ranks
        let reference = try training.run(group: .single, globalBatchSize: globalBatchSize)
        let outcomes = try #require(onRanks(run.ranks) { group in
            Result { try training.run(group: group, globalBatchSize: globalBatchSize) }
        })
        let trained = try outcomes.map { try $0.get() }
        for (rank, parameters) in trained.enumerated() {
            #expect(parameters.count == reference.count)
            #expect(training.differences(distributed: parameters, reference: reference) == [], "rank \(rank)")
            #expect(bitPatterns(parameters) == bitPatterns(trained[0]), "rank \(rank)'s parameters differ from rank 0's")
        }
        // The run trains: the table moved away from rank 0's initial draw.
        let initial = Embedding<Float>(vocabularySize: training.vocabularySize, embeddingSize: training.embeddingSize,
                                       generator: Generator(seed: 100)).weight.value
        #expect(bitPatterns(reference[0]) != bitPatterns(initial))
    }

    // MARK: Creation

    @Test func creatingItGivesEveryRankRankZerosParameters() throws {
        let values = try #require(onRanks(3) { group in
            let table = rankParameter([5, 2], rank: group.rank)
            _ = try! DistributedOptimizer(SGD(parameters: [table], learningRate: 0.1), group: group)
            return bitPatterns(table.value)
        })
        #expect(values == Array(repeating: bitPatterns(rankParameter([5, 2], rank: 0).value), count: 3))
    }

    @Test func creatingItWithMismatchedParametersThrowsOnEveryRankAndChangesNothing() throws {
        let results = try #require(onRanks(2) { group in
            let table = rankParameter(group.rank == 0 ? [5, 2] : [2, 5], rank: group.rank)
            let before = bitPatterns(table.value)
            let error = distributedError { () throws(DistributedError) in
                try DistributedOptimizer(SGD(parameters: [table], learningRate: 0.1), group: group)
            }
            return (error, bitPatterns(table.value) == before)
        })
        for (error, unchanged) in results {
            #expect(error?.disagreeingOperation == "parameter broadcast")
            #expect(unchanged)
        }
    }

    @Test func itForwardsTheParametersAndLearningRateOfTheWrappedOptimizer() throws {
        let table = Parameter(Tensor<Float>.zeros([3, 2]))
        let sgd = SGD(parameters: [table], learningRate: 0.1)
        let optimizer = try DistributedOptimizer(sgd, group: .single)
        #expect(optimizer.parameters.count == 1 && optimizer.parameters[0] === table)
        #expect(optimizer.averagesGradients)
        optimizer.learningRate = 0.25
        #expect(sgd.learningRate == 0.25)
        table.gradient = .dense(Tensor<Float>.ones([3, 2]))
        optimizer.zeroGrad()
        #expect(table.gradient == nil)
    }

    @Test func zeroGradIsTheWrappedOptimizers() throws {
        let weight = Parameter(Tensor<Float>([1, 2]))
        let base = ZeroingOptimizer([weight])
        let optimizer = try DistributedOptimizer(base, group: .single)
        weight.gradient = .dense(Tensor<Float>([5, 6]))
        optimizer.zeroGrad()
        #expect(base.zeroGradCalls == 1)
        #expect(weight.gradient?.denseTensor?.scalars == [0, 0])
    }

    @Test func overTheSingleGroupItTakesTheWrappedOptimizersStep() throws {
        let ids = Tensor<Int64>(shape: [2, 3], scalars: [1, 4, 4, 0, 2, 1])
        func trained(distributed: Bool) throws -> [UInt32] {
            let table = Embedding<Float>(vocabularySize: 6, embeddingSize: 3, generator: Generator(seed: 9))
            let adam = Adam(parameters: table.parameters, learningRate: 0.05)
            let optimizer: any Optimizer<Float>
            if distributed {
                optimizer = try DistributedOptimizer(adam, group: .single)
            } else {
                optimizer = adam
            }
            for _ in 0..<3 {
                optimizer.zeroGrad()
                try table(ids).squared().sum().backward()
                optimizer.step()
            }
            return bitPatterns(table.weight.value)
        }
        #expect(try trained(distributed: true) == trained(distributed: false))
    }

    // MARK: Dense gradients

    @Test func denseGradientsBecomeTheRankOrderMeanOnEveryRank() throws {
        let gradients = (0..<3).map { orderSensitiveFloats(rank: $0, ranks: 3, count: 8) }
        let expected = sumInOrder(gradients, order: [0, 1, 2]).map { $0 / 3 }
        let results = try #require(onRanks(3) { group in
            let weight = rankParameter([2, 4], rank: group.rank)
            let optimizer = try! DistributedOptimizer(SGD(parameters: [weight], learningRate: 0.1), group: group)
            weight.gradient = .dense(Tensor<Float>(shape: [2, 4], scalars: gradients[group.rank]))
            try! optimizer.synchronizeGradients()
            return weight.gradient
        })
        for gradient in results {
            let dense = try #require(gradient?.denseTensor)
            #expect(dense.shape == [2, 4])
            #expect(bitPatterns(dense) == bitPatterns(expected))
        }
    }

    @Test func withoutAveragingDenseGradientsAreSummed() throws {
        let gradients = (0..<3).map { orderSensitiveFloats(rank: $0, ranks: 3, count: 5) }
        let expected = sumInOrder(gradients, order: [0, 1, 2])
        let results = try #require(onRanks(3) { group in
            let weight = rankParameter([5], rank: group.rank)
            let optimizer = try! DistributedOptimizer(SGD(parameters: [weight], learningRate: 0.1), group: group,
                                                      averagesGradients: false)
            weight.gradient = .dense(Tensor<Float>(gradients[group.rank]))
            try! optimizer.synchronizeGradients()
            return weight.gradient
        })
        for gradient in results {
            #expect(bitPatterns(try #require(gradient?.denseTensor)) == bitPatterns(expected))
        }
    }

    @Test func aRankWithoutADenseGradientContributesZeros() throws {
        let results = try #require(onRanks(2) { group in
            let weight = rankParameter([3], rank: group.rank)
            let optimizer = try! DistributedOptimizer(SGD(parameters: [weight], learningRate: 0.1), group: group)
            if group.rank == 1 { weight.gradient = .dense(Tensor<Float>([2, 4, -6])) }
            try! optimizer.synchronizeGradients()
            return weight.gradient
        })
        for gradient in results {
            #expect(try #require(gradient?.denseTensor).scalars == [1, 2, -3])
        }
    }

    @Test func aGradientDenseOnOneRankAndRowSparseOnAnotherIsCombinedDensely() throws {
        let results = try #require(onRanks(2) { group in
            let table = rankParameter([4, 2], rank: group.rank)
            let optimizer = try! DistributedOptimizer(SGD(parameters: [table], learningRate: 0.1), group: group,
                                                      averagesGradients: false)
            if group.rank == 0 {
                table.gradient = .rows(RowSparseGradient(rowIndices: Tensor<Int64>([3, 3]),
                                                         values: Tensor<Float>(shape: [2, 2], scalars: [1, 2, 10, 20]),
                                                         rowCount: 4))
            } else {
                table.gradient = .dense(Tensor<Float>.ones([4, 2]))
            }
            try! optimizer.synchronizeGradients()
            return table.gradient
        })
        for gradient in results {
            let dense = try #require(gradient?.denseTensor)
            #expect(dense.shape == [4, 2])
            #expect(dense.scalars == [1, 1, 1, 1, 1, 1, 12, 23])
        }
    }

    // MARK: Row-sparse gradients

    @Test func rowSparseGradientsStayRowSparseWithEveryRanksEntriesInRankOrder() throws {
        // Rank r's entries are rows [r, 5 − r, r] with values from 10 r: 4 ranks, so the mean's
        // division by 4 is exact and the expected values are the entries over 4.
        let results = try #require(onRanks(4) { group in
            let table = rankParameter([6, 2], rank: group.rank)
            let optimizer = try! DistributedOptimizer(SGD(parameters: [table], learningRate: 0.1), group: group)
            let rank = Int64(group.rank)
            table.gradient = .rows(rowEntries([rank, 5 - rank, rank], base: 10 * Float(group.rank)))
            try! optimizer.synchronizeGradients()
            return table.gradient
        })
        let expectedRows = (0..<4).flatMap { rank in [Int64(rank), Int64(5 - rank), Int64(rank)] }
        let expectedValues = (0..<4).flatMap { rank in
            rowEntries([0, 0, 0], base: 10 * Float(rank)).values.scalars.map { $0 / 4 }
        }
        for gradient in results {
            let rows = try #require(gradient?.rowEntries, "the gradient was densified")
            #expect(rows.rowIndices.scalars == expectedRows)
            #expect(rows.values.shape == [12, 2])
            #expect(bitPatterns(rows.values) == bitPatterns(expectedValues))
            #expect(rows.rowCount == 6)
        }
    }

    @Test func withoutAveragingRowSparseEntriesAreGatheredUnscaled() throws {
        let results = try #require(onRanks(3) { group in
            let table = rankParameter([6, 2], rank: group.rank)
            let optimizer = try! DistributedOptimizer(SGD(parameters: [table], learningRate: 0.1), group: group,
                                                      averagesGradients: false)
            table.gradient = .rows(rowEntries([Int64(group.rank + 1)], base: Float(group.rank)))
            try! optimizer.synchronizeGradients()
            return table.gradient
        })
        for gradient in results {
            let rows = try #require(gradient?.rowEntries)
            #expect(rows.rowIndices.scalars == [1, 2, 3])
            #expect(rows.values.scalars == [0, 0.25, 1, 1.25, 2, 2.25])
        }
    }

    @Test func aRankWithoutARowSparseGradientContributesNoEntries() throws {
        // Ranks 0 and 2 have entries, rank 1 none (it did no backward through the table).
        let results = try #require(onRanks(3) { group in
            let table = rankParameter([6, 2], rank: group.rank)
            let optimizer = try! DistributedOptimizer(SGD(parameters: [table], learningRate: 0.1), group: group)
            if group.rank != 1 { table.gradient = .rows(rowEntries([Int64(group.rank), 4], base: Float(group.rank))) }
            try! optimizer.synchronizeGradients()
            return table.gradient
        })
        let expectedValues = (rowEntries([0, 4], base: 0).values.scalars + rowEntries([2, 4], base: 2).values.scalars)
            .map { $0 / 3 }
        for gradient in results {
            let rows = try #require(gradient?.rowEntries)
            #expect(rows.rowIndices.scalars == [0, 4, 2, 4])
            #expect(bitPatterns(rows.values) == bitPatterns(expectedValues))
            #expect(rows.rowCount == 6)
        }
    }

    @Test func aRankThatSkipsBackwardOnATableTakesTheSameStepAsTheOthers() throws {
        // Rank 0 looks up rows and backpropagates; rank 1 does nothing. Both must take rank 0's
        // step with its gradient halved (the mean over two ranks).
        let ids = Tensor<Int64>([1, 3, 3])
        let results = try #require(onRanks(2) { group in
            let table = Embedding<Float>(vocabularySize: 5, embeddingSize: 2, generator: Generator(seed: 4 + UInt64(group.rank)))
            let optimizer = try! DistributedOptimizer(SGD(parameters: table.parameters, learningRate: 0.5, momentum: 0.9),
                                                      group: group)
            for _ in 0..<2 {
                optimizer.zeroGrad()
                if group.rank == 0 { try! table(ids).squared().sum().backward() }
                optimizer.step()
            }
            return bitPatterns(table.weight.value)
        })
        let reference = Embedding<Float>(vocabularySize: 5, embeddingSize: 2, generator: Generator(seed: 4))
        let sgd = SGD(parameters: reference.parameters, learningRate: 0.5, momentum: 0.9)
        for _ in 0..<2 {
            sgd.zeroGrad()
            try reference(ids).squared().sum().backward()
            let rows = try #require(reference.weight.gradient?.rowEntries)
            reference.weight.gradient = .rows(RowSparseGradient(rowIndices: rows.rowIndices, values: rows.values / 2,
                                                                rowCount: rows.rowCount))
            sgd.step()
        }
        #expect(results == [bitPatterns(reference.weight.value), bitPatterns(reference.weight.value)])
    }

    // MARK: Parameters without gradients

    @Test func frozenParametersKeepNoGradientAndTheOthersStillTrain() throws {
        let results = try #require(onRanks(2) { group in
            let table = Embedding<Float>(vocabularySize: 4, embeddingSize: 3, generator: Generator(seed: 1 + UInt64(group.rank)))
            let frozen = Parameter(Tensor<Float>([2, 3, 4]), requiresGrad: false)
            let optimizer = try! DistributedOptimizer(
                SGD(parameters: [table.weight, frozen], learningRate: 0.1, momentum: 0.9), group: group)
            let frozenBefore = bitPatterns(frozen.value)
            let tableBefore = bitPatterns(table.weight.value)
            for step in 0..<2 {
                optimizer.zeroGrad()
                let rows = try! table(Tensor<Int64>([Int64(step + group.rank)]))
                (rows * frozen).sum().backward()
                optimizer.step()
            }
            return (frozen.gradient == nil, bitPatterns(frozen.value) == frozenBefore,
                    bitPatterns(table.weight.value), tableBefore)
        })
        for (noGradient, frozenUnchanged, table, _) in results {
            #expect(noGradient)
            #expect(frozenUnchanged)
            #expect(table == results[0].2)
        }
        #expect(results[0].2 != results[0].3, "the table trained")
    }

    @Test func aParameterNoRankComputedAGradientForKeepsNone() throws {
        let results = try #require(onRanks(3) { group in
            let used = rankParameter([2], rank: group.rank)
            let unused = rankParameter([4], rank: group.rank, seed: 1)
            let optimizer = try! DistributedOptimizer(SGD(parameters: [unused, used], learningRate: 0.1), group: group)
            used.gradient = .dense(Tensor<Float>([3, Float(group.rank)]))
            try! optimizer.synchronizeGradients()
            return (unused.gradient == nil, used.gradient?.denseTensor?.scalars)
        })
        for (unusedHasNone, used) in results {
            #expect(unusedHasNone)
            #expect(used == [3, 1])
        }
    }

    @Test func ranksWithDifferentParameterCountsAtAnExchangeThrowOnEveryRank() throws {
        let results = try #require(onRanks(3) { group in
            let base = ParameterList([rankParameter([2], rank: group.rank)])
            let optimizer = try! DistributedOptimizer(base, group: group)
            if group.rank == 1 { base.parameters.append(Parameter(Tensor<Float>([1]))) }
            for parameter in base.parameters { parameter.gradient = .dense(Tensor<Float>.ones(parameter.shape)) }
            let error = distributedError { () throws(DistributedError) in try optimizer.synchronizeGradients() }
            // The group stays usable.
            return (error, try! group.allreduce(Tensor<Float>([1])).scalars)
        })
        for (rank, (error, after)) in results.enumerated() {
            #expect(error?.disagreeingOperation == "gradient exchange", "rank \(rank): \(describe(error))")
            #expect(after == [3])
        }
    }
}
