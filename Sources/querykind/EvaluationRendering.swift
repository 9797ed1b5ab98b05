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

    static func json(_ report: EvaluationReport, view: String, model: String) -> String {
        let labels = report.head.labels
        let perLabel: [JSONLine.Value] = labels.indices.map { index in
            .object([("label", .string(labels[index])), ("precision", .number(report.precision(index))),
                     ("recall", .number(report.recall(index)))])
        }
        let sources: [JSONLine.Value] = report.bySource.sorted(by: { $0.key < $1.key }).map { source, tally in
            .object([("source", .string(source)), ("count", .integer(tally.count)),
                     ("accuracy", .number(Double(tally.correct) / Double(tally.count)))])
        }
        let mistakes: [JSONLine.Value] = report.mistakes.map { mistake in
            .object([("text", .string(mistake.text)), ("gold", .string(mistake.expected)),
                     ("predicted", .string(mistake.predicted)), ("confidence", .number(Double(mistake.confidence)))])
        }
        return JSONLine.object([
            ("head", .string(report.head.rawValue)), ("view", .string(view)), ("model", .string(model)),
            ("count", .integer(report.count)), ("accuracy", .number(report.accuracy)),
            ("labels", .array(labels.map { .string($0) })),
            ("per_label", .array(perLabel)),
            ("confusion", .array(report.confusion.map { .array($0.map { .integer($0) }) })),
            ("by_source", .array(sources)),
            ("mistakes", .array(mistakes)),
        ])
    }
}
