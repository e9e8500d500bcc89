extension WordVectors {
    /// The entry that stands for words outside the vocabulary in ``tokenizer`` and in an
    /// `Embedding(pretrained:)` of these vectors: `WordTokenizer`'s default.
    ///
    /// ```swift
    /// let unknownID = vectors.tokenizer.id(for: WordVectors.unknownWord)   // the row every other word looks up
    /// ```
    public static let unknownWord = "<|unk|>"

    /// A tokenizer whose ids are the rows of `Embedding(pretrained: self)`: id `i` is `words[i]`,
    /// and every other word is ``unknownWord``, which is the last id unless the file lists it
    /// (then it keeps its row). It has no special tokens.
    ///
    /// Words are looked up exactly as the file spells them, after `WordTokenizer`'s splitting
    /// (whitespace, and punctuation as tokens of its own): lowercase the text first for a
    /// lowercased vocabulary such as GloVe's.
    ///
    /// Each access builds the tokenizer's own index of the words, O(`count`): keep the result.
    ///
    /// ```swift
    /// let glove = try WordVectors(contentsOf: url, format: .glove)
    /// let ids = glove.tokenizer.encode("the cat sat on the mat.")   // rows of the file; unknown words → last id
    /// ```
    public var tokenizer: WordTokenizer {
        WordTokenizer(tokens: index(of: Self.unknownWord) == nil ? words + [Self.unknownWord] : words,
                      unknownToken: Self.unknownWord, specialTokens: [])
    }

    /// ``vectors`` with the row ``tokenizer`` gives unknown words: the table as it is when the
    /// words include ``unknownWord``, else with an all-zero row appended for it (so an unknown
    /// word adds nothing to a sum of rows).
    var tableWithUnknownWordRow: Tensor<Float> {
        guard index(of: Self.unknownWord) == nil else { return vectors }
        let rowCount = count, dimension = self.dimension
        return Tensor<Float>(unsafeUninitializedShape: [rowCount + 1, dimension]) { table in
            vectors.withContiguousBuffer { rows in
                guard let destination = table.baseAddress else { return }
                if let source = rows.baseAddress { destination.initialize(from: source, count: rows.count) }
                (destination + rows.count).initialize(repeating: 0, count: dimension)
            }
        }
    }
}

extension Embedding where Scalar == Float {
    /// An embedding over pretrained word vectors (a GloVe or word2vec file), frozen by default,
    /// whose rows match `wordVectors.tokenizer`'s ids: row `i` is `words[i]`'s vector, and unknown
    /// words get ``WordVectors/unknownWord``'s row — the file's when it lists that word, else an
    /// all-zero row appended as the last.
    ///
    /// ```swift
    /// let glove = try WordVectors(contentsOf: url, format: .glove)   // e.g. glove.6B.100d.txt
    /// let embedding = Embedding(pretrained: glove)                    // frozen: weight.requiresGrad == false
    /// let ids = glove.tokenizer.encodedTensor("The cat sat on the mat.".lowercased())
    /// let sentence = try embedding(ids)                               // [7, 100]: a row per token
    /// ```
    ///
    /// The table is copied once to append the unknown row (not when the file has one).
    ///
    /// - Parameters:
    ///   - wordVectors: The words and their vectors.
    ///   - freeze: Whether the table stays fixed (no gradient, as PyTorch's `from_pretrained`);
    ///     pass false to fine-tune it.
    public convenience init(pretrained wordVectors: WordVectors, freeze: Bool = true) {
        self.init(pretrained: wordVectors.tableWithUnknownWordRow, freeze: freeze)
    }
}
