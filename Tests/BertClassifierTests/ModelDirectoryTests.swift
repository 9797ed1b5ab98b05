import Foundation
import QueryKindTestSupport
import XCTest
@testable import BertClassifier

/// `ModelDirectory`: the id covers every file that changes a label, and the default model is found from a source
/// checkout and from an installed prefix.
final class ModelDirectoryTests: XCTestCase {
    private var folder: TemporaryFolder!
    private var scratch: URL { folder.url }

    override func setUpWithError() throws {
        folder = try TemporaryFolder("querykind-modeldir")
    }

    override func tearDownWithError() throws {
        folder.remove()
    }

    /// A copy of the tiny fixture model named `name` (the id starts with the folder name, so copies compare by hash).
    private func copyOfTinyModel(_ name: String = "model") throws -> URL {
        let copy = scratch.appendingPathComponent(UUID().uuidString).appendingPathComponent(name)
        try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Fixtures.directory("tiny-safetensors"), to: copy)
        return copy
    }

    private func append(_ text: String, to file: URL) throws {
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    func testIdentifierChangesWithEveryFileThatChangesALabel() throws {
        let original = try ModelDirectory(try copyOfTinyModel()).modelID()
        XCTAssertEqual(try ModelDirectory(try copyOfTinyModel()).modelID(), original, "same bytes, same id")
        let changes: [(String, (URL) throws -> Void)] = [
            ("config.json", { try self.append(" ", to: $0.appendingPathComponent("config.json")) }),
            ("vocab.txt", { try self.append("extraword\n", to: $0.appendingPathComponent("vocab.txt")) }),
            ("tokenizer_config.json (changed)", {
                try Data(#"{"do_lower_case": false}"#.utf8).write(to: $0.appendingPathComponent("tokenizer_config.json"))
            }),
            ("tokenizer_config.json (removed)", {
                try FileManager.default.removeItem(at: $0.appendingPathComponent("tokenizer_config.json"))
            }),
            ("model.safetensors", { try self.append("\0", to: $0.appendingPathComponent("model.safetensors")) }),
        ]
        var seen: Set<String> = [original]
        for (file, change) in changes {
            let copy = try copyOfTinyModel()
            try change(copy)
            let id = try ModelDirectory(copy).modelID()
            XCTAssertTrue(id.hasPrefix("model@") && id.count == "model@".count + 12, id)
            XCTAssertTrue(seen.insert(id).inserted, "changing \(file) must give a new model id, got \(id) again")
        }
    }

    func testIdentifierIsTheClassifiersAndUsesTheWeightBytesGiven() throws {
        let directory = try ModelDirectory(Fixtures.directory("tiny-safetensors"))
        let classifier = try QueryClassifier(directory)
        XCTAssertEqual(classifier.modelID, try directory.modelID())
        let weights = try Data(contentsOf: try directory.weights)
        XCTAssertEqual(try directory.modelID(weightBytes: weights), classifier.modelID)
        XCTAssertNotEqual(try directory.modelID(weightBytes: weights + Data([0])), classifier.modelID)
    }

    func testMissingFilesAreNamedBeforeAnythingIsRead() throws {
        for file in ["config.json", "vocab.txt", "model.safetensors"] {
            let copy = try copyOfTinyModel()
            try FileManager.default.removeItem(at: copy.appendingPathComponent(file))
            XCTAssertThrowsError(try ModelDirectory(copy)) { error in
                XCTAssertTrue("\(error)".contains(copy.appendingPathComponent(file).path), "\(error)")
            }
        }
    }

    func testPyTorchWeightsAreUsedWhenThereIsNoSafetensorsFile() throws {
        let directory = try ModelDirectory(Fixtures.directory("tiny-torch"))
        XCTAssertEqual(try directory.weights.lastPathComponent, "pytorch_model.bin")
        XCTAssertEqual(try directory.files.map(\.lastPathComponent),
                       ["config.json", "vocab.txt", "tokenizer_config.json", "pytorch_model.bin"])
    }

    /// The lookup order: flag, then `$QUERYKIND_MODEL`, then `Models/` in the working directory, then `Models/` or
    /// `share/querykind/Models/` beside or above the executable (a source checkout and an installed prefix).
    func testResolutionOrder() throws {
        let flagged = try copyOfTinyModel("flagged")
        let fromEnvironment = try copyOfTinyModel("environment")
        let workingDirectory = scratch.appendingPathComponent("work")
        let prefix = scratch.appendingPathComponent("prefix")
        let executable = prefix.appendingPathComponent("bin/querykind")
        for folder in [workingDirectory, executable.deletingLastPathComponent()] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        func resolve(_ explicit: String?, _ environment: [String: String]) throws -> String {
            try ModelDirectory.resolve(explicit: explicit, environment: environment, currentDirectory: workingDirectory,
                                       executable: executable).url.path
        }
        XCTAssertThrowsError(try resolve(nil, [:])) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(ModelDirectory.shippedName) && message.contains("--model"), message)
            XCTAssertTrue(message.contains(prefix.appendingPathComponent("share/querykind/Models").path), message)
        }
        let installed = prefix.appendingPathComponent("share/querykind/Models/\(ModelDirectory.shippedName)")
        try FileManager.default.createDirectory(at: installed.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Fixtures.directory("tiny-safetensors"), to: installed)
        XCTAssertEqual(try resolve(nil, [:]), installed.path, "an installed binary finds the installed model")
        let local = workingDirectory.appendingPathComponent("Models/\(ModelDirectory.shippedName)")
        try FileManager.default.createDirectory(at: local.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Fixtures.directory("tiny-safetensors"), to: local)
        XCTAssertEqual(try resolve(nil, [:]), local.path, "./Models comes before the executable's folders")
        XCTAssertEqual(try resolve(nil, ["QUERYKIND_MODEL": fromEnvironment.path]), fromEnvironment.path)
        XCTAssertEqual(try resolve(flagged.path, ["QUERYKIND_MODEL": fromEnvironment.path]), flagged.path)
        XCTAssertThrowsError(try resolve(scratch.path, [:]), "a folder that is no model fails at once")
    }
}
