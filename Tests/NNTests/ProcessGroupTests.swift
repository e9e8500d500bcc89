import Foundation
import Testing
import NN

// The collectives of `ProcessGroup`, on ranks that are threads of this process. Each test gets a
// group of its own; the checks run once every rank has returned (see `onRanks`).

@Suite struct ProcessGroupTests {
    // MARK: Groups

    @Test func localGroupsNumberTheirRanksFromZeroAndShareTheirSize() {
        let groups = ProcessGroup.local(size: 3)
        #expect(groups.map(\.rank) == [0, 1, 2])
        #expect(groups.map(\.size) == [3, 3, 3])
        #expect(groups.allSatisfy { $0.mpiLibraryVersion == nil })
    }

    @Test func concurrentMapRunsEveryRankOnItsOwnThreadAndReturnsResultsInRankOrder() throws {
        // Each rank waits at a barrier for the others: ranks run one after another would never return.
        let results = try #require(onRanks(4) { group -> Int in
            try! group.barrier()
            return group.rank * 10
        })
        #expect(results == [0, 10, 20, 30])
    }

    @Test func barrierReturnsOnlyOnceEveryRankHasCalledIt() throws {
        let arrived = ArrivalFlag()
        let seen = try #require(onRanks(3) { group -> Bool in
            if group.rank == 2 {
                Thread.sleep(forTimeInterval: 0.2)
                arrived.set()
            }
            try! group.barrier()
            return arrived.isSet
        })
        #expect(seen == [true, true, true])
    }

    // MARK: allreduce

    @Test(arguments: [3, 4])
    func allreduceSumsInRankOrder(ranks: Int) throws {
        let count = 12
        let inputs = (0..<ranks).map { orderSensitiveFloats(rank: $0, ranks: ranks, count: count) }
        let expected = sumInOrder(inputs, order: Array(0..<ranks))
        // The values tell the orders apart: every other order gives other bits (but the one that
        // swaps the first two ranks, as a + b == b + a).
        let rankOrder = Array(0..<ranks)
        for order in permutations(of: rankOrder) where order != rankOrder && order != [1, 0] + rankOrder.dropFirst(2) {
            #expect(bitPatterns(sumInOrder(inputs, order: order)) != bitPatterns(expected), "order \(order)")
        }
        let results = try #require(onRanks(ranks) { group in
            try! group.allreduce(Tensor<Float>(inputs[group.rank]))
        })
        for (rank, result) in results.enumerated() {
            #expect(result.shape == [count])
            #expect(bitPatterns(result) == bitPatterns(expected), "rank \(rank)")
        }
    }

    @Test func allreduceGivesTheSameBitsOnEveryRankAndInEveryRun() throws {
        let inputs = (0..<3).map { orderSensitiveFloats(rank: $0, ranks: 3, count: 10) }
        var runs: [[[UInt32]]] = []
        for _ in 0..<3 {
            let results = try #require(onRanks(3) { group in
                try! group.allreduce(Tensor<Float>(inputs[group.rank]))
            })
            runs.append(results.map { bitPatterns($0) })
        }
        for run in runs {
            #expect(run.allSatisfy { $0 == runs[0][0] })
        }
    }

    @Test func allreduceWithAverageDividesTheRankOrderSumBySize() throws {
        let inputs = (0..<3).map { orderSensitiveFloats(rank: $0, ranks: 3, count: 7).map { $0 + 2 } }
        let expected = sumInOrder(inputs, order: [0, 1, 2]).map { $0 / 3 }
        let results = try #require(onRanks(3) { group in
            try! group.allreduce(Tensor<Float>(inputs[group.rank]), average: true)
        })
        for result in results {
            #expect(bitPatterns(result) == bitPatterns(expected))
        }
    }

    @Test(arguments: zip([3, 3, 3, 3, 4, 4, 2], [1, 2, 5, 7, 1, 3, 1]))
    func allreduceHandlesElementCountsThatDoNotSplitEvenlyOverTheRanks(ranks: Int, count: Int) throws {
        let inputs = (0..<ranks).map { rank in (0..<count).map { Float(rank * 100 + $0) + 0.5 } }
        let expected = sumInOrder(inputs, order: Array(0..<ranks))
        let results = try #require(onRanks(ranks) { group in
            try! group.allreduce(Tensor<Float>(inputs[group.rank]))
        })
        for result in results {
            #expect(result.shape == [count])
            #expect(bitPatterns(result) == bitPatterns(expected))
        }
    }

    @Test func allreduceOfATensorLargerThanOneReductionRoundSumsEveryElement() throws {
        // A reduction moves at most 32 MiB per round: 2²³ Floats. Three more span two rounds.
        let count = (32 << 20) / MemoryLayout<Float>.stride + 3
        let results = try #require(onRanks(2) { group -> (shape: [Int], wrong: Int) in
            let input = Tensor<Float>((0..<count).map { Float($0 % 1024) + Float(group.rank) * 0.5 })
            let sum = try! group.allreduce(input)
            let wrong = sum.withContiguousBuffer { buffer in
                (0..<count).filter { buffer[$0] != Float($0 % 1024) * 2 + 0.5 }.count
            }
            return (sum.shape, wrong)
        })
        for result in results {
            #expect(result.shape == [count])
            #expect(result.wrong == 0)
        }
    }

    @Test func allreduceKeepsTheShapeOfMultiDimensionalTensors() throws {
        let results = try #require(onRanks(2) { group in
            try! group.allreduce(Tensor<Float>(shape: [2, 3, 1], scalars: (0..<6).map { Float($0 + 10 * group.rank) }))
        })
        for result in results {
            #expect(result.shape == [2, 3, 1])
            #expect(result.scalars == [10, 12, 14, 16, 18, 20])
        }
    }

    @Test func allreduceReducesAViewInItsLogicalOrder() throws {
        let results = try #require(onRanks(2) { group in
            let base = Tensor<Float>(shape: [2, 3], scalars: (0..<6).map { Float($0 + 10 * group.rank) })
            return try! group.allreduce(base.transposed())
        })
        for result in results {
            #expect(result.shape == [3, 2])
            #expect(result.scalars == [10, 16, 12, 18, 14, 20])
        }
    }

    @Test(arguments: [[0], [2, 0], [0, 3]])
    func allreduceOfEmptyTensorsReturnsAnEmptyTensorOfTheShape(shape: [Int]) throws {
        let results = try #require(onRanks(3) { group in
            (try! group.allreduce(Tensor<Float>.zeros(shape)), try! group.allreduce(Tensor<Float>.zeros(shape), average: true))
        })
        for (sum, mean) in results {
            #expect(sum.shape == shape && sum.count == 0)
            #expect(mean.shape == shape && mean.count == 0)
        }
    }

    @Test func allreduceOfDoublesSumsInRankOrder() throws {
        let inputs = (0..<3).map { orderSensitiveDoubles(rank: $0, ranks: 3, count: 9) }
        let expected = sumInOrder(inputs, order: [0, 1, 2])
        for order in [[0, 2, 1], [1, 2, 0], [2, 0, 1], [2, 1, 0]] {
            #expect(bitPatterns(sumInOrder(inputs, order: order)) != bitPatterns(expected), "order \(order)")
        }
        let results = try #require(onRanks(3) { group in
            (try! group.allreduce(Tensor<Double>(inputs[group.rank])),
             try! group.allreduce(Tensor<Double>(inputs[group.rank]), average: true))
        })
        for (total, mean) in results {
            #expect(bitPatterns(total) == bitPatterns(expected))
            #expect(bitPatterns(mean) == bitPatterns(expected.map { $0 / 3 }))
        }
    }

    @Test(arguments: [[[2], [2], [3]], [[2, 3], [3, 2], [2, 3]], [[4], [4, 1], [4]], [[], [1], [1]]])
    func allreduceOfDifferentShapesThrowsOnEveryRankAndChangesNoInput(shapes: [[Int]]) throws {
        let results = try #require(onRanks(shapes.count) { group in
            let count = shapes[group.rank].reduce(1, *)
            let input = Tensor<Float>(shape: shapes[group.rank], scalars: (0..<count).map { Float($0 + group.rank) })
            let error = distributedError { () throws(DistributedError) in try group.allreduce(input) }
            return (error, input.scalars == (0..<count).map { Float($0 + group.rank) })
        })
        for (rank, (error, inputUnchanged)) in results.enumerated() {
            #expect(error?.disagreeingOperation == "allreduce", "rank \(rank): \(describe(error))")
            #expect(inputUnchanged)
        }
    }

    @Test func aRefusedCollectiveLeavesTheGroupUsable() throws {
        let results = try #require(onRanks(3) { group in
            let refused = distributedError { () throws(DistributedError) in
                try group.allreduce(Tensor<Float>.zeros([group.rank + 1]))
            }
            let sum = try! group.allreduce(Tensor<Float>([Float(group.rank)]))
            return (refused, sum.scalars)
        })
        for (refused, sum) in results {
            #expect(refused?.disagreeingOperation == "allreduce")
            #expect(sum == [3])
        }
    }

    @Test func aDisagreementNamesTheRankThatDiffers() throws {
        let errors = try #require(onRanks(3) { group in
            distributedError { () throws(DistributedError) in
                try group.allreduce(Tensor<Float>.zeros(group.rank == 2 ? [5] : [4]))
            }
        })
        for error in errors {
            let description = describe(error)
            #expect(description.hasPrefix("allreduce: the ranks disagree:"), "\(description)")
            #expect(description.contains("rank 2"), "\(description)")
            #expect(description.contains("[5]") && description.contains("[4]"), "\(description)")
        }
    }

    // MARK: allgather

    @Test func allgatherJoinsTheRanksTensorsAlongTheFirstAxisInRankOrder() throws {
        // Ranks 0, 1, 2 hold 2, 0 and 3 rows; row k of rank r holds [r, k].
        let rows = [2, 0, 3]
        let results = try #require(onRanks(3) { group in
            let count = rows[group.rank]
            let scalars = (0..<count).flatMap { [Float(group.rank), Float($0)] }
            return try! group.allgather(Tensor<Float>(shape: [count, 2], scalars: scalars))
        })
        for result in results {
            #expect(result.shape == [5, 2])
            #expect(result.scalars == [0, 0, 0, 1, 2, 0, 2, 1, 2, 2])
        }
    }

    @Test func allgatherMovesInt64sExactly() throws {
        let results = try #require(onRanks(3) { group in
            let values: [Int64] = group.rank == 1 ? [] : [Int64.max - Int64(group.rank), Int64.min + Int64(group.rank)]
            return try! group.allgather(Tensor<Int64>(shape: [values.count], scalars: values))
        })
        for result in results {
            #expect(result.scalars == [Int64.max, Int64.min, Int64.max - 2, Int64.min + 2])
        }
    }

    @Test func allgatherOfNoRowsOnEveryRankIsEmpty() throws {
        let gathered = try #require(onRanks(2) { group in try! group.allgather(Tensor<Float>.zeros([0, 4])) })
        for result in gathered {
            #expect(result.shape == [0, 4])
        }
    }

    @Test func allgatherGathersAViewInItsLogicalOrder() throws {
        let results = try #require(onRanks(2) { group in
            let base = Tensor<Float>(shape: [2, 3], scalars: (0..<6).map { Float($0 + 10 * group.rank) })
            return try! group.allgather(base.transposed())
        })
        for result in results {
            #expect(result.shape == [6, 2])
            #expect(result.scalars == [0, 3, 1, 4, 2, 5, 10, 13, 11, 14, 12, 15])
        }
    }

    @Test(arguments: [[[2, 3], [2, 4]], [[1, 3], [1, 3, 1]], [[2, 3], [2, 3], []]])
    func allgatherOfTensorsWhoseOtherAxesDifferThrowsOnEveryRank(shapes: [[Int]]) throws {
        let errors = try #require(onRanks(shapes.count) { group in
            distributedError { () throws(DistributedError) in
                try group.allgather(Tensor<Float>.zeros(shapes[group.rank]))
            }
        })
        for (rank, error) in errors.enumerated() {
            #expect(error?.disagreeingOperation == "allgather", "rank \(rank): \(describe(error))")
        }
    }

    @Test func allgatherOfBytesReturnsEveryRanksBytesInRankOrder() throws {
        let sent: [[UInt8]] = [[1, 2, 3], [], [255], []]
        let results = try #require(onRanks(4) { group in try! group.allgather(bytes: sent[group.rank]) })
        #expect(results == Array(repeating: sent, count: 4))
    }

    @Test func allgatherOfNoBytesOnEveryRankGivesEmptyArrays() throws {
        let results = try #require(onRanks(3) { group in try! group.allgather(bytes: []) })
        #expect(results == Array(repeating: [[], [], []], count: 3))
    }

    // MARK: broadcast

    @Test(arguments: [0, 2])
    func broadcastGivesEveryRankTheRootsValuesAndChangesNoInput(root: Int) throws {
        let results = try #require(onRanks(3) { group in
            let input = Tensor<Float>(shape: [2, 2], scalars: (0..<4).map { Float($0) + Float(group.rank) * 0.5 })
            let result = try! group.broadcast(input, from: root)
            return (result, input.scalars)
        })
        let rootValues = (0..<4).map { Float($0) + Float(root) * 0.5 }
        for (rank, (result, input)) in results.enumerated() {
            #expect(result.shape == [2, 2])
            #expect(result.scalars == rootValues, "rank \(rank)")
            #expect(input == (0..<4).map { Float($0) + Float(rank) * 0.5 }, "rank \(rank)'s input changed")
        }
    }

    @Test func broadcastMovesInt64sAndEmptyTensors() throws {
        let results = try #require(onRanks(2) { group in
            (try! group.broadcast(Tensor<Int64>([Int64.max - Int64(group.rank), 7]), from: 1),
             try! group.broadcast(Tensor<Float>.zeros([0, 3]), from: 1))
        })
        for (values, empty) in results {
            #expect(values.scalars == [Int64.max - 1, 7])
            #expect(empty.shape == [0, 3])
        }
    }

    @Test func broadcastOfDifferentShapesThrowsOnEveryRank() throws {
        let errors = try #require(onRanks(3) { group in
            distributedError { () throws(DistributedError) in
                try group.broadcast(Tensor<Float>.zeros(group.rank == 1 ? [3] : [2]), from: 0)
            }
        })
        for (rank, error) in errors.enumerated() {
            #expect(error?.disagreeingOperation == "broadcast", "rank \(rank): \(describe(error))")
        }
    }

    @Test(arguments: [3, -1])
    func broadcastFromARootOutsideTheGroupIsAnInvalidArgument(root: Int) throws {
        let results = try #require(onRanks(3) { group in
            let error = distributedError { () throws(DistributedError) in
                try group.broadcast(Tensor<Float>([1]), from: root)
            }
            // The group stays usable.
            return (error, try! group.broadcast(Tensor<Float>([Float(group.rank)]), from: 2).scalars)
        })
        for (error, after) in results {
            #expect(error?.invalidArgumentOperation == "broadcast", "\(describe(error))")
            #expect(describe(error).contains("\(root)"))
            #expect(after == [2])
        }
    }

    // MARK: checkAgreement

    @Test func checkAgreementPassesWhenEveryRankPassesTheSameValue() throws {
        let errors = try #require(onRanks(3) { group in
            distributedError { () throws(DistributedError) in
                try group.checkAgreement(on: "dimensions 100, window 5", what: "training options")
            }
        })
        #expect(errors.allSatisfy { $0 == nil })
    }

    @Test func checkAgreementThrowsOnEveryRankNamingTheRanksThatDiffer() throws {
        let errors = try #require(onRanks(3) { group in
            distributedError { () throws(DistributedError) in
                try group.checkAgreement(on: group.rank == 2 ? "window 7" : "window 5", what: "training options")
            }
        })
        for (rank, error) in errors.enumerated() {
            #expect(error?.disagreeingOperation == "training options", "rank \(rank)")
            #expect(describe(error) == "training options: the ranks disagree: rank 0 has window 5, rank 2 has window 7")
        }
    }

    // MARK: broadcast(parameters:)

    @Test(arguments: [0, 1])
    func broadcastOfParametersGivesEveryRankTheRootsValues(root: Int) throws {
        let results = try #require(onRanks(3) { group in
            let table = Parameter(Tensor<Float>.randn([4, 3], generator: Generator(seed: 10 + UInt64(group.rank))))
            let bias = Parameter(Tensor<Float>.randn([3], generator: Generator(seed: 20 + UInt64(group.rank))))
            try! group.broadcast(parameters: [table, bias], from: root)
            return bitPatterns([table.value, bias.value])
        })
        let rootTable = Tensor<Float>.randn([4, 3], generator: Generator(seed: 10 + UInt64(root)))
        let rootBias = Tensor<Float>.randn([3], generator: Generator(seed: 20 + UInt64(root)))
        #expect(results == Array(repeating: bitPatterns([rootTable, rootBias]), count: 3))
    }

    @Test(arguments: [
        [[[4, 3], [3]], [[4, 3], [3]], [[4, 3]]],           // rank 2 has one parameter fewer
        [[[4, 3], [3]], [[4, 3], [3], [1]], [[4, 3], [3]]],  // rank 1 has one more
        [[[4, 3], [3]], [[3, 4], [3]], [[4, 3], [3]]],      // rank 1's table is transposed
        [[[4, 3], [3]], [[4, 3], [3]], [[4, 3], [3, 1]]],   // rank 2's bias has an extra axis
    ])
    func broadcastOfMismatchedParametersThrowsOnEveryRankAndChangesNoParameter(shapes: [[[Int]]]) throws {
        let results = try #require(onRanks(3) { group in
            let parameters = shapes[group.rank].enumerated().map { index, shape in
                Parameter(Tensor<Float>.randn(shape, generator: Generator(seed: UInt64(10 * group.rank + index))))
            }
            let before = bitPatterns(parameters.map(\.value))
            let error = distributedError { () throws(DistributedError) in try group.broadcast(parameters: parameters) }
            return (error, bitPatterns(parameters.map(\.value)) == before)
        })
        for (rank, (error, unchanged)) in results.enumerated() {
            #expect(error?.disagreeingOperation == "parameter broadcast", "rank \(rank): \(describe(error))")
            #expect(unchanged, "rank \(rank)'s parameters changed")
        }
    }

    @Test func broadcastOfParametersFromARootOutsideTheGroupIsAnInvalidArgument() throws {
        let errors = try #require(onRanks(2) { group in
            distributedError { () throws(DistributedError) in
                try group.broadcast(parameters: [Parameter(Tensor<Float>([1]))], from: 2)
            }
        })
        #expect(errors.allSatisfy { $0?.invalidArgumentOperation == "parameter broadcast" })
    }

    // MARK: single, world and MPI

    @Test func theSingleGroupsCollectivesReturnTheirInputs() throws {
        let group = ProcessGroup.single
        #expect(group.rank == 0 && group.size == 1)
        let input = Tensor<Float>(shape: [3, 1], scalars: [1e8, -0.0, 0.1])
        #expect(bitPatterns(try group.allreduce(input)) == bitPatterns(input))
        #expect(bitPatterns(try group.allreduce(input, average: true)) == bitPatterns(input))
        #expect(try group.allreduce(input).shape == [3, 1])
        #expect(bitPatterns(try group.allgather(input)) == bitPatterns(input))
        #expect(try group.allgather(input).shape == [3, 1])
        #expect(bitPatterns(try group.broadcast(input)) == bitPatterns(input))
        #expect(try group.allgather(bytes: [4, 5]) == [[4, 5]])
        #expect(try group.allgather(bytes: []) == [[]])
        try group.barrier()
        try group.checkAgreement(on: "anything", what: "options")
        let parameter = Parameter(input)
        try group.broadcast(parameters: [parameter])
        #expect(bitPatterns(parameter.value) == bitPatterns(input))
        #expect(distributedError { () throws(DistributedError) in try group.broadcast(input, from: 1) }?
            .invalidArgumentOperation == "broadcast")
    }

    @Test func worldIsTheSingleGroupWithoutAnMPILauncher() throws {
        try #require(!ProcessGroup.isLaunchedByMPI, "these tests do not run under mpirun")
        #expect(try ProcessGroup.world() === ProcessGroup.single)
    }

    @Test func anMPILibraryThatCannotBeLoadedThrowsLibraryUnavailableNamingThePath() {
        let path = "/nonexistent/libmpi.so"
        let error = distributedError { () throws(DistributedError) in try ProcessGroup.mpi(library: path) }
        guard case .libraryUnavailable(let library, let reason)? = error else {
            Issue.record("expected libraryUnavailable, got \(describe(error))")
            return
        }
        #expect(library == path)
        #expect(!reason.isEmpty)
        // The caller named the path: the hint is about that path, not about installing MPI.
        #expect(reason.contains("check the path") && !reason.contains("install"), "\(reason)")
        let description = describe(error)
        #expect(description.hasPrefix("MPI library \(path) could not be loaded: "), "\(description)")
    }

    @Test func anMPILibraryNamedByTheEnvironmentThatCannotBeLoadedSaysSo() async {
        // In a child process, so that the variable reaches no other test.
        await #expect(processExitsWith: .success) {
            setenv("SWIFT_AUTOGRAD_MPI_LIBRARY", "/nonexistent/libmpi-from-environment.so", 1)
            let error = distributedError { () throws(DistributedError) in try ProcessGroup.mpi() }
            guard case .libraryUnavailable(let library, let reason)? = error else { exit(1) }
            let namesTheVariable = reason.contains("SWIFT_AUTOGRAD_MPI_LIBRARY names it") && !reason.contains("install")
            exit(library == "/nonexistent/libmpi-from-environment.so" && namesTheVariable ? 0 : 1)
        }
    }
}

/// A flag one rank sets and the others read.
private final class ArrivalFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() {
        lock.lock()
        value = true
        lock.unlock()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
