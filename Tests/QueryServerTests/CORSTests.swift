import Foundation
import Hummingbird
import HummingbirdTesting
@testable import QueryServer
import XCTest

/// `--cors-allow-origin`: pages from the listed origins may call the API (the preflight answered before any key
/// check); other origins get no CORS headers, so their browsers refuse to read the answers.
final class CORSTests: XCTestCase {
    private let app = "https://app.example"

    private static func preflight(_ client: any TestClientProtocol, origin: String) async throws -> TestResponse {
        try await client.execute(uri: "/v1/classify", method: .options, headers: [
            .origin: origin, .accessControlRequestMethod: "POST",
            .accessControlRequestHeaders: "authorization, content-type",
        ])
    }

    func testAListedOriginsPreflightIsAnsweredWithoutAKeyAndItsAnswersCarryTheHeaders() async throws {
        let keys = try XCTUnwrap(APIKeys(key: "the-key"))
        let settings = ServerUnderTest.settings {
            $0.access = AccessSettings(apiKeys: keys, corsAllowOrigins: [app, "https://other.example"])
        }
        try await ServerUnderTest.run(settings) { [app] client in
            let answered = try await Self.preflight(client, origin: app)
            XCTAssertEqual(answered.status, .noContent)
            XCTAssertEqual(answered.headers[.accessControlAllowOrigin], app)
            XCTAssertEqual(answered.headers[.accessControlAllowMethods], "GET, POST, HEAD, OPTIONS")
            XCTAssertTrue(answered.headers[.accessControlAllowHeaders]?.lowercased().contains("authorization") == true)

            let refused = try await Self.preflight(client, origin: "https://evil.example")
            XCTAssertNil(refused.headers[.accessControlAllowOrigin])
            XCTAssertNotEqual(refused.status, .noContent)

            let get = try await client.execute(uri: "/v1/classify?text=hello", method: .get,
                                               headers: [.origin: app, .authorization: "Bearer the-key"])
            XCTAssertEqual(get.status, .ok)
            XCTAssertEqual(get.headers[.accessControlAllowOrigin], app)
            XCTAssertEqual(get.headers[.accessControlExposeHeaders], "x-querykind-model, x-queue-time, x-inference-time",
                           "browsers read the exposed headers on the answer itself")
            XCTAssertEqual(get.headers[ResponseHeaders.model], ServerUnderTest.classifier.modelID)
            let unauthorized = try await client.execute(uri: "/v1/classify?text=hello", method: .get,
                                                        headers: [.origin: app])
            XCTAssertEqual(unauthorized.status, .unauthorized)
            XCTAssertEqual(unauthorized.headers[.accessControlAllowOrigin], app, "a page can read its 401")
        }
    }

    func testAStarAllowsAnyOrigin() async throws {
        let settings = ServerUnderTest.settings { $0.access = AccessSettings(corsAllowOrigins: ["*"]) }
        try await ServerUnderTest.run(settings) { client in
            let answered = try await Self.preflight(client, origin: "https://anywhere.example")
            XCTAssertEqual(answered.status, .noContent)
            XCTAssertEqual(answered.headers[.accessControlAllowOrigin], "*")
        }
    }

    func testWithoutTheFlagNoCORSHeadersAreSent() async throws {
        try await ServerUnderTest.run(ServerUnderTest.settings()) { [app] client in
            let get = try await client.execute(uri: "/v1/classify?text=hello", method: .get, headers: [.origin: app])
            XCTAssertEqual(get.status, .ok)
            XCTAssertNil(get.headers[.accessControlAllowOrigin])
        }
    }
}
