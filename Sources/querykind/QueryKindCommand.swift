import ArgumentParser
import Foundation

/// The `querykind` command line: a thin shell over the library modules, one subcommand per job.
struct QueryKindCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "querykind",
        abstract: "Label search queries as keyword, question or statement with a two-head BERT model.",
        subcommands: [
            ClassifyCommand.self, LabelCommand.self, WatchCommand.self, LookupCommand.self, ReportCommand.self,
            MigrateCommand.self, EvalCommand.self, BenchCommand.self, ServeCommand.self, ReviewCommand.self,
        ]
    )

    @Flag(name: .long, help: "Print the version, the git commit it was built from and the shipped model's id.")
    var version = false

    /// Without a subcommand: `--version`, else the help.
    func run() async throws {
        guard version else { throw CleanExit.helpRequest(self) }
        FileHandle.standardOutput.write(Data(VersionText.render().utf8))
    }
}
