import BertClassifier
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
@testable import QueryServer
import XCTest

/// `GET /info` and the headers every answer carries: the model's id on each, and on classify answers the time
/// its texts waited for the model and the time the model took.
final class InfoTests: XCTestCase {
    func testInfoSaysTheModelTheHeadsAndTheLimits() async throws {
        let settings = ServerUnderTest.settings {
            $0.requests = RequestLimits(maxBodyBytes: 4096, maxTexts: 7)
            $0.inference.maxBatchTokens = 321
        }
        try await ServerUnderTest.run(settings) { client in
            let response = try await client.execute(uri: "/info", method: .get)
            XCTAssertEqual(response.status, .ok)
            let info = try JSONDecoder().decode(ServerInfo.self, from: Data(buffer: response.body))
            XCTAssertEqual(info.model, ServerUnderTest.classifier.modelID)
            XCTAssertEqual(info.precision, "float32")
            XCTAssertNil(info.precisionFallback)
            XCTAssertEqual(info.heads, [
                "keyword": .init(labels: ["keyword", "natural language"], field: "p_keyword"),
                "question": .init(labels: ["statement", "question"], field: "p_question"),
            ])
            XCTAssertEqual([info.maxTexts, info.maxBodyBytes, info.maxBatchTokens], [7, 4096, 321])
            XCTAssertEqual(info.version, BuildInfo.version)
            XCTAssertEqual(info.commit, BuildInfo.commit)
            XCTAssertFalse(info.database)
        }
    }

    /// `/info` names the precision that runs: bfloat16 where the CPU has bf16 products, else float32 with the
    /// reason (the test never skips, so CI on every CPU kind checks one branch or the other).
    func testInfoNamesThePrecisionThatRunsAndWhyItFellBack() async throws {
        let bf16 = try QueryClassifier(modelDirectory: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("BertClassifierTests/Fixtures/tiny-safetensors"),
            settings: RuntimeSettings(precision: .bfloat16, threads: 1))
        let runsHere = NumericPrecision.bfloat16.requirementMissing == nil
        let server = LabelServer(classifier: bf16, database: nil, settings: ServerUnderTest.settings(),
                                 metrics: ServerUnderTest.metrics, logger: Logger(label: "querykind.serve.test"))
        try await server.withApplication { app in
            try await app.test(.live) { client in
                let response = try await client.execute(uri: "/info", method: .get)
                let info = try JSONDecoder().decode(ServerInfo.self, from: Data(buffer: response.body))
                XCTAssertEqual(info.precision, runsHere ? "bfloat16" : "float32")
                XCTAssertEqual(info.precisionFallback, bf16.precisionFallback)
                XCTAssertEqual(info.precisionFallback == nil, runsHere)
                if let fallback = info.precisionFallback {
                    XCTAssertTrue(fallback.hasPrefix("--precision bfloat16 cannot run here"), fallback)
                }
            }
        }
    }

    func testEveryAnswerNamesTheModelAndClassifyAnswersTimeTheModel() async throws {
        try await ServerUnderTest.run(ServerUnderTest.settings()) { client in
            let model = ServerUnderTest.classifier.modelID
            for (uri, method) in [("/healthz", HTTPRequest.Method.get), ("/no-such-path", .get),
                                  ("/v1/classify", .delete), ("/v1/classify", .get)] {
                let response = try await client.execute(uri: uri, method: method)
                XCTAssertEqual(response.headers[ResponseHeaders.model], model, "\(method) \(uri)")
            }

            let text = "a text the model has not seen \(UUID().uuidString)"
            let miss = try await client.execute(uri: "/v1/classify?text=\(text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                                                method: .get)
            XCTAssertEqual(miss.status, .ok)
            let inference = try XCTUnwrap(miss.headers[ResponseHeaders.inferenceTime].flatMap(Double.init))
            let queue = try XCTUnwrap(miss.headers[ResponseHeaders.queueTime].flatMap(Double.init))
            XCTAssertGreaterThan(inference, 0, "the model ran for this text")
            XCTAssertGreaterThanOrEqual(queue, 0)

            let hit = try await client.post(try String(decoding: JSONEncoder().encode(["texts": [text]]), as: UTF8.self))
            XCTAssertEqual(hit.status, .ok)
            XCTAssertEqual(hit.headers[ResponseHeaders.inferenceTime], "0.000", "a memory hit waits for no model")
            XCTAssertEqual(hit.headers[ResponseHeaders.queueTime], "0.000")
            XCTAssertEqual(hit.headers[ResponseHeaders.model], model)
        }
    }
}
