/// `eval --db`, written once for both engines over `rows`: every definition of the accuracy on reviewed texts is
/// here (which label is scored, each head's truth and answer, agreement), so both engines give the same document.
extension LabelDatabase {
    /// Each model's accuracy on the reviewed texts it labeled, models by id, and the reviewers' agreement.
    public func reviewAccuracy() throws -> ReviewAccuracy {
        try requireCurrentSchema()
        let scored = try rows("""
            SELECT c.model, c.kind, c.p_keyword, c.p_question, r.kind FROM label_cache AS c
            JOIN query_reviews AS r ON r.normalized_text = c.normalized_text
            WHERE r.id IN (SELECT max(id) FROM query_reviews GROUP BY normalized_text)
            """, [])
        var byModel: [String: [(label: StoredLabel, reviewed: String)]] = [:]
        for row in scored {
            let label = StoredLabel(kind: row[1].text ?? "", pKeyword: row[2].real ?? 0, pQuestion: row[3].real ?? 0)
            byModel[row[0].text ?? "", default: []].append((label, row[4].text ?? ""))
        }
        let models = byModel.keys.sorted().map { model in Self.accuracy(of: model, on: byModel[model]!) }
        return ReviewAccuracy(models: models, agreement: try agreement())
    }

    private static func accuracy(of model: String, on items: [(label: StoredLabel, reviewed: String)])
        -> ReviewAccuracy.Model {
        var confusion: [String: [String: Int]] = [:]
        for item in items { confusion[item.reviewed, default: [:]][item.label.kind, default: 0] += 1 }
        let natural = items.filter { $0.reviewed != "keyword" }
        let kinds = Dictionary(uniqueKeysWithValues: Review.kinds.map { kind in
            let ofKind = items.filter { $0.reviewed == kind }
            return (kind, ReviewAccuracy.Score(right: ofKind.count { $0.label.kind == kind }, n: ofKind.count))
        })
        return ReviewAccuracy.Model(
            model: model, reviews: items.count,
            kindAccuracy: ReviewAccuracy.Score(right: items.count { $0.label.kind == $0.reviewed }, n: items.count).accuracy,
            heads: [
                "keyword": ReviewAccuracy.Score(
                    right: items.count { ($0.label.pKeyword >= 0.5) == ($0.reviewed == "keyword") }, n: items.count),
                "question": ReviewAccuracy.Score(
                    right: natural.count { ($0.label.pQuestion >= 0.5) == ($0.reviewed == "question") }, n: natural.count),
            ],
            kinds: kinds, confusion: confusion)
    }

    /// Keys with latest reviews by two or more reviewers, and those on which they all give the same kind.
    private func agreement() throws -> ReviewAccuracy.Agreement {
        var kindsByKey: [String: Set<String>] = [:]
        var reviewersByKey: [String: Int] = [:]
        for row in try rows("""
            SELECT normalized_text, kind FROM query_reviews
            WHERE id IN (SELECT max(id) FROM query_reviews GROUP BY normalized_text, reviewer)
            """, []) {
            let key = row[0].text ?? ""
            kindsByKey[key, default: []].insert(row[1].text ?? "")
            reviewersByKey[key, default: 0] += 1
        }
        let shared = reviewersByKey.filter { $0.value >= 2 }.map(\.key)
        let agreeing = shared.count { kindsByKey[$0]?.count == 1 }
        return ReviewAccuracy.Agreement(keys: shared.count, agreeing: agreeing,
                                        rate: shared.isEmpty ? nil : Double(agreeing) / Double(shared.count))
    }
}
