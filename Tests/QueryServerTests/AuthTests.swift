import Foundation
import Hummingbird
import HummingbirdTesting
@testable import QueryServer
import XCTest

/// API keys (`--api-key-file`, `$QUERYKIND_API_KEY`): every route but the probes needs `Authorization: Bearer
/// <key>`; anything else gets 401 with `WWW-Authenticate: Bearer` and the API's one JSON error shape.
final class AuthTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("auth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// A key file with `lines`, loaded as `serve --api-key-file` loads it.
    private func keyFile(_ lines: String) throws -> (APIKeys, URL) {
        let file = folder.appendingPathComponent("keys")
        try lines.write(to: file, atomically: true, encoding: .utf8)
        return (try APIKeys(file: file.path), file)
    }

    private func settings(_ keys: APIKeys, protectsMetrics: Bool = false) -> ServerSettings {
        ServerUnderTest.settings { $0.access = AccessSettings(apiKeys: keys, protectsMetrics: protectsMetrics) }
    }

    func testClassifyNeedsOneOfTheKeysAsABearerToken() async throws {
        let (keys, _) = try keyFile("# rotated 2026-12\n\n  first-key  \nsecond-key\n")
        XCTAssertEqual(keys.count, 2, "comments and blank lines are not keys; spaces around a key are dropped")
        try await ServerUnderTest.run(settings(keys)) { client in
            let missing = try await client.execute(uri: "/v1/classify?text=hello", method: .get)
            XCTAssertEqual(missing.status, .unauthorized)
            XCTAssertEqual(missing.headers[.wwwAuthenticate], "Bearer")
            XCTAssertEqual(missing.errorMessage, "this server needs an API key: send Authorization: Bearer <key>")

            for wrong in ["Bearer first-ke", "Bearer first-keyy", "Bearer # rotated 2026-12", "Basic first-key",
                          "first-key", "Bearer "] {
                let response = try await client.execute(uri: "/v1/classify?text=hello", method: .get,
                                                        headers: [.authorization: wrong])
                XCTAssertEqual(response.status, .unauthorized, wrong)
                XCTAssertEqual(response.headers[.wwwAuthenticate], "Bearer", wrong)
                XCTAssertNotNil(response.errorMessage, wrong)
                XCTAssertFalse(String(buffer: response.body).contains("first-key"), "no key in an answer")
            }
            for right in ["Bearer first-key", "bearer second-key"] {
                let response = try await client.execute(uri: "/v1/classify?text=hello", method: .get,
                                                        headers: [.authorization: right])
                XCTAssertEqual(response.status, .ok, right)
            }
            let post = try await client.execute(uri: "/v1/classify", method: .post,
                                                headers: [.contentType: "application/json"],
                                                body: ByteBuffer(string: #"{"texts": ["hello"]}"#))
            XCTAssertEqual(post.status, .unauthorized, "POST needs a key too")
            let spec = try await client.execute(uri: "/openapi.json", method: .get)
            XCTAssertEqual(spec.status, .unauthorized, "every route but the probes needs a key")
        }
    }

    func testProbesAndMetricsStayOpenUnlessMetricsAreProtected() async throws {
        let (keys, _) = try keyFile("the-key\n")
        try await ServerUnderTest.run(settings(keys)) { client in
            for path in ["/healthz", "/readyz", "/metrics"] {
                let status = try await client.execute(uri: path, method: .get).status
                XCTAssertEqual(status, .ok, path)
            }
        }
        try await ServerUnderTest.run(settings(keys, protectsMetrics: true)) { client in
            let healthz = try await client.execute(uri: "/healthz", method: .get).status
            XCTAssertEqual(healthz, .ok)
            let metrics = try await client.execute(uri: "/metrics", method: .get).status
            XCTAssertEqual(metrics, .unauthorized)
            let withKey = try await client.execute(uri: "/metrics", method: .get,
                                                   headers: [.authorization: "Bearer the-key"]).status
            XCTAssertEqual(withKey, .ok)
        }
    }

    /// A reload that finds the file empty or gone keeps the keys in force: a botched edit neither locks clients
    /// out nor opens the server.
    func testReloadTakesTheFilesNewKeysAndKeepsTheOldOnesWhenTheFileIsUnusable() throws {
        let (keys, file) = try keyFile("old-key\n")
        XCTAssertTrue(keys.accepts("old-key".utf8))
        try "new-key\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try keys.reload(), 1)
        XCTAssertTrue(keys.accepts("new-key".utf8))
        XCTAssertFalse(keys.accepts("old-key".utf8))

        try "# nothing here\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try keys.reload()) { error in
            XCTAssertEqual("\(error)", "the API key file \(file.path) holds no key; put one key per line (blank "
                + "lines and lines starting with # are ignored)")
        }
        try FileManager.default.removeItem(at: file)
        XCTAssertThrowsError(try keys.reload())
        XCTAssertTrue(keys.accepts("new-key".utf8), "the keys in force stay")
    }

    func testAKeyFromTheEnvironmentIsOneKeyAndAnEmptyOneIsNone() {
        XCTAssertNil(APIKeys(key: "  \n"))
        let keys = APIKeys(key: "env-key\n")
        XCTAssertEqual(keys?.accepts("env-key".utf8), true)
        XCTAssertEqual(keys?.accepts("env-ke".utf8), false)
        XCTAssertEqual(keys?.accepts("".utf8), false)
    }
}
