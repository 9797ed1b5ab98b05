import Annotator
import ArgumentParser
import Foundation
import LabelStore

/// `querykind lookup`: a label for each given text (or stdin line), from the cache when possible.
struct LookupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup",
        abstract: "Label texts, consulting (and filling) the label cache of a database.",
        discussion: "Reads one text per line from standard input when no TEXT is given. Without --db, "
            + "every text goes to the model.")

    @Option(name: .long, help: ArgumentHelp("A querykind database whose label_cache to use.", valueName: "file"))
    var db: String?

    @OptionGroup var modelOptions: ModelOptions

    @Flag(name: .long, help: "Print one JSON object per text.")
    var json = false

    @Argument(help: "Texts to label.")
    var texts: [String] = []

    func run() throws {
        var store: LabelStore?
        if let db {
            let opened = try LabelStore(path: db, access: .readWrite)
            try opened.checkSchemaIsKnown()
            store = opened
        }
        let classifier = try modelOptions.loadClassifier()
        try store?.migrate()
        let lookup = Lookup(classifier: classifier, store: store)
        if !texts.isEmpty {
            try printResults(lookup(texts))
            return
        }
        // Stream stdin in chunks, so a pipe gets answers as it goes.
        var chunk: [String] = []
        while let line = readLine(strippingNewline: true) {
            chunk.append(line)
            if chunk.count == 256 {
                try printResults(lookup(chunk))
                chunk.removeAll(keepingCapacity: true)
            }
        }
        if !chunk.isEmpty { try printResults(lookup(chunk)) }
    }

    private func printResults(_ results: [Lookup.Result]) throws {
        for result in results {
            if json {
                print(try JSONOutput.line(Row(result)))
            } else if let label = result.label {
                print(padded(label.kind, 10)
                      + String(format: "%.3f  %.3f  ", label.pKeyword, label.pQuestion)
                      + (result.cached ? "cache  " : "model  ") + result.text)
            } else {
                print(padded("-", 10) + "error: \(result.error ?? "")  \(result.text)")
            }
        }
        fflush(nil)
    }

    /// The flat JSON form, matching `classify --json` plus `cached` (and `error` when unlabelable).
    private struct Row: Encodable {
        var text: String
        var kind: String?
        var pKeyword: Double?
        var pQuestion: Double?
        var cached: Bool
        var error: String?

        init(_ result: Lookup.Result) {
            text = result.text
            kind = result.label?.kind
            pKeyword = result.label?.pKeyword
            pQuestion = result.label?.pQuestion
            cached = result.cached
            error = result.error
        }

        enum CodingKeys: String, CodingKey {
            case text, kind, pKeyword = "p_keyword", pQuestion = "p_question", cached, error
        }
    }
}
