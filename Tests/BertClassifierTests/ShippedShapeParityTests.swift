import Foundation
import TensorMath
import XCTest
@testable import BertClassifier

/// The Swift engine against PyTorch on a checkpoint of the shipped model's shape (3 layers, hidden 384, 12 heads,
/// FFN 1536, 512 positions; random fp16 weights) and inputs of 65 to 512 tokens: the positions, head split and
/// attention spans that the 64-position tiny fixture never reaches.
final class ShippedShapeParityTests: XCTestCase {
    private let expected = Fixtures.shippedShapeExpected
    private let directory = Fixtures.directory("shipped-shape-fp16")

    private func assertMatches(_ predictions: [QueryPrediction], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(predictions.count, expected.count, file: file, line: line)
        let worst = zip(predictions, expected).map { prediction, want in
            max(abs(prediction.pKeyword - want.p_keyword), abs(prediction.pQuestion - want.p_question))
        }.max() ?? .infinity
        XCTAssertLessThan(worst, ParityBound.probability, "largest |swift - pytorch|", file: file, line: line)
    }

    func testFixtureHasTheShippedShapeAndLongInputs() throws {
        let classifier = try QueryClassifier(modelDirectory: directory)
        let config = classifier.config
        XCTAssertEqual([config.layerCount, config.hiddenSize, config.headCount, config.intermediateSize, config.maxPositions],
                       [3, 384, 12, 1536, 512])
        let lengths = expected.map(\.ids.count)
        XCTAssertGreaterThanOrEqual(lengths.filter { $0 > 64 }.count, 15, "inputs past the tiny fixture's 64 positions")
        XCTAssertTrue(lengths.contains(512), "inputs cut at the 512-token limit")
        for want in expected {
            XCTAssertEqual(classifier.tokenizer.encode(want.text), want.ids, "HF tokenizer ids of '\(want.text.prefix(40))'")
        }
    }

    func testOpenBLASMatchesPyTorchBatchedAndOneByOne() throws {
        let classifier = try QueryClassifier(modelDirectory: directory, settings: .reference)
        assertMatches(classifier.predict(tokenIDs: expected.map(\.ids)))
        assertMatches(expected.flatMap { classifier.predict(tokenIDs: [$0.ids]) })
    }

    func testThroughputSetupMatchesPyTorchFromText() throws {
        // What the commands run: the preferred backend, two workers, texts tokenized and bucketed by length.
        let classifier = try QueryClassifier(modelDirectory: directory, settings: .throughput(threads: 2))
        assertMatches(classifier.predict(expected.map(\.text), batchSize: 4))
    }
}
