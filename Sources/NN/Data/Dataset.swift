/// A collection of training samples that a ``DataLoader`` draws batches from, as PyTorch's
/// map-style `Dataset` (`__len__` and `__getitem__`) plus the collation of a batch.
///
/// A dataset gathers a batch itself (``batch(at:)``) rather than having samples stacked one by
/// one, so it can copy straight from its own storage into the batch tensor.
///
/// ```swift
/// struct Squares: Dataset {
///     var count: Int { 10 }
///     subscript(index: Int) -> Int64 { Int64(index * index) }
///     func batch(at indices: [Int]) -> Tensor<Int64> { Tensor(indices.map { self[$0] }) }
/// }
/// for batch in DataLoader(Squares(), batchSize: 4) { print(batch.shape) }   // [4], [4], [2]
/// ```
public protocol Dataset<Sample> {
    /// One sample.
    associatedtype Sample
    /// Several samples gathered together, the samples' tensors stacked along a new first axis.
    associatedtype Batch

    /// The number of samples.
    var count: Int { get }

    /// The sample at `index`, in `0..<count`.
    subscript(index: Int) -> Sample { get }

    /// The samples at `indices` (each in `0..<count`), in that order, as one batch.
    func batch(at indices: [Int]) -> Batch
}
