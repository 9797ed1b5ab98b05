import BertTokenizer
import Foundation
import XCTest
@testable import Benchmark

/// The benchmark workload must be reproducible (querykind and PyTorch time the same texts) and look like a log.
final class WorkloadTests: XCTestCase {
    func testSameSeedGivesSameTextsAndOtherSeedsDiffer() {
        let first = Array(Workload(seed: 7).prefix(500))
        XCTAssertEqual(first, Array(Workload(seed: 7).prefix(500)))
        XCTAssertNotEqual(first, Array(Workload(seed: 8).prefix(500)))
        XCTAssertGreaterThan(Set(first).count, 400, "mostly distinct queries")
    }

    func testLengthMixIsRealistic() throws {
        let vocabulary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("BertTokenizerTests/Fixtures/vocab")
        let tokenizer = try WordPieceTokenizer(vocabularyFile: vocabulary.appendingPathComponent("vocab.txt"),
                                               configurationFile: vocabulary.appendingPathComponent("tokenizer_config.json"))
        let texts = Array(Workload(seed: 42).prefix(5_000))
        let lengths = texts.map { tokenizer.encode($0).count }
        let mean = Double(lengths.reduce(0, +)) / Double(lengths.count)
        XCTAssertTrue((8...14).contains(mean), "about 10 tokens per query, got \(mean)")
        XCTAssertGreaterThan(lengths.filter { $0 >= 30 }.count, 50, "a few long requests")
        XCTAssertGreaterThan(lengths.filter { $0 <= 6 }.count, 1_000, "many short keyword queries")
        XCTAssertGreaterThan(texts.filter { $0.hasSuffix("?") }.count, 500)
        XCTAssertGreaterThan(texts.filter { $0.hasSuffix(".") }.count, 500)
    }
}
