/// Whole sentences of a text as word ids, the unit a word2vec epoch goes through
/// (see ``WordCorpus/forEachBatch(_:)``).
///
/// Sentence `i` is `wordIDs[sentenceOffsets[i]..<sentenceOffsets[i + 1]]`. Words outside the
/// vocabulary are already dropped, and sentences left with no word are left out, but
/// ``rawWordCount`` counts every word read: the learning rate decays with it.
///
/// ```swift
/// for sentence in 0..<batch.sentenceCount {
///     let ids = batch.sentence(sentence)    // the ids of one sentence, in order
///     print(ids.count)
/// }
/// ```
public struct SentenceBatch: Sendable {
    /// The batch's place in the pass: 0, 1, 2…
    public let index: Int
    /// The ids of the words of every sentence, one sentence after another.
    public let wordIDs: [Int32]
    /// Where each sentence starts in ``wordIDs``, then `wordIDs.count`: ``sentenceCount`` + 1
    /// increasing offsets, the first 0.
    public let sentenceOffsets: [Int]
    /// The words of the text read for this batch, those outside the vocabulary included.
    public let rawWordCount: Int

    /// The number of sentences.
    public var sentenceCount: Int { sentenceOffsets.count - 1 }

    /// The ids of sentence `index` (`0..<sentenceCount`).
    public func sentence(_ index: Int) -> ArraySlice<Int32> {
        wordIDs[sentenceOffsets[index]..<sentenceOffsets[index + 1]]
    }

    /// The arrays, taken from the batch as it ends, for the next batch to reuse.
    consuming func arrays() -> ([Int32], [Int]) { (wordIDs, sentenceOffsets) }
}
