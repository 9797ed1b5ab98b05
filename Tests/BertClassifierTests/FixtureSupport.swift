import Foundation
import XCTest
@testable import BertClassifier

/// One line of `Fixtures/expected.jsonl`: a text, the ids HuggingFace's tokenizer gave it, and PyTorch's
/// probabilities for the fp32 and fp16 checkpoints.
struct ExpectedPrediction: Decodable {
    var text: String
    var ids: [Int32]
    var p_keyword: Float
    var p_question: Float
    var p_keyword_fp16: Float
    var p_question_fp16: Float
}

/// One line of `Fixtures/expected-shipped-shape.jsonl`: a text, HuggingFace's ids for it, PyTorch's probabilities.
struct ShippedShapeExpectation: Decodable {
    var text: String
    var ids: [Int32]
    var p_keyword: Float
    var p_question: Float
}

/// Access to the committed parity fixtures (see `Fixtures/make_parity_fixtures.py`).
enum Fixtures {
    static var root: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
    }

    static func directory(_ name: String) -> URL {
        root.appendingPathComponent(name)
    }

    static let expected: [ExpectedPrediction] = lines("expected.jsonl")

    /// PyTorch's fp64 probabilities for the shipped-shape checkpoint's fp16 weights, on inputs up to 512 tokens.
    static let shippedShapeExpected: [ShippedShapeExpectation] = lines("expected-shipped-shape.jsonl")

    private static func lines<Line: Decodable>(_ name: String) -> [Line] {
        let data = try! Data(contentsOf: root.appendingPathComponent(name))
        return data.split(separator: UInt8(ascii: "\n")).map { try! JSONDecoder().decode(Line.self, from: Data($0)) }
    }

    /// A fresh temporary copy of fixture directory `name`, for tests that damage files.
    static func copy(_ name: String) throws -> URL {
        let target = FileManager.default.temporaryDirectory
            .appendingPathComponent("querykind-\(UUID().uuidString)")
            .appendingPathComponent(name)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: directory(name), to: target)
        return target
    }
}

/// Rewrites a `.safetensors` file's JSON header (keeping its data), to build damaged or renamed checkpoints.
enum SafetensorsEditor {
    static func edit(_ url: URL, _ change: (inout [String: Any]) -> Void) throws {
        let bytes = try Data(contentsOf: url)
        let length = Int(bytes.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        var header = try JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<(8 + length))) as! [String: Any]
        change(&header)
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(UInt8(ascii: " ")) }
        var output = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { output.append(contentsOf: $0) }
        output.append(json)
        output.append(bytes.subdata(in: (8 + length)..<bytes.count))
        try output.write(to: url)
    }
}

/// Asserts that `body` throws a `ModelLoadError` whose message contains every string in `fragments`.
func assertLoadError(_ fragments: [String], file: StaticString = #filePath, line: UInt = #line,
                     _ body: () throws -> Void) {
    do {
        try body()
        XCTFail("expected a ModelLoadError", file: file, line: line)
    } catch let error as ModelLoadError {
        for fragment in fragments {
            XCTAssertTrue(error.description.contains(fragment), "'\(error)' does not mention '\(fragment)'", file: file, line: line)
        }
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
}
