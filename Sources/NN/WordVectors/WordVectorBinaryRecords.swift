/// The records of a word2vec binary file: per word its bytes, a space and `dimension` 32-bit
/// little-endian floats, maybe followed by a line feed (word2vec.c writes one, gensim does not).
///
/// Preconditions: `file` points to the file's `size` bytes; output pointers have room for the
/// rows written to them.
enum WordVectorBinaryRecords {
    /// The byte range of each of the `count` words whose records start at `start`, checking that
    /// every record is whole and that nothing but line ends follows the last. A record's vector
    /// starts just past its word's space.
    static func locateWords(
        count: Int, dimension: Int, from start: Int, in file: UnsafePointer<UInt8>, size: Int, path: String
    ) throws(TensorError) -> [Range<Int>] {
        let vectorByteCount = dimension * MemoryLayout<Float>.size
        var words: [Range<Int>] = []
        var position = start
        for row in 0..<count {
            // word2vec.c's line feed after the previous record (and any a tool added before the first).
            while position < size && file[position] == UInt8(ascii: "\n") { position += 1 }
            guard position < size else {
                throw .malformedFile(path: path, offset: size, reason: "the header announces \(WordVectorBytes.counted(count, "word")), the file has \(row)")
            }
            guard let space = WordVectorBytes.firstOffset(of: UInt8(ascii: " "), in: position..<size, of: file) else {
                throw .malformedFile(path: path, offset: position,
                                     reason: "record \(row + 1): the file ends inside the word, before the space that ends it")
            }
            let word = position..<space
            guard !word.isEmpty else {
                throw .malformedFile(path: path, offset: position, reason: "record \(row + 1): the word is empty (the record starts with a space)")
            }
            let vectorStart = word.upperBound + 1
            guard size - vectorStart >= vectorByteCount else {
                throw .malformedFile(
                    path: path, offset: size,
                    reason: "record \(row + 1) (\(WordVectorBytes.quoted(word, of: file))): the file ends "
                        + "\(size - vectorStart) bytes into its vector of \(vectorByteCount) bytes")
            }
            words.append(word)
            position = vectorStart + vectorByteCount
        }
        while position < size && WordVectorBytes.isWhitespace(file[position]) { position += 1 }
        guard position == size else {
            throw .malformedFile(path: path, offset: position,
                                 reason: "the header announces \(WordVectorBytes.counted(count, "word")), but the file goes on after the last")
        }
        return words
    }

    /// Copies the vector that follows each word in `words` into row `r` of `output` (rows of
    /// `dimension` floats), across threads.
    static func copyVectors(of words: [Range<Int>], in file: UnsafePointer<UInt8>, dimension: Int,
                            into output: UnsafeMutablePointer<Float>) {
        let vectorByteCount = dimension * MemoryLayout<Float>.size
        parallelForBalanced(words.count, grain: Swift.max(1, (1 << 18) / Swift.max(vectorByteCount, 1))) { rows in
            for row in rows {
                let source = UnsafeRawPointer(file + words[row].upperBound + 1)
                let destination = output + row * dimension
                #if _endian(little)
                UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: vectorByteCount)
                #else
                for index in 0..<dimension {
                    let bits = source.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)
                    destination[index] = Float(bitPattern: UInt32(littleEndian: bits))
                }
                #endif
            }
        }
    }
}
