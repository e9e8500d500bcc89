import Dispatch
import Testing
@testable import Autograd

/// A lookup's rows are copied out only when read; an addition may consume them without copying.
/// Whatever happens, every read gives what an eager lookup would have given.
@Suite struct PendingRowsTests {
    static func table(_ rows: Int, _ width: Int, seed: UInt64 = 7) -> Tensor<Float> {
        Tensor<Float>.randn([rows, width], generator: Generator(seed: seed))
    }

    static func bits(_ tensor: Tensor<Float>) -> [UInt32] { tensor.scalars.map(\.bitPattern) }

    @Test func aLookupIsPendingUntilReadAndThenHoldsTheRows() throws {
        let table = Parameter(Self.table(10, 4))
        let ids = Tensor<Int64>(shape: [2, 3], scalars: [3, 0, 9, 3, 3, 1])
        let rows = try table.indexSelect(rows: ids)
        #expect(rows.storedValue == nil && rows.shape == [2, 3, 4])
        #expect(table.pendingReaderCount == 1)
        #expect(Self.bits(rows.value) == Self.bits(try table.value.indexSelect(rows: ids)))
        #expect(rows.storedValue != nil && table.pendingReaderCount == 0)
    }

    @Test func changingTheTableFirstCopiesThePendingRows() throws {
        let table = Parameter(Self.table(6, 3))
        let ids = Tensor<Int64>([5, 2, 5])
        let expected = try table.value.indexSelect(rows: ids)
        let assigned = try table.indexSelect(rows: ids)
        let modified = try table.indexSelect(rows: ids)
        let replaced = try table.indexSelect(rows: ids)
        // In place, as optimizers write, and by assignment, as checkpoints load.
        table.value.withMutableContiguousBuffer { buffer in
            for index in buffer.indices { buffer[index] += 1 }
        }
        #expect(Self.bits(modified.value) == Self.bits(expected))
        #expect(Self.bits(assigned.value) == Self.bits(expected))
        let again = try table.indexSelect(rows: ids)
        table.value = Tensor.zeros([6, 3])
        #expect(Self.bits(replaced.value) == Self.bits(expected))
        #expect(Self.bits(again.value) == Self.bits(expected + 1))
        #expect(table.pendingReaderCount == 0)
    }

    @Test func aLookupThatDiesUnreadLeavesTheTableAsItWas() throws {
        let table = Parameter(Self.table(4, 2))
        for _ in 0..<3 { _ = try table.indexSelect(rows: Tensor<Int64>([1, 2])) }
        #expect(table.pendingReaderCount == 0)
        table.value = Tensor.zeros([4, 2])   // no reader left to copy rows
        #expect(table.value.scalars == Array(repeating: 0, count: 8))
    }

    @Test(arguments: [[4, 5], [1, 4, 5], [5], [3, 4, 5], [1, 1, 5]])
    func anAdditionOfPendingRowsEqualsTheTwoPassSumBitForBit(addendShape: [Int]) throws {
        let table = Parameter(Self.table(50, 5))
        let ids = Tensor<Int64>.randint(low: 0, high: 50, shape: [3, 4], generator: Generator(seed: 1))
        let addend = Variable(Tensor<Float>.randn(addendShape, generator: Generator(seed: 2)))
        let expected = try table.value.indexSelect(rows: ids) + addend.value
        let lookup = try table.indexSelect(rows: ids)
        let sum = lookup + addend
        #expect(sum.shape == [3, 4, 5] && Self.bits(sum.value) == Self.bits(expected))
        // The rows were never copied, and still can be.
        #expect(lookup.storedValue == nil)
        #expect(Self.bits(lookup.value) == Self.bits(try table.value.indexSelect(rows: ids)))
        // The other way round, and with both sides lookups.
        let swapped = addend + (try table.indexSelect(rows: ids))
        #expect(Self.bits(swapped.value) == Self.bits(expected))
        let positions = Parameter(addend.value.reshaped([-1, 5]))
        let positionIds = Tensor<Int64>.arange(Int64(positions.shape[0])).reshaped(addendShape.dropLast())
        let both = try table.indexSelect(rows: ids) + positions.indexSelect(rows: positionIds)
        #expect(Self.bits(both.value) == Self.bits(expected))
    }

    /// A run of consecutive rows read in place is counted in its own table's rows: rows of
    /// another size (a block of a `[L, T, D]` table, a 1-D table) and runs far from row 0.
    @Test func consecutiveRowsAreReadInTheirOwnTablesRows() throws {
        let tokens = Parameter(Self.table(5, 2))
        let blocks = Parameter(Tensor<Float>.randn([4, 3, 2], generator: Generator(seed: 2)))
        let ids = Tensor<Int64>(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 0])
        let blockSum = try tokens.indexSelect(rows: ids) + blocks.indexSelect(rows: Tensor<Int64>([2]))
        #expect(blockSum.shape == [2, 3, 2])
        #expect(Self.bits(blockSum.value)
                    == Self.bits(try tokens.value.indexSelect(rows: ids) + blocks.value.indexSelect(rows: Tensor<Int64>([2]))))
        let bias = Parameter(Tensor<Float>.randn([10], generator: Generator(seed: 4)))
        let biasSum = try tokens.indexSelect(rows: Tensor<Int64>([4, 1, 3])) + bias.indexSelect(rows: Tensor<Int64>([6, 7]))
        #expect(Self.bits(biasSum.value) == Self.bits(try tokens.value.indexSelect(rows: Tensor<Int64>([4, 1, 3]))
                                                        + bias.value.indexSelect(rows: Tensor<Int64>([6, 7]))))
        // 4096 elements from element 60 000 of a 64 096-element table: a row-size mix-up would
        // read about a gigabyte past its end.
        let wide = Parameter(Tensor<Float>.zeros([2, 4096]))
        let ones = Parameter(Tensor<Float>.ones([64_096]))
        let far = try wide.indexSelect(rows: Tensor<Int64>([0, 1]))
            + ones.indexSelect(rows: Tensor<Int64>.arange(Int64(60_000), Int64(64_096)))
        #expect(far.value.scalars.allSatisfy { $0 == 1 })
    }

    /// Lookups on one frozen table from two threads at once (a model serving requests) only read
    /// it, as they did before lookups were lazy: the list of pending readers is locked.
    @Test func lookupsOnOneFrozenTableFromTwoThreads() throws {
        final class Shared: @unchecked Sendable {
            let table = Variable(Tensor<Float>.randn([100, 8], generator: Generator(seed: 1)))
        }
        let shared = Shared()
        let ids = Tensor<Int64>([1, 5, 7, 9])
        let expected = try shared.table.value.indexSelect(rows: ids).scalars
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            for _ in 0..<20_000 {
                let rows = try! shared.table.indexSelect(rows: ids)
                precondition(rows.value.scalars == expected)
                _ = try! shared.table.indexSelect(rows: ids)   // dropped unread
            }
        }
        #expect(shared.table.pendingReaderCount == 0)
    }

    @Test func anAdditionThatBroadcastsTheLookupItselfAddsTheUsualWay() throws {
        let table = Parameter(Self.table(8, 3))
        let lookup = try table.indexSelect(rows: Tensor<Int64>([2, 7]))   // [2, 3]
        let addend = Variable(Tensor<Float>.randn([4, 2, 3], generator: Generator(seed: 3)))
        let expected = try table.value.indexSelect(rows: Tensor<Int64>([2, 7])) + addend.value
        #expect(Self.bits((lookup + addend).value) == Self.bits(expected))
        let column = Variable(Tensor<Float>.randn([2, 1], generator: Generator(seed: 4)))
        let columnExpected = try table.value.indexSelect(rows: Tensor<Int64>([2, 7])) + column.value
        #expect(Self.bits((try table.indexSelect(rows: Tensor<Int64>([2, 7])) + column).value)
                    == Self.bits(columnExpected))
    }

    @Test func aStridedTableIsGatheredAndAddedTheUsualWay() throws {
        let base = Self.table(3, 6)
        let table = Parameter(base.transposed(0, 1))   // [6, 3], rows not contiguous
        let ids = Tensor<Int64>([5, 0, 5])
        let addend = Variable(Tensor<Float>.randn([3], generator: Generator(seed: 5)))
        let expected = try table.value.indexSelect(rows: ids) + addend.value
        #expect(Self.bits((try table.indexSelect(rows: ids) + addend).value) == Self.bits(expected))
    }

    @Test func gradientsThroughAFusedAdditionMatchFiniteDifferences() {
        let ids = Tensor<Int64>(shape: [2, 3], scalars: [1, 4, 1, 0, 4, 4])
        let result = gradCheck(inputs: [Tensor<Double>.randn([5, 2], generator: Generator(seed: 6)),
                                        Tensor<Double>.randn([3, 2], generator: Generator(seed: 8))]) { inputs in
            let rows = try! inputs[0].indexSelect(rows: ids)
            return ((rows + inputs[1]) * (rows + inputs[1])).sum()
        }
        #expect(result.passed, "\(result)")
    }
}
