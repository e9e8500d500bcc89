import Foundation

extension WordVectors {
    /// Writes the words and vectors in `format`, for gensim's `load_word2vec_format`, fastText,
    /// word2vec's tools or a GloVe reader.
    ///
    /// ```swift
    /// try vectors.write(to: url, format: .word2vecText)      // gensim: load_word2vec_format(path)
    /// try vectors.write(to: url, format: .word2vecBinary)    // gensim: load_word2vec_format(path, binary=True)
    /// ```
    ///
    /// - Text (`.word2vecText`, `.glove`): `word v1 … vD` per line, values separated by single
    ///   spaces, each in the fewest digits that read back to the same `Float` (`0.1`, `-0.0`,
    ///   `1e-45`, `3.4028235e+38`; `inf`, `-inf`, `nan`), so every value but a NaN's sign and
    ///   payload survives a round trip bit for bit. `.word2vecText` starts with the header line
    ///   `count dimension`; `.glove` has none.
    /// - Binary (`.word2vecBinary`): the header line, then per word its UTF-8 bytes, a space, the
    ///   `dimension` floats as 32-bit little-endian and a line feed, exactly as word2vec.c writes
    ///   them: every bit survives.
    ///
    /// Writing is atomic: the bytes go to a temporary file beside `url`, which is then renamed
    /// over it, so `url` holds either its old contents or the whole new file, never a part.
    /// Rows are formatted across threads.
    ///
    /// - Throws: `TensorError.invalidArgument`, before anything is written, for a word that is
    ///   empty or holds ASCII whitespace (space, tab, line feed, carriage return, vertical tab,
    ///   form feed: these formats separate words with it), for vectors of dimension 0, and for
    ///   a GloVe file of no rows (it could not record its dimension). `TensorError.io` when the
    ///   file cannot be written.
    public func write(to url: URL, format: WordVectorFormat) throws(TensorError) {
        try checkWritable(as: format)
        let rowCount = count, dimension = self.dimension, words = self.words
        try writeAtomically(to: url) { (output) throws(TensorError) in
            if format != .glove { try output.write(Array("\(rowCount) \(dimension)\n".utf8)) }
            try vectors.withContiguousBuffer { (table) throws(TensorError) in
                if format == .word2vecBinary {
                    try Self.writeBinaryRows(words: words, table: table, dimension: dimension, to: &output)
                } else {
                    try WordVectorTextWriter.writeRows(
                        of: table, rowCount: rowCount, dimension: dimension, separator: UInt8(ascii: " "), spelling: .cLibrary,
                        prefix: { row, text in
                            text.append(contentsOf: words[row].utf8)
                            text.append(UInt8(ascii: " "))
                        },
                        to: &output)
                }
            }
        }
    }

    /// Throws when a word or the table's shape cannot be written in `format`.
    private func checkWritable(as format: WordVectorFormat) throws(TensorError) {
        guard dimension > 0 else {
            throw .invalidArgument("vectors of dimension 0 cannot be written: word-vector readers need at least one value per word")
        }
        guard format != .glove || count > 0 else {
            throw .invalidArgument("a GloVe file of no words cannot be written: GloVe's format gives the dimension by its first row")
        }
        for (row, word) in words.enumerated() {
            guard !word.isEmpty else { throw .invalidArgument("word \(row) is empty; a word-vector file cannot hold an empty word") }
            if let space = word.utf8.first(where: Self.isSeparatingWhitespace) {
                throw .invalidArgument("word \(row), \(word.debugDescription), holds the whitespace byte 0x"
                                       + String(space, radix: 16, uppercase: true)
                                       + "; word2vec and GloVe files separate words with whitespace, so it cannot be written")
            }
        }
    }

    private static func isSeparatingWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// word2vec.c's records: the word, a space, the floats little-endian, a line feed.
    private static func writeBinaryRows(
        words: [String], table: UnsafeBufferPointer<Float>, dimension: Int, to output: inout FileOutput
    ) throws(TensorError) {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        for (row, word) in words.enumerated() {
            buffer.append(contentsOf: word.utf8)
            buffer.append(UInt8(ascii: " "))
            let values = UnsafeBufferPointer(rebasing: table[(row * dimension)..<((row + 1) * dimension)])
            #if _endian(little)
            buffer.append(contentsOf: UnsafeRawBufferPointer(values))
            #else
            for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { buffer.append(contentsOf: $0) } }
            #endif
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= 1 << 20 {
                try output.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try output.write(buffer)
    }
}
