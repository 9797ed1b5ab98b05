import Foundation
import XCTest

/// The binary copied to an install prefix, away from the source tree, finds its model and works.
final class InstalledBinaryTests: XCTestCase {
    func testCopiedBinaryFindsTheModelUnderItsPrefix() throws {
        let built = try CommandRunner.requireExecutable()
        let folder = try CLIFolder()
        let prefix = folder.url.appendingPathComponent("prefix")
        let binary = prefix.appendingPathComponent("bin/querykind")
        let model = prefix.appendingPathComponent("share/querykind/Models/querykind-minilm-l3")
        try FileManager.default.createDirectory(at: binary.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: model.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: built, to: binary)
        try FileManager.default.copyItem(at: URL(fileURLWithPath: CommandRunner.tinyModel), to: model)
        let elsewhere = folder.url.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)

        let output = try CommandRunner.run(["classify", "--json", "where is berlin?"], in: elsewhere, executable: binary)
        XCTAssertEqual(output.status, 0, output.stderr)
        let reference = try CommandRunner.run(["classify", "--json", "--model", CommandRunner.tinyModel, "where is berlin?"],
                                              in: elsewhere)
        XCTAssertEqual(output.stdout, reference.stdout, "the installed model answers exactly as the fixture")

        try FileManager.default.removeItem(at: model)
        let missing = try CommandRunner.run(["classify", "where is berlin?"], in: elsewhere, executable: binary)
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains(model.deletingLastPathComponent().path), missing.stderr)
        XCTAssertEqual(missing.stderr.split(separator: "\n").count, 1, "one line: \(missing.stderr)")
    }
}
