import Annotator
import ArgumentParser
import Foundation
import LabelStore

/// `querykind review`: people's answers about texts' kinds, which win over the model's labels in the
/// `<table>_labeled` view, `lookup --db` and `serve --db` (docs/review.md).
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Record people's reviews of labels, print the review queue, or import and export reviews.",
        discussion: "A review is keyed by the text's normalized form (the cache key), so it covers every row and "
            + "query with that key; the latest review of a key counts. Give one of --text with --kind, --queue, "
            + "--import or --export; with none, an interactive session over the unreviewed texts of the queue "
            + "(--limit of them), one key per answer: k keyword, q question, s statement, space skip, u undo, "
            + "x quit.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, help: "The text to review (with --kind).")
    var text: String?

    @Option(name: .long, help: "The text's kind: keyword, question or statement (with --text).")
    var kind: String?

    @Option(name: .long, help: "Who reviews (default: $USER).")
    var reviewer: String?

    @Option(name: .long, help: "A note kept with the review (with --text).")
    var note: String?

    @Flag(name: .long, help: "Print the review queue: unreviewed texts first, least certain and most frequent first.")
    var queue = false

    @Option(name: .long, help: ArgumentHelp("How many texts --queue prints (or the session goes through).",
                                            valueName: "n"))
    var limit = 20

    @Option(name: .customLong("import"), help: ArgumentHelp(
        "Record the reviews in a TSV file of text<TAB>kind lines (a first line text<TAB>kind is a header); one bad "
            + "line and nothing is recorded.", valueName: "file"))
    var importFile: String?

    @Option(name: .customLong("export"), help: ArgumentHelp(
        "Write the current reviews in training/'s data format: train_keyword.tsv and train_question.tsv in this "
            + "folder (created if missing).", valueName: "dir"))
    var exportFolder: String?

    @Flag(name: .long, help: "Print JSON: one object per line.")
    var json = false

    func validate() throws {
        let modes = [text != nil || kind != nil, queue, importFile != nil, exportFolder != nil].filter { $0 }.count
        guard modes <= 1 else {
            throw ValidationError("give one of: --text with --kind, --queue, --import FILE, --export DIR")
        }
        if (text == nil) != (kind == nil) { throw ValidationError("--text and --kind go together") }
        guard limit > 0 else { throw ValidationError("--limit must be a positive number of texts, not \(limit)") }
    }

    /// `--reviewer`, else the login name.
    var reviewerName: String { reviewer ?? ProcessInfo.processInfo.environment["USER"] ?? "anonymous" }

    func run() throws {
        let store = try database.open(for: .readWrite)
        let classifier = try store.setUp(for: nil) { try modelOptions.loadClassifier() }
        let desk = ReviewDesk(classifier: classifier, store: store)
        do {
            if let text, let kind {
                let review = try desk.record(text: text, kind: kind, reviewer: reviewerName, note: note)
                print(json ? try JSONOutput.line(review) : ReviewRendering.recorded(review))
            } else if queue {
                let items = try store.reviewQueue(model: classifier.modelID, limit: limit)
                print(json ? try items.map { try JSONOutput.line($0) }.joined(separator: "\n")
                           : ReviewRendering.queue(items), terminator: items.isEmpty && json ? "" : "\n")
            } else if let importFile {
                let lines = try ReviewFiles.read(importFile)
                let reviews: [Review]
                do {
                    reviews = try desk.recordAll(lines.map { ($0.text, $0.kind) }, reviewer: reviewerName)
                } catch let error as ReviewDesk.ItemError {
                    throw CommandFailure("\(importFile) line \(lines[error.position - 1].number): \(error.error); "
                                         + "nothing was recorded")
                }
                print("recorded \(reviews.count) review\(reviews.count == 1 ? "" : "s") from \(importFile)")
            } else if exportFolder == nil {
                let items = try store.reviewQueue(model: classifier.modelID, limit: limit).filter { $0.reviews == 0 }
                let session = ReviewSession(desk: desk, reviewer: reviewerName, items: items)
                try ReviewSession.withKeys { try session.run(nextKey: $0) }
            } else if let exportFolder {
                let counts = try ReviewFiles.export(try store.allCurrentReviews(), to: exportFolder)
                print("wrote \(counts.keyword) rows to \(exportFolder)/train_keyword.tsv and \(counts.question) to "
                      + "\(exportFolder)/train_question.tsv")
            }
        } catch let error as ReviewError {
            throw CommandFailure(error.description)
        }
    }
}
