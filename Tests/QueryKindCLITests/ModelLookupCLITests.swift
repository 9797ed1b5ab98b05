import Foundation
import XCTest

/// Which model a command runs without `--model`: `$QUERYKIND_MODEL`, else `Models/querykind-minilm-l3` in the
/// current directory (then above the executable); `--model` beats both. The model id in `label`'s summary names
/// the directory that answered.
final class ModelLookupCLITests: XCTestCase {
    func testModelOptionThenEnvironmentThenCurrentDirectory() throws {
        let folder = try CLIFolder()
        try folder.createQueries(["where is berlin?"])
        // The tiny checkpoint under the shipped model's name, in the folder the command runs in.
        let shipped = folder.url.appendingPathComponent("Models/querykind-minilm-l3")
        try FileManager.default.createDirectory(at: shipped.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CommandRunner.tinyModel, toPath: shipped.path)
        let tinyHash = try folder.label(["--model", CommandRunner.tinyModel]).model.split(separator: "@")[1]
        let fp16 = CommandRunner.fixtures.appendingPathComponent("tiny-fp16").path

        XCTAssertEqual(try folder.label([]).model, "querykind-minilm-l3@\(tinyHash)", "the current directory's Models/")
        XCTAssertTrue(try folder.label([], environment: ["QUERYKIND_MODEL": fp16]).model.hasPrefix("tiny-fp16@"),
                      "$QUERYKIND_MODEL beats the current directory")
        XCTAssertTrue(try folder.label(["--model", CommandRunner.tinyModel], environment: ["QUERYKIND_MODEL": fp16])
                        .model.hasPrefix("tiny-safetensors@"), "--model beats $QUERYKIND_MODEL")
    }

    /// A binary with no model anywhere near it says so in one line and points to `--model`.
    func testNoModelAnywhereIsOneLineError() throws {
        let folder = try CLIFolder()
        let copy = folder.url.appendingPathComponent("querykind")
        try FileManager.default.copyItem(at: try CommandRunner.requireExecutable(), to: copy)
        let output = try CommandRunner.run(["classify", "hello"], in: folder.url, executable: copy)
        XCTAssertNotEqual(output.status, 0)
        XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, output.stderr)
        XCTAssertTrue(output.stderr.contains("--model"), output.stderr)
        XCTAssertEqual(output.stdout, "")
    }
}
