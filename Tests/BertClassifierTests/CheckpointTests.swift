import Foundation
import XCTest
@testable import BertClassifier

/// Element conversion and archive details the parity fixtures do not reach.
final class CheckpointTests: XCTestCase {
    /// Writes a one-tensor safetensors file and reads it back as Float.
    private func roundTrip(dtype: String, shape: [Int], bytes: [UInt8]) throws -> [Float] {
        let header = try JSONSerialization.data(withJSONObject: [
            "w": ["dtype": dtype, "shape": shape, "data_offsets": [0, bytes.count]],
        ])
        var file = Data()
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(header)
        file.append(contentsOf: bytes)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString).safetensors")
        try file.write(to: url)
        return try Checkpoint.open(url).floats("w", shape: shape)
    }

    func testFloat16AndBFloat16Conversion() throws {
        // fp16: 1.0, -2.0, 65504 (max), 2^-24 (smallest subnormal), -0.0
        let half: [UInt16] = [0x3C00, 0xC000, 0x7BFF, 0x0001, 0x8000]
        let halfValues = try roundTrip(dtype: "F16", shape: [5], bytes: half.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        XCTAssertEqual(halfValues, [1, -2, 65504, Float(sign: .plus, exponent: -24, significand: 1), -0.0])
        XCTAssertEqual(Checkpoint.halfToFloat(0x7C00), .infinity)
        XCTAssertTrue(Checkpoint.halfToFloat(0x7E00).isNaN)
        // bf16: the upper half of the fp32 bit pattern.
        let brain: [UInt16] = [0x3F80, 0xC0A0, 0x3E20]
        let brainValues = try roundTrip(dtype: "BF16", shape: [1, 3], bytes: brain.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        XCTAssertEqual(brainValues, [1, -5, 0.15625])
    }

    func testTorchArchiveSkipsInt64BuffersButIndexesThem() throws {
        let checkpoint = try Checkpoint.open(Fixtures.directory("tiny-torch").appendingPathComponent("pytorch_model.bin"))
        let positions = try XCTUnwrap(checkpoint.tensors["bert.embeddings.position_ids"])
        XCTAssertEqual(positions.dtype, .int64)
        XCTAssertEqual(positions.shape, [1, 64])
        XCTAssertThrowsError(try checkpoint.floats("bert.embeddings.position_ids", shape: [1, 64]))
        // Same values as the safetensors export of the same weights.
        let safetensors = try Checkpoint.open(Fixtures.directory("tiny-safetensors").appendingPathComponent("model.safetensors"))
        XCTAssertEqual(Set(checkpoint.tensors.keys).subtracting(safetensors.tensors.keys), ["bert.embeddings.position_ids"])
        for name in ["bert.embeddings.word_embeddings.weight", "classifier1.bias"] {
            let shape = try XCTUnwrap(safetensors.tensors[name]).shape
            XCTAssertEqual(try checkpoint.floats(name, shape: shape), try safetensors.floats(name, shape: shape))
        }
    }

    func testProtocol4ArchiveWithEveryStorageType() throws {
        // Saved by torch.save(..., pickle_protocol=4); see make_parity_fixtures.py.
        let checkpoint = try Checkpoint.open(Fixtures.root.appendingPathComponent("format-samples.bin"))
        let values: [Float] = [-0.5, -0.25, 0, 0.25, 0.5, 0.75]
        for name in ["f32", "f16", "bf16"] {
            XCTAssertEqual(try checkpoint.floats(name, shape: [2, 3]), values, name)
        }
        XCTAssertEqual(checkpoint.tensors["i64"]?.dtype, .int64)
        XCTAssertThrowsError(try checkpoint.floats("transposed", shape: [3, 2])) { error in
            XCTAssertEqual(error as? ModelLoadError, .nonContiguous(file: checkpoint.file, tensor: "transposed"))
            XCTAssertTrue("\(error)".contains("format-samples.bin"))
        }
        XCTAssertThrowsError(try checkpoint.floats("f32", shape: [3, 2])) { error in
            XCTAssertEqual(error as? ModelLoadError,
                           .shapeMismatch(file: checkpoint.file, tensor: "f32", expected: [3, 2], found: [2, 3]))
        }
    }
}
