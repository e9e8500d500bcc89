import Foundation

extension WordVectors {
    /// Writes the two files the TensorBoard Embedding Projector loads (projector.tensorflow.org,
    /// "Load" in the data panel, or a `projector_config.pbtxt` beside them): the vectors, one
    /// tab-separated row per word with no header, and the metadata, one word per line.
    ///
    /// ```swift
    /// try vectors.writeProjectorFiles(vectorsTo: directory.appending(path: "vectors.tsv"),
    ///                                 metadataTo: directory.appending(path: "metadata.tsv"))
    /// ```
    ///
    /// - The vectors file holds each value in the fewest digits that read back to the same
    ///   `Float`, non-finite values spelled as JavaScript reads them (`Infinity`, `-Infinity`,
    ///   `NaN`). The Projector rejects vectors of a single dimension.
    /// - The metadata file has a single column, so, as the Projector's format says, no header
    ///   line: line `i` labels row `i`. The Projector splits lines at line feeds, takes a first
    ///   line with a tab for a header and skips blank lines, so a word is written as a label
    ///   that cannot shift the lines: tab, line feed and carriage return appear as `\t`, `\n`
    ///   and `\r`, and a word that is empty or only whitespace is written as its scalars'
    ///   escapes in quotes (`"\u{3000}"`, `""`). The labels are for display; nothing reads them back.
    ///
    /// Each file is written atomically (a temporary file renamed over it), the vectors first.
    ///
    /// - Throws: `TensorError.io` when a file cannot be written.
    public func writeProjectorFiles(vectorsTo vectorsURL: URL, metadataTo metadataURL: URL) throws(TensorError) {
        let rowCount = count, dimension = self.dimension
        try writeAtomically(to: vectorsURL) { (output) throws(TensorError) in
            try vectors.withContiguousBuffer { (table) throws(TensorError) in
                try WordVectorTextWriter.writeRows(of: table, rowCount: rowCount, dimension: dimension,
                                                   separator: UInt8(ascii: "\t"), spelling: .javaScript,
                                                   prefix: { _, _ in }, to: &output)
            }
        }
        var metadata: [UInt8] = []
        for word in words {
            metadata.append(contentsOf: Self.projectorLabel(for: word).utf8)
            metadata.append(UInt8(ascii: "\n"))
        }
        try writeAtomically(to: metadataURL) { (output) throws(TensorError) in try output.write(metadata) }
    }

    /// `word` as a line of the Projector's metadata file (see ``writeProjectorFiles(vectorsTo:metadataTo:)``).
    static func projectorLabel(for word: String) -> String {
        // JavaScript's `trim()` removes what Unicode calls white space, and the byte order mark.
        let isBlank = word.unicodeScalars.allSatisfy { $0.properties.isWhitespace || $0 == "\u{FEFF}" }
        if isBlank {
            return "\"" + word.unicodeScalars.map { "\\u{" + String($0.value, radix: 16, uppercase: true) + "}" }.joined() + "\""
        }
        guard word.utf8.contains(where: { $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) else {
            return word
        }
        var label = ""
        for scalar in word.unicodeScalars {
            switch scalar {
            case "\t": label += "\\t"
            case "\n": label += "\\n"
            case "\r": label += "\\r"
            default: label.unicodeScalars.append(scalar)
            }
        }
        return label
    }
}
