import Annotator
import ArgumentParser

/// `querykind lookup`: a label for each given text (or stdin line), from the cache when possible.
struct LookupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup",
        abstract: "Label texts, consulting (and filling) the label cache of a database.",
        discussion: "Reads one text per line from standard input when no TEXT is given. Without --db, "
            + "every text goes to the model. Each result says whether it came from the cache.")

    @OptionGroup var database: CacheDatabaseOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var uncertainOptions: UncertainOptions

    @Flag(name: .long, help: "Print one JSON object per text.")
    var json = false

    @Argument(help: "Texts to label.")
    var texts: [String] = []

    func run() throws {
        let lookup = try Lookup.open(store: database.open(), inferenceBatch: modelOptions.inferenceBatch) {
            try modelOptions.loadClassifier()
        }
        var printer = RecordPrinter(json: json, showsSource: database.db != nil, margin: try uncertainOptions.margin())
        try TextLabeling.run(arguments: texts, lookup: lookup, readAhead: modelOptions.readAhead,
                             printer: &printer)
    }
}
