import Foundation
import XCTest

/// A damaged checkpoint gives the same error on every run (Swift's dictionary order changes per process,
/// the checkpoint's order does not), so a user and a test see the same message.
final class ClassifyModelLoadOrderCLITests: XCTestCase {
    func testTruncatedSafetensorsNamesTheFirstDamagedTensorOnEveryRun() throws {
        let folder = try CLIFolder()
        let model = folder.url.appendingPathComponent("truncated-model")
        try FileManager.default.copyItem(atPath: CommandRunner.tinyModel, toPath: model.path)
        let weights = model.appendingPathComponent("model.safetensors")
        let bytes = try Data(contentsOf: weights)
        // Cut inside the word embeddings: they and every tensor stored after them now run past the end.
        try bytes.prefix(bytes.count / 2).write(to: weights)

        var messages: Set<String> = []
        for _ in 0..<6 {
            let output = try CommandRunner.run(["classify", "--model", model.path, "how do magnets work"],
                                               in: folder.url)
            XCTAssertNotEqual(output.status, 0, output.stderr)
            messages.insert(output.stderr)
        }
        XCTAssertEqual(messages.count, 1, "different messages: \(messages)")
        XCTAssertTrue(messages.first?.contains("'bert.embeddings.word_embeddings.weight'") == true, "\(messages)")
    }
}
