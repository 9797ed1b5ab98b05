/// One text of the review queue (`LabelDatabase.reviewQueue`): a cache key with the model's label, how often it
/// occurs, and where it stands in the queue.
public struct ReviewQueueItem: Sendable, Equatable, Codable {
    /// The cache key the review will cover.
    public var key: String
    /// A source row's text with this key (the lowest id's, first 120 characters), nil when no labeled row of the
    /// latest run's table has it: show it rather than the key where there is one.
    public var text: String?
    /// The model's label.
    public var label: StoredLabel
    /// Times the text occurred: the first inference plus the cache hits.
    public var occurrences: Int
    /// The deciding head's distance from 0.5 (`LabelDatabase.marginSQL`).
    public var margin: Double
    /// `(1 − 2 × margin) × occurrences`: the queue's order among unreviewed texts, highest first.
    public var priority: Double
    /// Reviews recorded for the key so far (reviewed texts come after every unreviewed one).
    public var reviews: Int

    public init(key: String, text: String?, label: StoredLabel, occurrences: Int, margin: Double, priority: Double,
                reviews: Int) {
        (self.key, self.text, self.label, self.occurrences) = (key, text, label, occurrences)
        (self.margin, self.priority, self.reviews) = (margin, priority, reviews)
    }

    enum CodingKeys: String, CodingKey {
        case key = "normalized_text", text, label, occurrences, margin, priority, reviews
    }
}
