import Foundation
import XCTest

/// `--help` works for the top-level command and every subcommand it lists (new ones are covered as they are added).
final class HelpCLITests: XCTestCase {
    /// The subcommands under SUBCOMMANDS: in `querykind --help` (lines indented by two spaces; wrapped
    /// abstracts are indented further).
    private func subcommands(in help: String) -> [String] {
        let section = help.components(separatedBy: "SUBCOMMANDS:").dropFirst().first ?? ""
        return section.split(separator: "\n")
            .prefix { !$0.hasPrefix("  See") }
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    func testEveryCommandHasHelp() throws {
        let folder = try CLIFolder()
        let top = try CommandRunner.run(["--help"], in: folder.url)
        XCTAssertEqual(top.status, 0, top.stderr)
        let commands = subcommands(in: top.stdout)
        XCTAssertTrue(Set(["classify", "label", "watch", "lookup", "report", "migrate", "eval", "bench"])
                        .isSubset(of: commands), "subcommands listed: \(commands)")
        for command in commands {
            let help = try CommandRunner.run([command, "--help"], in: folder.url)
            XCTAssertEqual(help.status, 0, "\(command): \(help.stderr)")
            XCTAssertTrue(help.stdout.hasPrefix("OVERVIEW: "), "\(command): \(help.stdout)")
            XCTAssertTrue(help.stdout.contains("USAGE: querykind \(command)"), "\(command): \(help.stdout)")
            XCTAssertTrue(help.stdout.contains("-h, --help"), "\(command): \(help.stdout)")
            XCTAssertEqual(help.stderr, "", command)
        }
    }

    /// `docs/cli-reference.md` is every command's `--help` as this binary prints it, so a command or flag added,
    /// renamed or reworded without regenerating the file fails here.
    func testTheCLIReferenceIsEveryCommandsHelp() throws {
        let script = CommandRunner.repositoryRoot.appendingPathComponent("scripts/cli-reference.sh").path
        let folder = try CLIFolder()
        let generated = try CommandRunner.run([], in: folder.url, prefix: ["/bin/bash", script])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        XCTAssertTrue(generated.stdout.contains("## querykind serve\n"), "every listed command has a section")
        let committed = try String(contentsOf: CommandRunner.repositoryRoot.appendingPathComponent("docs/cli-reference.md"),
                                   encoding: .utf8)
        XCTAssertTrue(committed == generated.stdout,
                      "docs/cli-reference.md is out of date: run scripts/cli-reference.sh > docs/cli-reference.md")
    }
}
