import Foundation
import LabelStore

/// `eval --db`: the models' accuracy on the texts people reviewed (`LabelDatabase.reviewAccuracy`).
extension EvalCommand {
    func evaluateReviews(db: String) throws {
        let store = try LabelDatabaseOpener.open(db, access: .readOnly, busyTimeout: StoreDefaults.busyTimeout)
        let accuracy = try store.reviewAccuracy()
        print(json ? try JSONOutput.line(accuracy, pretty: true) : Self.render(accuracy))
    }

    static func render(_ accuracy: ReviewAccuracy) -> String {
        let percent = { (value: Double?) in value.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }
        var lines: [String] = []
        if accuracy.models.isEmpty { lines.append("no reviewed text was labeled by any model yet") }
        for model in accuracy.models {
            lines.append("\(model.model): \(model.reviews) reviewed texts, kind accuracy \(percent(model.kindAccuracy))")
            for head in ["keyword", "question"] {
                let score = model.heads[head]
                lines.append("  \(padded(head + " head", 14))\(percent(score?.accuracy)) of \(score?.n ?? 0)")
            }
            for kind in Review.kinds {
                let score = model.kinds[kind]
                lines.append("  \(padded(kind, 14))\(percent(score?.accuracy)) of \(score?.n ?? 0) reviewed so")
            }
            lines.append("  confusion (rows: reviewed, columns: model)  " + Review.kinds.map { padded($0, 10) }.joined())
            for reviewed in Review.kinds {
                lines.append("  " + padded(reviewed, 44) + Review.kinds.map {
                    padded(String(model.confusion[reviewed]?[$0] ?? 0), 10)
                }.joined())
            }
        }
        let agreement = accuracy.agreement
        lines.append("agreement: \(agreement.agreeing) of \(agreement.keys) texts reviewed by two or more reviewers "
                     + "(\(percent(agreement.rate)))")
        return lines.joined(separator: "\n")
    }
}
