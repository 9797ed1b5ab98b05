import ArgumentParser
import BertClassifier
import Evaluation
import Foundation

/// `querykind eval`: measures one head of a model on a labeled TSV file.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score one head of a model on a labeled file.",
        discussion: """
            FILE holds text<TAB>label[<TAB>source] rows (a header line is allowed). Labels are keyword/natural \
            for --head keyword and question/statement for --head question. Prints accuracy, per-label \
            precision and recall, the confusion matrix, accuracy per source and the 20 most confident mistakes. \
            --perturb adds the perturbed views: for --head keyword every keyword query with "." "!" "!!" "?" or \
            "..." appended (one view each), and for both heads every other text that ends in a mark without it; \
            labels must not change, so a model that reads the marks instead of the words scores low there. \
            With --db instead of FILE and --head: each model's accuracy on the texts people reviewed in that \
            database (docs/review.md).
            """)

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "The head to score: keyword or question.")
    var head: EvaluationHead?

    @Option(help: ArgumentHelp("Score every model on the reviews in this database (SQLite file or PostgreSQL URL): "
                               + "accuracy per head and kind, confusion matrix, reviews, reviewer agreement.",
                               valueName: "file-or-url"))
    var db: String?

    @Flag(help: "Also score a lower-cased, punctuation-stripped copy of every text.")
    var normalized = false

    @Flag(help: "Also score the perturbed views (trailing marks on keyword queries, final marks removed) and print accuracy per view.")
    var perturb = false

    @Flag(help: "One JSON object per scored view instead of text.")
    var json = false

    @Argument(help: "The labeled TSV file.")
    var file: String?

    func validate() throws {
        if db != nil {
            guard head == nil, file == nil, !normalized, !perturb else {
                throw ValidationError("--db scores the database's reviews: give no FILE, --head, --normalized or --perturb with it")
            }
        } else {
            guard head != nil else { throw ValidationError("Missing expected argument '--head <head>'") }
            guard file != nil else { throw ValidationError("Missing expected argument '<file>'") }
        }
    }

    func run() throws {
        if let db { return try evaluateReviews(db: db) }
        guard let head, let file else { return }
        let examples: [LabeledExample]
        do {
            examples = try LabeledExample.read(tsv: URL(fileURLWithPath: file), head: head)
        } catch {
            throw CommandFailure("\(error)")
        }
        let classifier = try modelOptions.loadClassifier()
        let score = { (stripped: Bool) in
            classifier.evaluate(examples, head: head, stripped: stripped, batchSize: modelOptions.inferenceBatch)
        }
        var views = [("raw", score(false))]
        if normalized { views.append(("normalized", score(true))) }
        for (name, report) in views {
            print(json ? try EvaluationRendering.json(report, view: name, model: classifier.modelID)
                       : EvaluationRendering.text(report, view: name, model: classifier.modelID))
        }
        guard perturb else { return }
        let perturbed = PerturbedView.views(for: head).map { view in
            (view.name, classifier.evaluate(view.apply(to: examples), head: head, batchSize: modelOptions.inferenceBatch))
        }
        if json {
            for (name, report) in perturbed {
                print(try EvaluationRendering.json(report, view: name, model: classifier.modelID))
            }
        } else {
            print(EvaluationRendering.perturbedSummary(perturbed, head: head, model: classifier.modelID))
        }
    }
}

extension EvaluationHead: ExpressibleByArgument {}
