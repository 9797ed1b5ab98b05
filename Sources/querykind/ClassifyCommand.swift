import Annotator
import ArgumentParser

/// `querykind classify`: label texts given as arguments or streamed on standard input, without a database.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify texts given as arguments, or one per line on standard input.",
        discussion: """
            kind is keyword when p_keyword >= 0.5, else question when p_question >= 0.5, else statement; with \
            --uncertain M, uncertain when p_keyword (for keyword) or either probability (for the others) is \
            within M of 0.5.
            p_keyword: the keyword head's confidence that the text is a keyword-style query.
            p_question: the question head's confidence that the text is a question.
            A text that cannot be labeled (empty, no tokens, invalid UTF-8) gets no kind and the error a \
            database row would get. Standard input is answered as lines arrive, one output line per input line.
            """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var uncertainOptions: UncertainOptions

    @Flag(help: "One JSON object per input line, in input order.")
    var json = false

    @Argument(help: "Texts to classify; reads standard input when none are given.")
    var texts: [String] = []

    func run() throws {
        let lookup = try Lookup.open(store: nil, inferenceBatch: modelOptions.inferenceBatch) {
            try modelOptions.loadClassifier()
        }
        var printer = RecordPrinter(json: json, showsSource: false, margin: try uncertainOptions.margin())
        try TextLabeling.run(arguments: texts, lookup: lookup, readAhead: modelOptions.readAhead,
                             printer: &printer)
    }
}
