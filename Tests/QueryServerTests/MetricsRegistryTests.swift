import XCTest
@testable import QueryServer

/// A server's metrics live in the registry it was given (`ServerMetrics()`), Hummingbird's request metrics included:
/// nothing is bound process-wide, so two servers (or two tests) never count into each other's `/metrics`.
final class MetricsRegistryTests: XCTestCase {
    func testEachServerPrintsOnlyItsOwnRequestsAndInferences() async throws {
        let (first, second) = (ServerMetrics(), ServerMetrics())
        try await ServerUnderTest.run(ServerUnderTest.settings(), metrics: first) { client in
            _ = try await client.classify(["which registry counts this request"])
        }
        var buffer: [UInt8] = []
        first.registry.emit(into: &buffer)
        let firstText = String(decoding: buffer, as: UTF8.self)
        XCTAssertTrue(firstText.contains(#"http_route="/v1/classify""#),
                      "the request's metrics are in its server's registry:\n\(firstText)")
        XCTAssertTrue(firstText.contains("querykind_inference_texts_total 1"), firstText)

        try await ServerUnderTest.run(ServerUnderTest.settings(), metrics: second) { client in
            let text = try await client.metricsText()
            XCTAssertFalse(text.contains(#"http_route="/v1/classify""#), "another server's request:\n\(text)")
            let inferences = try await client.metric("querykind_inference_texts_total")
            XCTAssertEqual(inferences, 0, "another server's inference:\n\(text)")
        }
    }
}
