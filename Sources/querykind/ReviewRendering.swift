import Foundation
import LabelStore

/// How `review` prints for a person (`--json` prints the values themselves).
enum ReviewRendering {
    /// One line for a recorded review.
    static func recorded(_ review: Review) -> String {
        var line = "review \(review.id): \"\(review.key)\" is a \(review.kind) (by \(review.reviewer))"
        if let shown = review.shown {
            line += "; the model said \(shown.kind) "
                + String(format: "(p_keyword %.3f, p_question %.3f)", shown.pKeyword, shown.pQuestion)
        }
        return line
    }

    /// The queue as a table: priority, occurrences, the model's label, reviews so far, and the text.
    static func queue(_ items: [ReviewQueueItem]) -> String {
        guard !items.isEmpty else { return "the queue is empty: no cached labels of this model" }
        var lines = ["priority  count  kind       p_keyword  p_question  reviews  text"]
        for item in items {
            lines.append(String(format: "%8.3f", item.priority) + "  " + String(item.occurrences).leftPadded(5)
                         + "  " + padded(item.label.kind, 9) + "  " + String(format: "%9.3f  %10.3f", item.label.pKeyword,
                                                                        item.label.pQuestion)
                         + "  " + String(item.reviews).leftPadded(7) + "  " + (item.text ?? item.key))
        }
        return lines.joined(separator: "\n")
    }
}
