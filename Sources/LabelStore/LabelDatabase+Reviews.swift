/// Reviews (`query_reviews`), written once for both engines in SQL they run alike, as `report` is: recording one,
/// reading a key's history and the current reviews, and the review queue.
///
/// Why here and not per engine: a review, the queue's order and "the latest review counts" must mean the same on
/// SQLite and PostgreSQL, and nothing in them needs an engine's dialect.
extension LabelDatabase {
    /// Records `submission` and returns it as stored (with its id and time). Refuses, writing nothing, an unknown
    /// kind, an empty key or an empty reviewer (`ReviewError`).
    public func recordReview(_ submission: ReviewSubmission) throws -> Review {
        guard Review.kinds.contains(submission.kind) else { throw ReviewError.unknownKind(submission.kind) }
        guard !submission.key.isEmpty else { throw ReviewError.emptyText }
        guard !submission.reviewer.allSatisfy(\.isWhitespace) else { throw ReviewError.emptyReviewer }
        let stored = try rows("""
            INSERT INTO query_reviews (normalized_text, kind, reviewer, model, model_kind, p_keyword, p_question, note)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING \(Self.reviewColumns)
            """, [.text(submission.key), .text(submission.kind), .text(submission.reviewer),
                  submission.model.map { .text($0) } ?? .null, submission.shown.map { .text($0.kind) } ?? .null,
                  submission.shown.map { .real($0.pKeyword) } ?? .null,
                  submission.shown.map { .real($0.pQuestion) } ?? .null, submission.note.map { .text($0) } ?? .null])
        return Self.review(stored[0])
    }

    /// Deletes the review `id` (an answer taken back right after it was given: `review`'s undo).
    public func deleteReview(id: Int64) throws {
        try execute("DELETE FROM query_reviews WHERE id = $1", [.integer(id)])
    }

    /// Every review of `key`, oldest first; the last is the one that counts.
    public func reviews(key: String) throws -> [Review] {
        try rows("SELECT \(Self.reviewColumns) FROM query_reviews WHERE normalized_text = $1 ORDER BY id",
                 [.text(key)]).map(Self.review)
    }

    /// The review that counts for each of `keys` that has one.
    public func currentReviews(keys: [String]) throws -> [String: Review] {
        var current: [String: Review] = [:]
        for start in stride(from: 0, to: keys.count, by: 500) {
            let chunk = Array(keys[start..<min(start + 500, keys.count)])
            let list = chunk.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
            for row in try rows("""
                SELECT \(Self.reviewColumns) FROM query_reviews WHERE id IN (
                    SELECT max(id) FROM query_reviews WHERE normalized_text IN (\(list)) GROUP BY normalized_text)
                """, chunk.map { .text($0) }) {
                let review = Self.review(row)
                current[review.key] = review
            }
        }
        return current
    }

    /// Every key's current review, by key order.
    public func allCurrentReviews() throws -> [Review] {
        try rows("""
            SELECT \(Self.reviewColumns) FROM query_reviews
            WHERE id IN (SELECT max(id) FROM query_reviews GROUP BY normalized_text) ORDER BY normalized_text, id
            """, []).map(Self.review)
    }

    /// Every review ever recorded, in recording order (history, agreement between reviewers).
    public func allReviews() throws -> [Review] {
        try rows("SELECT \(Self.reviewColumns) FROM query_reviews ORDER BY id", []).map(Self.review)
    }

    /// What changes whenever a review is recorded (the count and the highest id): a process that holds reviews in
    /// memory reads them again only when this changed.
    public func reviewsMark() throws -> [Int64] {
        try rows("SELECT count(*), coalesce(max(id), 0) FROM query_reviews", [])[0].map { $0.integer ?? 0 }
    }

    /// Up to `limit` of `model`'s cached texts in the order a reviewer's minute is worth most: unreviewed texts
    /// first; among them the highest `(1 − 2 × margin) × occurrences` first, where `margin` is the deciding head's
    /// distance from 0.5 (`marginSQL`) and `occurrences` is `hits + 1`; ties by key.
    public func reviewQueue(model: String, limit: Int) throws -> [ReviewQueueItem] {
        var items = try rows("""
            SELECT normalized_text, kind, p_keyword, p_question, hits, reviews, margin,
                   (1 - 2 * margin) * (hits + 1) AS priority
            FROM (SELECT c.normalized_text, c.kind, c.p_keyword, c.p_question, c.hits, \(Self.marginSQL) AS margin,
                         (SELECT count(*) FROM query_reviews AS r WHERE r.normalized_text = c.normalized_text) AS reviews
                  FROM label_cache AS c WHERE c.model = $1) AS q
            ORDER BY CASE WHEN reviews = 0 THEN 0 ELSE 1 END, priority DESC, normalized_text
            LIMIT $2
            """, [.text(model), .integer(Int64(limit))]).map { row in
            ReviewQueueItem(
                key: row[0].text ?? "", text: nil,
                label: StoredLabel(kind: row[1].text ?? "", pKeyword: row[2].real ?? 0, pQuestion: row[3].real ?? 0),
                occurrences: Int(row[4].integer ?? 0) + 1, margin: row[6].real ?? 0, priority: row[7].real ?? 0,
                reviews: Int(row[5].integer ?? 0))
        }
        let texts = try exampleTexts(keys: items.map(\.key))
        for index in items.indices { items[index].text = texts[items[index].key] }
        return items
    }

    /// A source text for each of `keys`: the one of the lowest labeled id with that key.
    private func exampleTexts(keys: [String]) throws -> [String: String] {
        guard !keys.isEmpty else { return [:] }
        let list = keys.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
        let ids = try rows("""
            SELECT normalized_text, min(query_id) FROM query_labels WHERE normalized_text IN (\(list))
            GROUP BY normalized_text
            """, keys.map { .text($0) }).compactMap { row in row[1].integer.map { (row[0].text ?? "", $0) } }
        let texts = try sourceTexts(ids: ids.map(\.1))
        return Dictionary(ids.compactMap { key, id in texts[id].map { (key, $0) } }, uniquingKeysWith: { first, _ in first })
    }

    /// The columns `review(_:)` reads, in its order.
    static var reviewColumns: String {
        "id, normalized_text, kind, reviewer, reviewed_at, model, model_kind, p_keyword, p_question, note"
    }

    /// A row of `reviewColumns`.
    static func review(_ row: [SQLValue]) -> Review {
        let shown = row[6].text.flatMap { kind in
            row[7].real.flatMap { pKeyword in row[8].real.map { StoredLabel(kind: kind, pKeyword: pKeyword, pQuestion: $0) } }
        }
        return Review(id: row[0].integer ?? 0, key: row[1].text ?? "", kind: row[2].text ?? "",
                      reviewer: row[3].text ?? "", reviewedAt: row[4].text ?? "", model: row[5].text,
                      shown: shown, note: row[9].text)
    }
}
