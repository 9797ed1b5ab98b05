import ArgumentParser
import BertClassifier
import Foundation

/// `querykind classify`: label texts given as arguments or streamed on standard input, without a database.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify texts given as arguments, or one per line on standard input.",
        discussion: """
            kind is keyword when p_keyword >= 0.5, else question when p_question >= 0.5, else statement.
            p_keyword: the keyword head's confidence that the text is a keyword-style query.
            p_question: the question head's confidence that the text is a question.
            """)

    @OptionGroup var modelOptions: ModelOptions

    @Flag(help: "One JSON object per input line, in input order.")
    var json = false

    @Option(help: "Texts classified together when reading standard input.")
    var batchSize = 64

    @Argument(help: "Texts to classify; reads standard input when none are given.")
    var texts: [String] = []

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
    }

    func run() throws {
        let classifier = try modelOptions.loadClassifier()
        var printer = PredictionPrinter(json: json)
        if !texts.isEmpty {
            try printer.print(texts, classifier.predict(texts, batchSize: batchSize))
            return
        }
        // Stream: classify and print every `batchSize` lines so long inputs show results as they go.
        var pending: [String] = []
        while let line = readLine(strippingNewline: true) {
            pending.append(line)
            if pending.count == batchSize {
                try printer.print(pending, classifier.predict(pending, batchSize: batchSize))
                pending.removeAll(keepingCapacity: true)
            }
        }
        if !pending.isEmpty { try printer.print(pending, classifier.predict(pending, batchSize: batchSize)) }
    }
}
