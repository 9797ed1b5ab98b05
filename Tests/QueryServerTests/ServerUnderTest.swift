import Annotator
import BertClassifier
import Foundation
import Hummingbird
import HummingbirdTesting
import LabelStore
import Logging
import QueryKindTestSupport
@testable import QueryServer
import XCTest

/// The application `querykind serve` builds (`LabelServer.withApplication`: its routes, limits, metrics and
/// labeler), served in this process on a free loopback port and driven by HummingbirdTesting's client.
///
/// Why live and not HummingbirdTesting's `.router`: a miss waits for the model through the connection's
/// `ClientConnection`, which exists only on `serve`'s own channel (`ServeChannel`).
enum ServerUnderTest {
    /// The tiny random-init checkpoint the engine's tests generate, loaded once (the classifier is thread-safe).
    static let classifier: QueryClassifier = try! QueryClassifier(
        modelDirectory: Repository.modelFixtures.appendingPathComponent("tiny-safetensors"))

    /// The metrics registry the tests' servers share unless a test brings its own: its counters add up over those
    /// tests, which compare values before and after.
    static let metrics = ServerMetrics()

    /// Settings as `serve` defaults them, with one inference worker.
    static func settings(_ adjust: (inout ServerSettings) -> Void = { _ in }) -> ServerSettings {
        var settings = ServerSettings(inference: .init(workers: 1, maxBatchTokens: 8192, capacity: 4096))
        adjust(&settings)
        return settings
    }

    /// Runs `body` against the server built from `settings` (and `database`), then closes its labeler.
    static func run<Value: Sendable>(
        _ settings: ServerSettings, database: LabelServer.Database? = nil, metrics: ServerMetrics = metrics,
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let server = LabelServer(classifier: classifier, database: database, settings: settings, metrics: metrics,
                                 logger: Logger(label: "querykind.serve.test"))
        return try await server.withApplication { app in try await app.test(.live, body) }
    }
}

extension TestClientProtocol {
    /// `POST /v1/classify` with `body` as it is.
    func post(_ body: String) async throws -> TestResponse {
        try await execute(uri: "/v1/classify", method: .post, headers: [.contentType: "application/json"],
                          body: ByteBuffer(string: body))
    }

    /// `POST /v1/classify` of `texts`; the response's records, failing the test unless it is a 200.
    func classify(_ texts: [String], file: StaticString = #filePath, line: UInt = #line) async throws
        -> [PredictionRecord] {
        let body = String(decoding: try JSONEncoder().encode(["texts": texts]), as: UTF8.self)
        let response = try await post(body)
        XCTAssertEqual(response.status, .ok, String(buffer: response.body), file: file, line: line)
        return try JSONDecoder().decode(Records.self, from: Data(buffer: response.body)).results
    }

    /// The value of the sample `series` (a name, with its labels if it has any) in `GET /metrics`, 0 when absent.
    func metric(_ series: String) async throws -> Double {
        let text = try await metricsText()
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1)) ?? .nan
        }
        return 0
    }

    /// `GET /metrics`'s body.
    func metricsText() async throws -> String {
        String(buffer: try await execute(uri: "/metrics", method: .get).body)
    }
}

private struct Records: Decodable {
    var results: [PredictionRecord]
}

extension TestResponse {
    /// The message of an error body `{"error": {"message": ...}}`, nil when the body has another shape.
    var errorMessage: String? {
        struct Body: Decodable {
            struct Message: Decodable { var message: String }
            var error: Message
        }
        return (try? JSONDecoder().decode(Body.self, from: Data(buffer: body)))?.error.message
    }
}
