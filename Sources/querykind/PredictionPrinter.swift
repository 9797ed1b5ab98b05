import BertClassifier
import Foundation

/// Writes predictions to standard output, as JSON lines for scripts or as an aligned table for people.
struct PredictionPrinter {
    var json: Bool
    /// Set once the table header has been written, so streamed batches share one header.
    private var printedHeader = false

    init(json: Bool) { self.json = json }

    mutating func print(_ texts: [String], _ predictions: [QueryPrediction]) throws {
        var out = ""
        for (text, prediction) in zip(texts, predictions) {
            if json {
                out += try JSONOutput.line(PredictionRecord(text: text, prediction: prediction))
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

/// The `--json` form of one prediction: `{"kind", "p_keyword", "p_question", "text"}`.
struct PredictionRecord: Encodable {
    var text: String
    var kind: String
    var p_keyword: Float
    var p_question: Float

    init(text: String, prediction: QueryPrediction) {
        self.text = text
        kind = prediction.kind.rawValue
        p_keyword = prediction.pKeyword
        p_question = prediction.pQuestion
    }
}
