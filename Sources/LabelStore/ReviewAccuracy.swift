/// How accurate each model is on the texts people reviewed (`querykind eval --db`, `LabelDatabase.reviewAccuracy`):
/// per model id, the reviewed texts it labeled (its `label_cache` entries whose key has a review, scored against
/// the review that counts), and the agreement between reviewers.
public struct ReviewAccuracy: Sendable, Equatable, Codable {
    /// A share of `n` items right; nil accuracy when `n` is 0.
    public struct Score: Sendable, Equatable, Codable {
        public var accuracy: Double?
        public var n: Int

        public init(right: Int, n: Int) {
            self.n = n
            accuracy = n == 0 ? nil : Double(right) / Double(n)
        }
    }

    /// One model's figures over the reviewed texts it labeled.
    public struct Model: Sendable, Equatable, Codable {
        public var model: String
        /// Reviewed texts (keys) this model labeled.
        public var reviews: Int
        public var kindAccuracy: Double?
        /// `keyword`: the keyword head over every review (truth: the kind is keyword; answer: p_keyword ≥ 0.5);
        /// `question`: the question head over reviews of kind question or statement (truth: question; answer:
        /// p_question ≥ 0.5).
        public var heads: [String: Score]
        /// For each reviewed kind, the share the model labeled so (recall).
        public var kinds: [String: Score]
        /// Reviewed kind → the model's kind → texts.
        public var confusion: [String: [String: Int]]

        public init(model: String, reviews: Int, kindAccuracy: Double?, heads: [String: Score], kinds: [String: Score],
                    confusion: [String: [String: Int]]) {
            (self.model, self.reviews, self.kindAccuracy) = (model, reviews, kindAccuracy)
            (self.heads, self.kinds, self.confusion) = (heads, kinds, confusion)
        }

        enum CodingKeys: String, CodingKey {
            case model, reviews, kindAccuracy = "kind_accuracy", heads, kinds, confusion
        }
    }

    /// Keys reviewed by two or more reviewers, and how many of them every reviewer's latest review agrees on.
    public struct Agreement: Sendable, Equatable, Codable {
        public var keys: Int
        public var agreeing: Int
        public var rate: Double?

        public init(keys: Int, agreeing: Int, rate: Double?) { (self.keys, self.agreeing, self.rate) = (keys, agreeing, rate) }
    }

    public var models: [Model]
    public var agreement: Agreement
}
