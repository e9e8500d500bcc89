/// A synthetic English-like corpus from a seeded grammar, with four planted word classes —
/// animals, foods, places and verbs — each used in contexts of its own.
///
/// Within a class every word is used in exactly the same contexts, so anything learned from
/// context alone should place a class's words together; across classes the contexts differ
/// (an animal is followed by a verb, a verb by a determiner, a food by `.`, `from`, `with`, `near`
/// or `is`, a place by `.`, `,` or `is`). That makes it a test bed for embedding training with a
/// known answer: nearest neighbours should come from the same class. The text is a pure function
/// of `sentenceCount` and `seed`.
///
/// ```swift
/// let corpus = PlantedClassCorpus(sentenceCount: 3, seed: 1)
/// corpus.text   // "the duck smells some bread . the dog steals some cheese near the kitchen . …"
/// PlantedClassCorpus.wordClass(of: "fox")   // "animal"
/// ```
public struct PlantedClassCorpus: Sendable {
    /// A named set of words that the grammar uses interchangeably.
    public struct WordClass: Sendable, Hashable {
        /// The class name, such as `animal`.
        public let name: String
        /// Its members.
        public let words: [String]
    }

    /// The planted classes, in the order used for colours and reports.
    public static let classes: [WordClass] = [
        WordClass(name: "animal", words: ["cat", "dog", "horse", "cow", "sheep", "goat",
                                          "fox", "wolf", "rabbit", "mouse", "bear", "duck"]),
        WordClass(name: "food", words: ["bread", "cheese", "apple", "soup", "rice", "honey",
                                        "carrot", "cake", "pear", "plum", "butter", "grapes"]),
        WordClass(name: "place", words: ["kitchen", "garden", "market", "forest", "river", "village",
                                         "school", "harbour", "valley", "library", "station", "meadow"]),
        WordClass(name: "verb", words: ["eats", "sees", "likes", "wants", "finds", "smells",
                                        "hides", "takes", "hears", "steals"]),
    ]

    /// The generated text: sentences of space-separated words, each ending in ` .`.
    public let text: String
    /// The number of sentences in ``text``.
    public let sentenceCount: Int
    private static let classOfWord: [String: String] = Dictionary(
        uniqueKeysWithValues: classes.flatMap { wordClass in wordClass.words.map { ($0, wordClass.name) } })

    /// `sentenceCount` sentences drawn with a generator seeded with `seed`.
    ///
    /// Class members are drawn with Zipf-like weights (the `i`-th word of a class with weight
    /// `1 / (i + 2)`), so a class mixes frequent and rare words, as in real text.
    public init(sentenceCount: Int, seed: UInt64) {
        precondition(sentenceCount >= 0, "sentenceCount must be non-negative, got \(sentenceCount)")
        let generator = Generator(seed: seed)
        func uniform() -> Double { Double(generator.randomUInt32()) / 4_294_967_296 }
        func pick(_ choices: [String]) -> String {
            choices[Int(generator.randomUInt32() % UInt32(choices.count))]
        }
        func member(_ wordClass: Int) -> String {
            let words = Self.classes[wordClass].words
            var remaining = uniform() * Self.zipfTotal(words.count)
            for (index, word) in words.enumerated() {
                remaining -= 1 / Double(index + 2)
                if remaining < 0 { return word }
            }
            return words[words.count - 1]
        }
        let (animal, food, place, verb) = (0, 1, 2, 3)
        let determiner = ["the", "a", "some"]
        var words: [String] = []
        for _ in 0..<sentenceCount {
            switch generator.randomUInt32() % 7 {
            case 0:
                words += ["the", member(animal), member(verb), pick(determiner), member(food), "."]
            case 1:
                words += ["the", member(animal), member(verb), pick(determiner), member(food), "from", "the", member(place), "."]
            case 2:
                words += ["the", member(animal), "and", "the", member(animal), member(verb), pick(determiner), member(food), "."]
            case 3:
                words += ["in", "the", member(place), ",", "the", member(animal), member(verb), pick(determiner),
                          member(food), "with", member(food), "."]
            case 4:
                words += ["the", member(place), "is", pick(["quiet", "busy", "old"]), "."]
            case 5:
                words += ["the", member(food), "is", pick(["fresh", "sweet", "warm"]), "."]
            default:
                words += ["the", member(animal), member(verb), pick(determiner), member(food), "near", "the", member(place), "."]
            }
        }
        text = words.joined(separator: " ")
        self.sentenceCount = sentenceCount
    }

    private static func zipfTotal(_ count: Int) -> Double {
        (0..<count).reduce(0) { $0 + 1 / Double($1 + 2) }
    }

    /// The planted class of `word`, or nil for a word outside the four classes.
    public static func wordClass(of word: String) -> String? { classOfWord[word] }
}
