import Annotator
import Foundation

/// Writes prediction records to standard output, as JSON lines for scripts or as an aligned table for people,
/// one line per text in input order, flushed group by group so a pipe sees results as they come.
struct RecordPrinter {
    var json: Bool
    /// Adds a `from` column (cache or model) to the table: set when a cache is consulted.
    var showsSource: Bool
    /// The confidence gate (`--uncertain`) applied to every label printed.
    var margin: UncertainMargin
    /// Set once the table header has been written, so streamed groups share one header.
    private var printedHeader = false

    init(json: Bool, showsSource: Bool, margin: UncertainMargin = .off) {
        self.json = json
        self.showsSource = showsSource
        self.margin = margin
    }

    mutating func print(_ records: [PredictionRecord]) throws {
        var out = ""
        if !json && !printedHeader {
            printedHeader = true
            out = padded("kind", 10) + padded("p_keyword", 11) + padded("p_question", 12)
                + (showsSource ? padded("from", 7) : "") + "text\n"
        }
        for record in margin.apply(to: records) {
            out += json ? try JSONOutput.line(record) : tableRow(record)
            out += "\n"
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    private func tableRow(_ record: PredictionRecord) -> String {
        let text = String(record.text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        guard let label = record.label else {
            return padded("-", 10) + padded("-", 11) + padded("-", 12) + (showsSource ? padded("-", 7) : "")
                + text + "  (\(record.error ?? "no label"))"
        }
        let source = record.cached.map { $0 ? "cache" : "model" } ?? "-"
        return padded(label.kind, 10) + padded(String(format: "%.3f", label.pKeyword), 11)
            + padded(String(format: "%.3f", label.pQuestion), 12) + (showsSource ? padded(source, 7) : "") + text
    }
}
