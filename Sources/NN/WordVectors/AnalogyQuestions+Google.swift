import Foundation
import Synchronization

extension AnalogyQuestions {
    /// The Google analogy test set (Mikolov et al. 2013), word2vec's `questions-words.txt`, which
    /// ships with this package (Apache-2.0, from the word2vec project; see the README beside the
    /// file): 19 544 questions in 14 sections, 5 semantic (`capital-common-countries` …
    /// `family`) and 9 syntactic (`gram1-adjective-to-adverb` … `gram9-plural-verbs`). Named
    /// "Google analogies". Read once per process and shared: later calls are free.
    ///
    /// Throws `TensorError.io(path:reason:)` when the package's resource bundle cannot be found
    /// (a program copied away from its build folder without its `.resources` bundle).
    ///
    /// ```swift
    /// let result = wordVectors.evaluateAnalogies(try .google())
    /// print(result.accuracy)   // the share of covered questions answered right, 0…1
    /// ```
    public static func google() throws(TensorError) -> AnalogyQuestions {
        try sharedGoogle.withLock { (shared: inout AnalogyQuestions?) throws(TensorError) -> AnalogyQuestions in
            if let shared { return shared }
            let questions = try AnalogyQuestions(contentsOf: try googleFile(), name: "Google analogies")
            shared = questions
            return questions
        }
    }

    /// Where the bundled `questions-words.txt` is, to hand it to other tools (gensim's
    /// `evaluate_word_analogies` takes this path).
    ///
    /// ```swift
    /// let path = try AnalogyQuestions.googleFile().path
    /// ```
    public static func googleFile() throws(TensorError) -> URL {
        guard let url = Bundle.module.url(forResource: "questions-words", withExtension: "txt",
                                          subdirectory: "WordVectorEvaluation") else {
            throw .io(path: Bundle.module.bundlePath + "/WordVectorEvaluation",
                      reason: "questions-words.txt is not in the package's resource bundle")
        }
        return url
    }

    private static let sharedGoogle = Mutex<AnalogyQuestions?>(nil)
}
