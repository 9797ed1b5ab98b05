import BertClassifier
import Foundation

/// Writes predictions to standard output, as JSON lines for scripts or as an aligned table for people.
struct PredictionPrinter {
    var json: Bool
    /// Set once the table header has been written, so streamed batches share one header.
    private var printedHeader = false

    init(json: Bool) { self.json = json }

    mutating func print(_ texts: [String], _ predictions: [QueryPrediction]) {
        var out = ""
        for (text, prediction) in zip(texts, predictions) {
            if json {
                out += JSONLine.object([
                    ("text", .string(text)), ("kind", .string(prediction.kind.rawValue)),
                    ("p_keyword", .number(Double(prediction.pKeyword))),
                    ("p_question", .number(Double(prediction.pQuestion))),
                ])
            } else {
                out += padded(prediction.kind.rawValue, 10)
                    + padded(String(format: "%.3f", prediction.pKeyword), 11)
                    + padded(String(format: "%.3f", prediction.pQuestion), 12)
                    + Self.oneLine(text)
            }
            out += "\n"
        }
        if !json && !printedHeader {
            printedHeader = true
            out = padded("kind", 10) + padded("p_keyword", 11) + padded("p_question", 12) + "text\n" + out
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    /// Keeps one row per text in the table even when a text holds tabs or newlines.
    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }
}
