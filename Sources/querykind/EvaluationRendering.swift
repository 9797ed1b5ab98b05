import Evaluation
import Foundation

/// Turns an evaluation report into the text a person reads or the JSON a script parses.
enum EvaluationRendering {
    static func text(_ report: EvaluationReport, view: String, model: String) -> String {
        let labels = report.head.labels
        var lines = [
            "head \(report.head.rawValue), \(view) text, model \(model): \(report.count) examples",
            String(format: "accuracy  %.4f  (%d/%d)", report.accuracy, report.correct, report.count),
        ]
        for (index, label) in labels.enumerated() {
            lines.append(padded(label, 10)
                         + String(format: " precision %.4f  recall %.4f", report.precision(index), report.recall(index)))
        }
        lines.append("confusion (rows gold, columns predicted):")
        lines.append(padded("", 12) + labels.map { padded($0, 11) }.joined())
        for (index, label) in labels.enumerated() {
            lines.append(padded(label, 12) + report.confusion[index].map { padded(String($0), 11) }.joined())
        }
        if !report.bySource.isEmpty {
            lines.append("by source:")
            for (source, tally) in report.bySource.sorted(by: { $0.key < $1.key }) {
                lines.append("  " + padded(source, 34) + String(format: "%.4f  (%d/%d)",
                    Double(tally.correct) / Double(tally.count), tally.correct, tally.count))
            }
        }
        if !report.mistakes.isEmpty {
            lines.append("most confident mistakes:")
            for mistake in report.mistakes {
                lines.append(String(format: "  %.3f  gold ", mistake.confidence) + padded(mistake.expected, 10)
                             + "predicted " + padded(mistake.predicted, 10) + mistake.text)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line per perturbed view: its name, accuracy and rows (a view that applies to no row says so).
    static func perturbedSummary(_ views: [(name: String, report: EvaluationReport)], head: EvaluationHead,
                                 model: String) -> String {
        var lines = ["head \(head.rawValue), perturbed views, model \(model):"]
        for (name, report) in views {
            lines.append("  " + padded(name, 16) + (report.count == 0 ? "no rows"
                : String(format: "accuracy %.4f  (%d/%d)", report.accuracy, report.correct, report.count)))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ report: EvaluationReport, view: String, model: String) throws -> String {
        try JSONOutput.line(Record(report, view: view, model: model))
    }

    /// The `--json` form of a report.
    private struct Record: Encodable {
        struct LabelScore: Encodable { var label: String; var precision: Double; var recall: Double }
        struct SourceScore: Encodable { var source: String; var count: Int; var accuracy: Double }
        struct Mistake: Encodable { var text: String; var gold: String; var predicted: String; var confidence: Float }

        var head: String, view: String, model: String
        var count: Int, accuracy: Double
        var labels: [String]
        var per_label: [LabelScore]
        var confusion: [[Int]]
        var by_source: [SourceScore]
        var mistakes: [Mistake]

        init(_ report: EvaluationReport, view: String, model: String) {
            head = report.head.rawValue
            self.view = view
            self.model = model
            count = report.count
            accuracy = report.accuracy
            let labels = report.head.labels
            self.labels = labels
            per_label = labels.indices.map {
                LabelScore(label: labels[$0], precision: report.precision($0), recall: report.recall($0))
            }
            confusion = report.confusion
            by_source = report.bySource.sorted { $0.key < $1.key }.map {
                SourceScore(source: $0.key, count: $0.value.count,
                            accuracy: Double($0.value.correct) / Double($0.value.count))
            }
            mistakes = report.mistakes.map {
                Mistake(text: $0.text, gold: $0.expected, predicted: $0.predicted, confidence: $0.confidence)
            }
        }
    }
}
