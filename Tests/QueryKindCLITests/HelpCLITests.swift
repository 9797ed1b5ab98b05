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
}
