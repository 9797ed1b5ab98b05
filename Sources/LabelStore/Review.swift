/// A person's answer about one text's kind, as `query_reviews` keeps it: keyed by the cache's normalized text, so
/// it covers every row and every future query with that key. The latest review of a key (the highest id) is the
/// one that counts; earlier ones stay for history and agreement between reviewers.
public struct Review: Sendable, Equatable, Codable {
    /// Recording order: the highest id of a key is its current review.
    public var id: Int64
    /// The cache key (the tokenizer's normalized text) the review covers.
    public var key: String
    /// `keyword`, `question` or `statement`.
    public var kind: String
    public var reviewer: String
    /// UTC ISO-8601, as querykind's tables show times (`Timestamp`).
    public var reviewedAt: String
    /// The model id whose label the reviewer saw, nil when none was shown.
    public var model: String?
    /// That label, as shown (nil when none was).
    public var shown: StoredLabel?
    public var note: String?

    public init(id: Int64, key: String, kind: String, reviewer: String, reviewedAt: String, model: String?,
                shown: StoredLabel?, note: String?) {
        (self.id, self.key, self.kind, self.reviewer, self.reviewedAt) = (id, key, kind, reviewer, reviewedAt)
        (self.model, self.shown, self.note) = (model, shown, note)
    }

    /// The kinds a review can give, the model's three.
    public static let kinds = ["keyword", "question", "statement"]

    enum CodingKeys: String, CodingKey {
        case id, key = "normalized_text", kind, reviewer, reviewedAt = "reviewed_at", model, shown, note
    }
}

/// A review to record (`LabelDatabase.recordReview`): everything but what the database assigns.
public struct ReviewSubmission: Sendable, Equatable {
    public var key: String
    public var kind: String
    public var reviewer: String
    public var model: String?
    public var shown: StoredLabel?
    public var note: String?

    public init(key: String, kind: String, reviewer: String, model: String? = nil, shown: StoredLabel? = nil,
                note: String? = nil) {
        (self.key, self.kind, self.reviewer, self.model, self.shown, self.note) = (key, kind, reviewer, model, shown, note)
    }
}

/// Why a review was refused; nothing was written. Each reads as one line a person or an HTTP client can act on.
public enum ReviewError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownKind(String)
    case emptyText
    /// The text has no tokens once the tokenizer drops control and format characters, so it has no cache key.
    case noTokens
    case emptyReviewer

    public var description: String {
        switch self {
        case .unknownKind(let kind):
            "unknown kind \"\(kind)\"; a review's kind is one of: \(Review.kinds.joined(separator: ", "))"
        case .emptyText: "the text to review is empty; give the query's text"
        case .noTokens: "the text to review has no tokens (only control or format characters); give the query's text"
        case .emptyReviewer: "the reviewer's name is empty; give a name"
        }
    }
}
