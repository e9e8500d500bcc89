import Testing
import NN

@Suite struct WordVectorNeighborsTests {
    let vectors = WordVectors(words: ["king", "queen", "apple", "zero", "royal"],
                              vectors: Tensor<Float>(shape: [5, 3], scalars: [1, 0.2, 0, 0.9, 0.3, 0, 0, 0, 1, 0, 0, 0,
                                                                               2, 0.4, 0]))

    @Test func neighboursAreRankedByCosineWithoutTheWordItself() throws {
        let neighbors = try #require(vectors.nearest(to: "king", count: 3))
        // royal is king scaled (cosine 1), queen close, then apple and zero at 0 (the earlier row first).
        #expect(neighbors.map(\.word) == ["royal", "queen", "apple"])
        #expect(Swift.abs(neighbors[0].similarity - 1) < 1e-12)
        let queen = (1.0 * 0.9 + 0.2 * 0.3) / ((1.0 + 0.04).squareRoot() * (0.81 + 0.09).squareRoot())
        #expect(Swift.abs(neighbors[1].similarity - queen) < 1e-7)
        #expect(neighbors[2].similarity == 0)
    }

    @Test func anUnknownWordHasNoNeighboursAndAZeroVectorIsSimilarToNothing() throws {
        #expect(vectors.nearest(to: "prince", count: 3) == nil)
        let zero = try #require(vectors.nearest(to: "zero", count: 4))
        #expect(zero.allSatisfy { $0.similarity == 0 })
        #expect(vectors.nearest(to: "king", count: 10)?.count == 4)
    }
}
