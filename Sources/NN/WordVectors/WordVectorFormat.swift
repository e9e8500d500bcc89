/// The file formats word vectors travel in between word2vec, GloVe, gensim and fastText.
///
/// ```swift
/// let glove = try WordVectors(contentsOf: url, format: .glove)
/// try glove.write(to: copyURL, format: .word2vecBinary)
/// ```
public enum WordVectorFormat: Sendable, Hashable, CaseIterable {
    /// word2vec's text format, which gensim's `save_word2vec_format(binary=False)` and fastText's
    /// `.vec` files also use: a header line `count dimension`, then one line per word,
    /// `word v1 … vD`, separated by spaces.
    case word2vecText
    /// word2vec's binary format (`-binary 1`, gensim's `binary=True`): the text header line, then
    /// per word its UTF-8 bytes, a space and `dimension` little-endian 32-bit floats. word2vec.c
    /// ends each record with a line feed and gensim does not; readers skip it.
    case word2vecBinary
    /// GloVe's text format: word2vec's text lines without the header; the first line gives the
    /// dimension.
    case glove
}
