import Autograd
import Tensor

extension ProcessGroup {
    /// Sets every parameter to rank 0's value (`root`'s), so all ranks start alike.
    ///
    /// Throws ``DistributedError/ranksDisagree(operation:detail:)`` on every rank, changing nothing,
    /// if the ranks' parameter lists differ in count or in any shape.
    ///
    /// ```swift
    /// let model = Embedding(vocabularySize: 6, embeddingSize: 3)   // a different draw on each rank
    /// try group.broadcast(parameters: model.parameters)           // now rank 0's table everywhere
    /// ```
    public func broadcast<S: FloatingTensorScalar>(parameters: [Parameter<S>], from root: Int = 0)
        throws(DistributedError) {
        let values = try serialized { () throws(DistributedError) -> [Tensor<S>] in
            let local = [root, parameters.count] + parameters.flatMap { [$0.shape.count] + $0.shape }
            let headers = try allgatherIntegers(local)
            try checkRoot(root, in: headers.map { $0[0] }, operation: "parameter broadcast")
            let all = headers.map { Array($0.dropFirst()) }
            if let peer = all.firstIndex(where: { $0 != all[root] }) {
                throw .ranksDisagree(operation: "parameter broadcast",
                                     detail: "rank \(root) has parameters of shapes \(Self.shapes(in: all[root])), rank \(peer) \(Self.shapes(in: all[peer]))")
            }
            var values: [Tensor<S>] = []
            for parameter in parameters { values.append(try broadcastUnlocked(parameter.value, root: root)) }
            return values
        }
        for (parameter, value) in zip(parameters, values) { parameter.value = value }
    }

    /// The shapes encoded as `[count, rank₀, dims₀…, rank₁, dims₁…]`.
    private static func shapes(in encoded: [Int]) -> [[Int]] {
        var shapes: [[Int]] = []
        var cursor = 1
        while cursor < encoded.count {
            let rank = encoded[cursor]
            shapes.append(Array(encoded[(cursor + 1)..<min(encoded.count, cursor + 1 + rank)]))
            cursor += 1 + rank
        }
        return shapes
    }
}
