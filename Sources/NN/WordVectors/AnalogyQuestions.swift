import Foundation

/// "`first` is to `second` as `third` is to `answer`": one line `a b c d` of an analogy test such
/// as word2vec's `questions-words.txt` (`Athens Greece Baghdad Iraq`).
public struct AnalogyQuestion: Sendable, Hashable {
    /// `a`: the first word of the known pair.
    public var first: String
    /// `b`: the second word of the known pair.
    public var second: String
    /// `c`: the word whose counterpart is asked for.
    public var third: String
    /// The word the question expects: the one whose vector is nearest to
    /// `second − first + third`, if the vectors have learned the relation.
    public var answer: String

    /// The question "`first` is to `second` as `third` is to `answer`".
    ///
    /// ```swift
    /// let question = AnalogyQuestion("Athens", "Greece", "Baghdad", answer: "Iraq")
    /// ```
    public init(_ first: String, _ second: String, _ third: String, answer: String) {
        self.first = first
        self.second = second
        self.third = third
        self.answer = answer
    }
}

/// A named group of analogy questions: one `: name` block of `questions-words.txt`.
public struct AnalogySection: Sendable {
    /// The section's name (`capital-common-countries`), as results print it.
    public var name: String
    /// The section's questions, in order.
    public var questions: [AnalogyQuestion]

    /// A section of `questions`.
    ///
    /// ```swift
    /// let family = AnalogySection(name: "family", questions: [AnalogyQuestion("boy", "girl", "brother", answer: "sister")])
    /// ```
    public init(name: String, questions: [AnalogyQuestion]) {
        self.name = name
        self.questions = questions
    }
}

/// An analogy test in sections, the input of
/// ``WordVectors/evaluateAnalogies(_:caseInsensitive:restrictedTo:)``.
///
/// The Google analogy set ships with the package: ``google()``.
///
/// ```swift
/// let google = try AnalogyQuestions.google()
/// google.questionCount        // 19544
/// google.sections[0].name     // "capital-common-countries"
/// let mine = AnalogyQuestions(name: "family", sections: [
///     AnalogySection(name: "family", questions: [AnalogyQuestion("man", "king", "woman", answer: "queen")]),
/// ])
/// ```
public struct AnalogyQuestions: Sendable {
    /// What the results print as the test's name.
    public var name: String
    /// The sections, in order; results give each its own accuracy.
    public var sections: [AnalogySection]

    /// A test of `sections`, named `name` in results.
    ///
    /// ```swift
    /// let mine = AnalogyQuestions(name: "mine", sections: [AnalogySection(name: "family", questions: [])])
    /// ```
    public init(name: String, sections: [AnalogySection]) {
        self.name = name
        self.sections = sections
    }

    /// The number of questions in all sections.
    public var questionCount: Int { sections.reduce(0) { $0 + $1.questions.count } }

    /// Reads a file in the format of word2vec's `questions-words.txt`, as gensim's
    /// `evaluate_word_analogies` reads it: a line starting with `: ` opens a section named by the
    /// rest of the line (trimmed), and every other line is a question of four words separated by
    /// whitespace. Blank lines are skipped.
    ///
    /// - Parameters:
    ///   - url: The file.
    ///   - name: The test's name in results; by default the file's name without its
    ///     extension.
    /// - Throws: `TensorError.io(path:reason:)` for an unreadable file,
    ///   `TensorError.malformedFile(path:offset:reason:)` naming the first line (1-based, and the
    ///   byte where it starts) that is not valid UTF-8, has other than four words, or comes before
    ///   the first section header. gensim raises on a question before the first header too, but
    ///   skips lines of other than four words.
    public init(contentsOf url: URL, name: String? = nil) throws(TensorError) {
        let file = try EvaluationTextFile(contentsOf: url)
        var sections: [AnalogySection] = []
        for line in file.lines {
            if line.text.hasPrefix(": ") {
                // gensim's `line.lstrip(': ').strip()`: every leading colon and space goes.
                let name = PythonText.stripped(Substring(line.text.unicodeScalars.drop { $0 == ":" || $0 == " " }))
                sections.append(AnalogySection(name: name, questions: []))
                continue
            }
            let words = PythonText.words(line.text)
            if words.isEmpty { continue }
            guard words.count == 4 else {
                throw file.malformed(line, "expected a ': section' header or four words 'a b c d', found \(words.count) word\(words.count == 1 ? "" : "s")")
            }
            guard !sections.isEmpty else {
                throw file.malformed(line, "a question before the first ': section' header")
            }
            sections[sections.count - 1].questions.append(AnalogyQuestion(words[0], words[1], words[2], answer: words[3]))
        }
        self.init(name: name ?? url.deletingPathExtension().lastPathComponent, sections: sections)
    }
}
