import Foundation
import XCTest

/// `serve` with API keys, as a real process: SIGHUP reloads the key file, keys never reach the log, and a server
/// reachable from the network is refused without a key.
final class ServeAuthTests: XCTestCase {
    func testSIGHUPReloadsTheKeyFileWithoutARestart() throws {
        let folder = try CLIFolder()
        let keys = folder.url.appendingPathComponent("api-keys")
        try "old-secret-key\n".write(to: keys, atomically: true, encoding: .utf8)
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--threads", "1",
                                       "--api-key-file", keys.path], in: folder.url)
        XCTAssertEqual(try server.classify("hello").status, 401)
        XCTAssertEqual(try server.get("/healthz").status, 200, "probes need no key")
        XCTAssertEqual(try server.classify("hello", key: "old-secret-key").status, 200)
        XCTAssertEqual(try server.classify("hello", key: "new-secret-key").status, 401)

        try "# rotated\nnew-secret-key\n".write(to: keys, atomically: true, encoding: .utf8)
        server.child.signal(SIGHUP)
        let deadline = Date().addingTimeInterval(30)
        while try server.classify("hello", key: "new-secret-key").status != 200 {
            XCTAssertLessThan(Date(), deadline, "SIGHUP did not reload the keys: \(server.child.stderr)")
            if Date() > deadline { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertEqual(try server.classify("hello", key: "old-secret-key").status, 401, "the removed key is refused")

        let output = try server.terminate()
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stderr.contains("reloaded the API key file"), output.stderr)
        XCTAssertFalse(output.stderr.contains("secret-key"), "keys are never logged: \(output.stderr)")
    }

    func testANonLoopbackHostWithoutAKeyIsRefusedInOneLine() throws {
        let folder = try CLIFolder()
        let refused = try CommandRunner.run(["serve", "--model", CommandRunner.tinyModel, "--host", "0.0.0.0",
                                             "--port", "0"],
                                            in: folder.url, environment: ["QUERYKIND_API_KEY": nil])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertEqual(refused.stderr, "Error: refusing to serve --host 0.0.0.0 without an API key: anyone who "
            + "reaches it could use it; pass --api-key-file FILE or set QUERYKIND_API_KEY (or "
            + "--allow-unauthenticated behind your own gateway)\n")

        let empty = folder.url.appendingPathComponent("no-keys")
        try "# none yet\n".write(to: empty, atomically: true, encoding: .utf8)
        let noKeys = try CommandRunner.run(["serve", "--model", CommandRunner.tinyModel, "--api-key-file",
                                            empty.path, "--port", "0"], in: folder.url)
        XCTAssertNotEqual(noKeys.status, 0)
        XCTAssertEqual(noKeys.stderr, "Error: the API key file \(empty.path) holds no key; put one key per line "
            + "(blank lines and lines starting with # are ignored)\n")

        // With a key from the environment, or told to, it serves the network.
        for (arguments, environment) in [([String](), ["QUERYKIND_API_KEY": "env-secret"]),
                                         (["--allow-unauthenticated"], [:])] {
            let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--threads", "1", "--host", "0.0.0.0"]
                                          + arguments, in: folder.url, environment: environment)
            let expected = environment.isEmpty ? 200 : 401
            XCTAssertEqual(try server.classify("hello").status, expected, "\(arguments) \(environment)")
            if !environment.isEmpty {
                XCTAssertEqual(try server.classify("hello", key: "env-secret").status, 200)
            }
            XCTAssertEqual(try server.terminate().status, 0)
        }
    }
}

extension ServeProcess {
    /// `GET /v1/classify?text=...` with `Authorization: Bearer <key>`.
    func classify(_ text: String, key: String) throws -> HTTPReply {
        let request = "GET /v1/classify?text=\(HTTPReply.percentEncoded(text)) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Connection: close\r\nAuthorization: Bearer \(key)\r\n\r\n"
        return try HTTPReply.exchange(port: port, request: Data(request.utf8))
    }
}
