import Foundation
import Synchronization

extension BytePairTokenizer {
    /// GPT-2's own tokenizer — the encoding of `tiktoken.get_encoding("gpt2")` — from the
    /// `encoder.json` and `vocab.bpe` of OpenAI's GPT-2 release, which ship with this package (no
    /// files to find, no network). Read once per process and shared: later calls are free.
    ///
    /// The ids equal tiktoken's `encode(text, allowed_special={"<|endoftext|>"})` for every text.
    ///
    /// Throws `TensorError.io(path:reason:)` when the package's resource bundle cannot be found
    /// (a program copied away from its build folder without its `.resources` bundle).
    ///
    /// ```swift
    /// let gpt2 = try BytePairTokenizer.gpt2()
    /// gpt2.encode("Hello, do you like tea? <|endoftext|> In the sunlit terraces")
    /// // [15496, 11, 466, 345, 588, 8887, 30, 220, 50256, 554, 262, 4252, 18250, 8812, 2114]
    /// ```
    public static func gpt2() throws(TensorError) -> BytePairTokenizer {
        try sharedGPT2.withLock { (shared: inout BytePairTokenizer?) throws(TensorError) -> BytePairTokenizer in
            if let shared { return shared }
            let files = try gpt2Files()
            let tokenizer = try BytePairTokenizer(vocabularyFile: files.vocabulary, mergesFile: files.merges)
            shared = tokenizer
            return tokenizer
        }
    }

    /// The bundled `encoder.json` and `vocab.bpe`.
    static func gpt2Files() throws(TensorError) -> (vocabulary: URL, merges: URL) {
        guard let vocabulary = Bundle.module.url(forResource: "encoder", withExtension: "json", subdirectory: "GPT2"),
              let merges = Bundle.module.url(forResource: "vocab", withExtension: "bpe", subdirectory: "GPT2") else {
            throw .io(path: Bundle.module.bundlePath + "/GPT2",
                      reason: "GPT-2's encoder.json and vocab.bpe are not in the package's resource bundle")
        }
        return (vocabulary, merges)
    }

    private static let sharedGPT2 = Mutex<BytePairTokenizer?>(nil)
}
