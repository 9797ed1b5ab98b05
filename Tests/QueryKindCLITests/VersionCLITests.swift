import BertClassifier
import Foundation
import XCTest

/// `querykind --version`: the version, the commit it was built from, and the shipped model's id as `label`
/// writes it (the package test checks a packaged binary names its real commit).
final class VersionCLITests: XCTestCase {
    func testVersionNamesTheReleaseTheCommitAndTheShippedModel() throws {
        let folder = try CLIFolder()
        let output = try CommandRunner.run(["--version"], in: folder.url, environment: ["QUERYKIND_MODEL": "/nowhere"])
        XCTAssertEqual(output.status, 0, output.stderr)
        let lines = output.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, output.stdout)
        XCTAssertTrue(lines[0].range(of: #"^querykind [0-9]+\.[0-9]+\.[0-9]+$"#, options: .regularExpression) != nil,
                      lines[0])
        XCTAssertTrue(lines[1].hasPrefix("commit: "), lines[1])
        let shipped = CommandRunner.repositoryRoot.appendingPathComponent("Models/querykind-minilm-l3")
        let id = try ModelDirectory(shipped).modelID()
        XCTAssertEqual(lines[2], "model: \(id) (\(shipped.standardizedFileURL.path))",
                       "the shipped model, whatever $QUERYKIND_MODEL says")
    }

    func testWithoutASubcommandOrFlagTheHelpIsPrinted() throws {
        let folder = try CLIFolder()
        let output = try CommandRunner.run([], in: folder.url)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("SUBCOMMANDS:"), output.stdout)
        XCTAssertTrue(output.stdout.contains("--version"), output.stdout)
    }
}
