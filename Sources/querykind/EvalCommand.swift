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
            precision and recall, the confusion matrix, accuracy per source and the 20 most confident mistakes.
            """)

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "The head to score: keyword or question.")
    var head: EvaluationHead

    @Flag(help: "Also score a lower-cased, punctuation-stripped copy of every text.")
    var normalized = false

    @Flag(help: "One JSON object per scored view instead of text.")
    var json = false

    @Argument(help: "The labeled TSV file.")
    var file: String

    func run() throws {
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
    }
}

extension EvaluationHead: ExpressibleByArgument {}
