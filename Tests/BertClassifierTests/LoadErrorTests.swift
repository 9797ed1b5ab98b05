import Foundation
import XCTest
@testable import BertClassifier

/// Every broken model directory must give a `ModelLoadError` that names the file (and the tensor when one is at
/// fault), never a crash.
final class LoadErrorTests: XCTestCase {
    private func load(_ directory: URL) throws {
        _ = try QueryClassifier(modelDirectory: directory)
    }

    func testMissingWeightsFile() throws {
        let directory = try Fixtures.copy("tiny-safetensors")
        try FileManager.default.removeItem(at: directory.appendingPathComponent("model.safetensors"))
        assertLoadError(["model.safetensors", "pytorch_model.bin", "not found"]) { try load(directory) }
    }

    func testMissingConfig() throws {
        let directory = try Fixtures.copy("tiny-torch")
        try FileManager.default.removeItem(at: directory.appendingPathComponent("config.json"))
        assertLoadError(["config.json", "not found"]) { try load(directory) }
    }

    func testInvalidConfig() throws {
        let directory = try Fixtures.copy("tiny-torch")
        try Data(#"{"hidden_size": 32, "hidden_act": "relu"}"#.utf8).write(to: directory.appendingPathComponent("config.json"))
        assertLoadError(["config.json", "hidden_act"]) { try load(directory) }
    }

    func testTruncatedTorchArchive() throws {
        let directory = try Fixtures.copy("tiny-torch")
        let url = directory.appendingPathComponent("pytorch_model.bin")
        let bytes = try Data(contentsOf: url)
        // Cut inside the data of the word embeddings; also cut just before the end-of-directory record.
        for length in [bytes.count / 2, bytes.count - 30, 10, 0] {
            try bytes.prefix(length).write(to: url)
            assertLoadError(["pytorch_model.bin", "truncated"]) { try load(directory) }
        }
    }

    func testTorchFileThatIsNotAZipArchive() throws {
        let directory = try Fixtures.copy("tiny-torch")
        try Data("not a checkpoint at all".utf8).write(to: directory.appendingPathComponent("pytorch_model.bin"))
        assertLoadError(["pytorch_model.bin", "not a zip archive"]) { try load(directory) }
    }

    func testTruncatedSafetensorsNamesTensor() throws {
        let directory = try Fixtures.copy("tiny-safetensors")
        let url = directory.appendingPathComponent("model.safetensors")
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count - 100).write(to: url)
        assertLoadError(["model.safetensors", "truncated", "tensor '"]) { try load(directory) }
    }

    func testCorruptSafetensorsHeader() throws {
        let directory = try Fixtures.copy("tiny-safetensors")
        let url = directory.appendingPathComponent("model.safetensors")
        var bytes = try Data(contentsOf: url)
        bytes[8] = UInt8(ascii: "#")  // the JSON header no longer parses
        try bytes.write(to: url)
        assertLoadError(["model.safetensors", "header"]) { try load(directory) }
        bytes.replaceSubrange(0..<8, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])  // absurd header length
        try bytes.write(to: url)
        assertLoadError(["model.safetensors", "header"]) { try load(directory) }
    }

    func testMissingTensor() throws {
        let directory = try Fixtures.copy("tiny-fp16")
        try SafetensorsEditor.edit(directory.appendingPathComponent("model.safetensors")) {
            $0.removeValue(forKey: "bert.encoder.layer.1.output.dense.weight")
        }
        assertLoadError(["model.safetensors", "'bert.encoder.layer.1.output.dense.weight'", "missing"]) { try load(directory) }
    }

    func testWrongShape() throws {
        let directory = try Fixtures.copy("tiny-safetensors")
        try SafetensorsEditor.edit(directory.appendingPathComponent("model.safetensors")) { header in
            var entry = header["classifier2.weight"] as! [String: Any]
            entry["shape"] = [1, 64]  // same byte count, wrong shape
            header["classifier2.weight"] = entry
        }
        assertLoadError(["model.safetensors", "'classifier2.weight'", "[1, 64]", "[2, 32]"]) { try load(directory) }
    }

    func testUnknownDType() throws {
        let directory = try Fixtures.copy("tiny-safetensors")
        try SafetensorsEditor.edit(directory.appendingPathComponent("model.safetensors")) { header in
            var entry = header["bert.pooler.dense.bias"] as! [String: Any]
            entry["dtype"] = "F8_E4M3"
            header["bert.pooler.dense.bias"] = entry
        }
        assertLoadError(["model.safetensors", "'bert.pooler.dense.bias'", "F8_E4M3"]) { try load(directory) }
    }

    func testCompressedZipEntry() throws {
        let directory = try Fixtures.copy("tiny-torch")
        let url = directory.appendingPathComponent("pytorch_model.bin")
        var bytes = try Data(contentsOf: url)
        // Mark the first central-directory entry (data.pkl) as deflated.
        let signature = Data([0x50, 0x4B, 0x01, 0x02])
        let entry = try XCTUnwrap(bytes.range(of: signature)).lowerBound
        bytes[entry + 10] = 8
        try bytes.write(to: url)
        assertLoadError(["pytorch_model.bin", "data.pkl", "compressed"]) { try load(directory) }
    }

    func testCorruptPickle() throws {
        let directory = try Fixtures.copy("tiny-torch")
        let url = directory.appendingPathComponent("pytorch_model.bin")
        var bytes = try Data(contentsOf: url)
        let global = try XCTUnwrap(bytes.range(of: Data("_rebuild_tensor_v2".utf8))).lowerBound
        bytes[global + 1] = UInt8(ascii: "X")  // an unknown (and so refused) global
        try bytes.write(to: url)
        assertLoadError(["pytorch_model.bin", "data.pkl"]) { try load(directory) }
    }
}
