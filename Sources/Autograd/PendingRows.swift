import Tensor

/// Rows of a table variable that a lookup's result holds before they are copied out.
///
/// A lookup (`Variable.gatheringRows`) records its node at once but leaves its value unwritten.
/// The first read of ``Variable/value`` copies the rows; an addition that can write the sum in the
/// same pass (`token(ids) + position(length: T)`, see ``Variable/summingPendingRows(with:)``)
/// never copies them at all. The table lists its pending readers, and every change to its value
/// first has them copy their rows: a result always holds the rows as they were at the lookup.
///
/// A class, so that passing it around costs one reference count rather than one per field.
final class PendingRows<Scalar: FloatingTensorScalar> {
    /// The variable the rows come from.
    let table: Variable<Scalar>
    /// The row of each result row, contiguous, every one checked against the table.
    let ids: Tensor<Int64>
    /// The shape of the result: the ids' shape, then the table's row shape.
    let shape: [Int]
    /// The ids' own shape.
    let indexShape: [Int]

    init(table: Variable<Scalar>, ids: Tensor<Int64>, shape: [Int], indexShape: [Int]) {
        self.table = table
        self.ids = ids
        self.shape = shape
        self.indexShape = indexShape
    }
}

/// An unretained reference to a variable whose pending rows read a table: what the table's list of
/// readers holds. A reader leaves the list before it is freed, and the list is only touched under
/// its lock, hence `@unchecked Sendable`. Not generic, so that the list's code is compiled once,
/// specialised, rather than run through generic witnesses on every lookup.
struct PendingReader: @unchecked Sendable {
    let variable: Unmanaged<AnyObject>
}

extension Variable {
    /// Copies the pending rows into the value and returns it.
    @discardableResult
    @_specialize(where Scalar == Float)
    final func materializePendingRows() -> Tensor<Scalar> {
        let rows = pendingRows!
        dropPendingRows()
        let value = rows.table.value.gatheringRows(atCheckedRows: rows.ids, indexShape: rows.indexShape)
        storedValue = value
        return value
    }

    /// Forgets the pending rows and takes this variable off its table's list of readers.
    @_specialize(where Scalar == Float)
    final func dropPendingRows() {
        guard let table = pendingRows?.table else { return }
        pendingRows = nil
        let me = Unmanaged.passUnretained(self as AnyObject).toOpaque()
        table.pendingReaders.withLock { readers in
            // From the back: the reader that leaves is usually the latest lookup of the table.
            guard let index = readers.lastIndex(where: { $0.variable.toOpaque() == me }) else { return }
            readers.swapAt(index, readers.count - 1)
            readers.removeLast()
        }
    }

    /// Has every variable still waiting to copy rows of this one copy them now, before this
    /// value changes. (A write needs exclusive access to the variable, as ever: no lookup on
    /// another thread may be making or dropping a reader meanwhile.)
    @_specialize(where Scalar == Float)
    final func materializePendingReaders() {
        while let reader = pendingReaders.withLock({ $0.popLast() }) {
            unsafeDowncast(reader.variable.takeUnretainedValue(), to: Variable<Scalar>.self).materializePendingRows()
        }
    }

    /// How many variables still wait to copy rows of this one.
    final var pendingReaderCount: Int { pendingReaders.withLock { $0.count } }

    /// `self.value + other.value` written in one pass over the result when this variable's rows
    /// are still pending and `other` broadcasts along leading axes only; nil otherwise.
    ///
    /// Reads `other`'s value only when the shapes fit, so a pending `other` stays pending when the
    /// sum cannot be fused this way round.
    @_specialize(where Scalar == Float)
    final func summingPendingRows(with other: Variable) -> Tensor<Scalar>? {
        guard let rows = pendingRows else { return nil }
        let otherShape = other.shape
        guard Tensor<Scalar>.addendFitsGatheredRows(otherShape, resultShape: rows.shape,
                                                    rowRank: rows.table.shape.count - 1) else { return nil }
        if let run = other.pendingConsecutiveRows {
            return rows.table.value.gatheringRows(atCheckedRows: rows.ids, indexShape: rows.indexShape,
                                                  adding: run.table.value, addendRows: run.rows, addendShape: otherShape)
        }
        return rows.table.value.gatheringRows(atCheckedRows: rows.ids, indexShape: rows.indexShape,
                                              adding: other.value)
    }

    /// When this value is pending rows `k, k + 1, …` of a table (the positions `0..<T` of a
    /// learned position table): the table and those rows, to be read in place.
    final var pendingConsecutiveRows: (table: Variable, rows: Range<Int>)? {
        @_specialize(where Scalar == Float) get {
            guard let pending = pendingRows else { return nil }
            let first = pending.ids.withContiguousBuffer { ids -> Int? in
                guard let first = ids.first else { return nil }
                for (offset, id) in ids.enumerated() where id != first + Int64(offset) { return nil }
                return Int(first)
            }
            guard let first else { return nil }
            return (pending.table, first..<(first + pending.ids.count))
        }
    }
}
