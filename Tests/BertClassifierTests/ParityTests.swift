import Foundation
import TensorMath
import XCTest
@testable import BertClassifier

/// How far the Swift engine's probabilities may be from PyTorch's.
enum ParityBound {
    /// fp32 arithmetic on both sides, differing only in summation order: measured worst 1e-6 or less. A LayerNorm
    /// epsilon of 1e-5 instead of 1e-12 moves outputs by 5.8e-5 and a tanh-approximated GELU by 2.8e-4, so both
    /// fail. fp16 checkpoints are held to the same bound: their expected values were computed by PyTorch in fp32
    /// from the same fp16-rounded weights, so storage precision is not part of the difference.
    static let probability: Float = 1e-5
}

/// The Swift engine against PyTorch's probabilities for ~200 texts, on both checkpoint formats and fp16 weights.
final class ParityTests: XCTestCase {
    private let expected = Fixtures.expected

    private func assertMatches(_ predictions: [QueryPrediction], fp16: Bool,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(predictions.count, expected.count, file: file, line: line)
        var worst: (error: Float, text: String) = (0, "")
        for (prediction, want) in zip(predictions, expected) {
            let keyword = fp16 ? want.p_keyword_fp16 : want.p_keyword
            let question = fp16 ? want.p_question_fp16 : want.p_question
            let error = max(abs(prediction.pKeyword - keyword), abs(prediction.pQuestion - question))
            if error > worst.error { worst = (error, want.text) }
            if abs(keyword - 0.5) > 1e-3 && abs(question - 0.5) > 1e-3 {
                XCTAssertEqual(prediction.kind, QueryPrediction(pKeyword: keyword, pQuestion: question).kind, file: file, line: line)
            }
        }
        XCTAssertLessThan(worst.error, ParityBound.probability, "largest |swift - pytorch|, on '\(worst.text)'",
                          file: file, line: line)
    }

    private func checkBatchedAndSingle(_ name: String, fp16: Bool,
                                       settings: RuntimeSettings = .reference) throws {
        let classifier = try QueryClassifier(modelDirectory: Fixtures.directory(name), settings: settings)
        let ids = expected.map(\.ids)
        let batched = classifier.predict(tokenIDs: ids)
        let single = ids.flatMap { classifier.predict(tokenIDs: [$0]) }
        assertMatches(batched, fp16: fp16)
        assertMatches(single, fp16: fp16)
        // A query's result must not depend on the other queries in its batch.
        for (a, b) in zip(batched, single) {
            XCTAssertEqual(a.pKeyword, b.pKeyword, accuracy: 1e-5)
            XCTAssertEqual(a.pQuestion, b.pQuestion, accuracy: 1e-5)
        }
    }

    func testPyTorchArchiveMatchesPyTorch() throws {
        try checkBatchedAndSingle("tiny-torch", fp16: false)
    }

    func testSafetensorsMatchesPyTorch() throws {
        try checkBatchedAndSingle("tiny-safetensors", fp16: false)
    }

    func testFloat16SafetensorsMatchesPyTorch() throws {
        try checkBatchedAndSingle("tiny-fp16", fp16: true)
    }

    func testOneDNNBackendMatchesPyTorch() throws {
        guard OneDNNGEMM() != nil else { throw XCTSkip("libdnnl.so.2 is not installed") }
        try checkBatchedAndSingle("tiny-torch", fp16: false, settings: RuntimeSettings(backend: .onednn))
    }

    func testThroughputSetupMatchesPyTorchAndOneWorker() throws {
        // What the CLI runs: the preferred backend and one worker per core, batches spread over threads.
        let classifier = try QueryClassifier(modelDirectory: Fixtures.directory("tiny-torch"),
                                             settings: .throughput(threads: 2))
        let texts = expected.map(\.text)
        let parallel = classifier.predict(texts, batchSize: 8)
        assertMatches(parallel, fp16: false)
        classifier.workers = 1
        XCTAssertEqual(parallel, classifier.predict(texts, batchSize: 8), "results do not depend on the thread")
    }

    func testFixtureSpreadsProbabilitiesAndKinds() throws {
        // Guards the fixture itself: with p ≈ 0.5 everywhere, parity could not catch a wrong forward pass.
        let classifier = try QueryClassifier(modelDirectory: Fixtures.directory("tiny-torch"))
        let predictions = classifier.predict(tokenIDs: expected.map(\.ids))
        XCTAssertLessThan(predictions.map(\.pKeyword).min()!, 0.1)
        XCTAssertGreaterThan(predictions.map(\.pKeyword).max()!, 0.9)
        XCTAssertLessThan(predictions.map(\.pQuestion).min()!, 0.1)
        XCTAssertGreaterThan(predictions.map(\.pQuestion).max()!, 0.9)
        XCTAssertEqual(Set(predictions.map(\.kind)), Set(QueryKind.allCases))
        XCTAssertTrue(expected.contains { $0.ids.count == classifier.config.maxPositions }, "no truncated input")
    }

    func testMixedBatchOrderDoesNotChangeResults() throws {
        let classifier = try QueryClassifier(modelDirectory: Fixtures.directory("tiny-safetensors"))
        let ids = expected.map(\.ids)
        let forward = classifier.predict(tokenIDs: ids)
        let backward = Array(classifier.predict(tokenIDs: ids.reversed()).reversed())
        for (a, b) in zip(forward, backward) {
            XCTAssertEqual(a.pKeyword, b.pKeyword, accuracy: 1e-5)
            XCTAssertEqual(a.pQuestion, b.pQuestion, accuracy: 1e-5)
        }
    }

    func testTextsAreTokenizedBucketedAndReturnedInInputOrder() throws {
        let classifier = try QueryClassifier(modelDirectory: Fixtures.directory("tiny-torch"))
        XCTAssertEqual(classifier.tokenizer.maxLength, 64)
        let texts = expected.map(\.text)
        for want in expected {
            XCTAssertEqual(classifier.tokenizer.encode(want.text), want.ids, "HF tokenizer ids of '\(want.text)'")
        }
        assertMatches(classifier.predict(texts, batchSize: 7), fp16: false)
        assertMatches(classifier.predict(texts), fp16: false)
        XCTAssertEqual(classifier.predict([]), [])
    }

    func testKeysWithoutBertPrefixLoadTheSameModel() throws {
        let directory = try Fixtures.copy("tiny-safetensors")
        try SafetensorsEditor.edit(directory.appendingPathComponent("model.safetensors")) { header in
            for key in header.keys where key.hasPrefix("bert.") {
                header[String(key.dropFirst(5))] = header.removeValue(forKey: key)
            }
        }
        let classifier = try QueryClassifier(modelDirectory: directory)
        assertMatches(classifier.predict(tokenIDs: expected.map(\.ids)), fp16: false)
    }

    /// Overlong input keeps its head and `[SEP]`; an empty sequence and ids outside the vocabulary read as `[PAD]`
    /// (id 0), as `predict(tokenIDs:)` documents: exactly the same probabilities as the spelled-out ids.
    func testOverlongEmptyAndOutOfVocabularyIdsReadAsDocumented() throws {
        let classifier = try QueryClassifier(modelDirectory: Fixtures.directory("tiny-torch"))
        let long = [Int32(101)] + [Int32](repeating: 2000, count: 500) + [102]
        let truncated = [Int32(101)] + [Int32](repeating: 2000, count: 62) + [102]
        let results = classifier.predict(tokenIDs: [long, [], [101, -5, 99_999, 102]])
        let spelledOut = classifier.predict(tokenIDs: [truncated, [0], [101, 0, 0, 102]])
        XCTAssertEqual(results, spelledOut)
        XCTAssertNotEqual(results[2], classifier.predict(tokenIDs: [[101, 100, 100, 102]])[0],
                          "out-of-vocabulary ids are [PAD], not [UNK]")
    }

    func testModelIDNamesDirectoryAndContent() throws {
        let torch = try QueryClassifier(modelDirectory: Fixtures.directory("tiny-torch"))
        let safetensors = try QueryClassifier(modelDirectory: Fixtures.directory("tiny-safetensors"))
        XCTAssertTrue(torch.modelID.hasPrefix("tiny-torch@"))
        XCTAssertEqual(torch.modelID.count, "tiny-torch@".count + 12)
        XCTAssertTrue(torch.modelID.dropFirst("tiny-torch@".count).allSatisfy(\.isHexDigit))
        XCTAssertNotEqual(torch.modelID.suffix(12), safetensors.modelID.suffix(12))
        let again = try QueryClassifier(modelDirectory: Fixtures.directory("tiny-torch"))
        XCTAssertEqual(torch.modelID, again.modelID)
    }

    func testLengthBucketsCoverEveryIndexOnceWithNeighbouringLengths() throws {
        let classifier = try QueryClassifier(modelDirectory: Fixtures.directory("tiny-fp16"))
        let ids = expected.map(\.ids)
        let buckets = classifier.lengthBuckets(ids, batchSize: 32)
        XCTAssertEqual(buckets.flatMap { $0 }.sorted(), Array(ids.indices))
        XCTAssertTrue(buckets.allSatisfy { $0.count <= 32 })
        let lengths = buckets.flatMap { $0 }.map { ids[$0].count }
        XCTAssertEqual(lengths, lengths.sorted())
        XCTAssertEqual(classifier.lengthBuckets(ids, batchSize: 0).count, ids.count)
        XCTAssertEqual(classifier.gemmName, "OpenBLAS sgemm")
    }
}
