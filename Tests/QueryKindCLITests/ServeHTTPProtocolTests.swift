import Foundation
import XCTest

/// `serve` as an HTTP/1.x server, against a real process over loopback sockets: methods (405 with `Allow`, HEAD),
/// requests the parser refuses, bodies refused from their `Content-Length`, HTTP/1.0 keep-alive rules, form-encoded
/// query strings, and what error bodies may say.
final class ServeHTTPProtocolTests: XCTestCase {
    func testWrongMethodsGet405WithAllowAndHEADAnswersWithoutABody() throws {
        let folder = try CLIFolder()
        let server = try ServeProcess(["--model", CommandRunner.tinyModel], in: folder.url)
        for (method, path, allow) in [("DELETE", "/healthz", "GET, HEAD"), ("PUT", "/v1/classify", "POST, GET, HEAD"),
                                      ("POST", "/metrics", "GET, HEAD")] {
            let reply = try HTTPReply.exchange(port: server.port, request: HTTPReply.request(method, path))
            XCTAssertEqual(reply.status, 405, "\(method) \(path)")
            XCTAssertEqual(reply.headers["allow"], allow)
            XCTAssertEqual(reply.errorMessage, "\(path) answers \(allow), not \(method)")
        }
        XCTAssertEqual(try server.get("/nothing/here").status, 404)

        let head = try HTTPReply.exchange(port: server.port, request: HTTPReply.request("HEAD", "/healthz"))
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.headers["content-length"], "15", "the length of GET's body")
        XCTAssertEqual(head.body, Data())

        // Failed requests are timed like the others.
        let metrics = String(decoding: try server.get("/metrics").body, as: UTF8.self)
        for (method, status) in [("DELETE", 405), ("GET", 404)] {
            let series = "http_server_request_duration_count{http_route=\"NotFound\",http_request_method=\"\(method)\","
                + "http_response_status_code=\"\(status)\"} 1"
            XCTAssertTrue(metrics.contains(series), "no \(series) in \(metrics)")
        }
    }

    func testAnUnparsableRequestGetsAJSON400() throws {
        let folder = try CLIFolder()
        let server = try ServeProcess(["--model", CommandRunner.tinyModel], in: folder.url)
        let reply = try HTTPReply.exchange(port: server.port, request: Data("GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n".utf8))
        XCTAssertEqual(reply.status, 400)
        XCTAssertEqual(reply.headers["content-type"], "application/json")
        XCTAssertEqual(reply.errorMessage, "the request is not valid HTTP/1.1")
    }

    func testATooLargeContentLengthIs413BeforeTheBodyIsSent() throws {
        let folder = try CLIFolder()
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--max-body-bytes", "1000"], in: folder.url)
        // Only the head: the server must answer without waiting for a byte of the body, and close.
        let reply = try HTTPReply.exchange(port: server.port, request: Data("""
            POST /v1/classify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
            Content-Length: 1000000000\r\n\r\n
            """.utf8), timeout: 30)
        XCTAssertEqual(reply.status, 413)
        XCTAssertEqual(reply.errorMessage, "request body is larger than 1000 bytes")
    }

    func testHTTP10IsClosedAfterTheAnswerUnlessItAsksForKeepAlive() throws {
        let folder = try CLIFolder()
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--idle-timeout", "600"], in: folder.url)
        // Without keep-alive the server closes after the answer (the read ends; with the connection left open it
        // would wait for the socket's deadline and throw).
        let closed = try HTTPReply.exchange(port: server.port, request: Data("GET /healthz HTTP/1.0\r\n\r\n".utf8),
                                            timeout: 30)
        XCTAssertEqual(closed.status, 200)
        XCTAssertEqual(closed.headers["connection"], "close")
        XCTAssertEqual(closed.body, Data(#"{"status":"ok"}"#.utf8))

        let socket = try LoopbackSocket(port: server.port, timeout: 30)
        for _ in 0..<2 {
            try socket.send(Data("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".utf8))
            let reply = try HTTPReply.parse(socket.receiveReply())
            XCTAssertEqual(reply.status, 200)
            XCTAssertEqual(reply.headers["connection"], "keep-alive")
        }
    }

    func testGETDecodesTheQueryAsFormsEncodeIt() throws {
        let folder = try CLIFolder()
        let server = try ServeProcess(["--model", CommandRunner.tinyModel], in: folder.url)
        for (query, text) in [("where+is+berlin", "where is berlin"), ("c%2B%2B+tutorial", "c++ tutorial"),
                              ("a%20b+c", "a b c"), ("caf%C3%A9", "café")] {
            let reply = try server.get("/v1/classify?text=" + query)
            XCTAssertEqual(reply.status, 200)
            XCTAssertEqual(reply.object["text"] as? String, text, query)
        }
        // Asked the way POST asks, "where is berlin" is the key the GET filled.
        let posted = try server.post("/v1/classify", json: ["texts": ["where is berlin"]])
        XCTAssertEqual((posted.object["results"] as? [[String: Any]])?.first?["cached"] as? Bool, true)

        for (query, message) in [("%FF%FE", "text is not valid UTF-8"), ("%C3", "text is not valid UTF-8"),
                                 ("100%", "text has a % not followed by two hex digits; write % as %25")] {
            let reply = try server.get("/v1/classify?text=" + query)
            XCTAssertEqual(reply.status, 400, query)
            XCTAssertEqual(reply.errorMessage, message)
        }
        XCTAssertEqual(try server.metric("querykind_inference_texts_total"), 4)
    }

    func testLineAndParagraphSeparatorsAreEscaped() throws {
        let folder = try CLIFolder()
        let server = try ServeProcess(["--model", CommandRunner.tinyModel], in: folder.url)
        let text = "one\u{2028}two\u{2029}three"
        for reply in [try server.classify(text), try server.post("/v1/classify", json: ["texts": [text]])] {
            XCTAssertEqual(reply.status, 200)
            let body = String(decoding: reply.body, as: UTF8.self)
            XCTAssertTrue(body.contains(#"one\u2028two\u2029three"#), body)
            XCTAssertFalse(body.contains("\u{2028}") || body.contains("\u{2029}"), body)
        }
        XCTAssertEqual(try server.classify(text).object["text"] as? String, text)
    }

    /// A database fault (here the cache table dropped under the running server) tells the client what it can act
    /// on and leaves the SQL, the path and the URL to the log; 400s say what is wrong in JSON's words.
    func testErrorBodiesKeepInternalsInTheLog() throws {
        let folder = try CLIFolder()
        try folder.createQueries(["a query"])
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--db", folder.db], in: folder.url)
        try folder.execute("DROP TABLE label_cache")
        let failed = try server.classify("a query about slashes/and more")
        XCTAssertGreaterThanOrEqual(failed.status, 500, String(decoding: failed.body, as: UTF8.self))
        let message = try XCTUnwrap(failed.errorMessage)
        for secret in ["label_cache", "SELECT", "SQL", folder.db] where message.contains(secret) {
            XCTFail("\(secret) in \(message)")
        }
        XCTAssertTrue(server.child.stderr.contains("no such table: label_cache"), server.child.stderr)

        let notAnArray = try server.post("/v1/classify", json: ["texts": "one"])
        XCTAssertEqual(notAnArray.errorMessage,
                       #"expected a JSON object {"texts": [string, ...]}: texts must be an array of strings"#)
        let notAnObject = try server.post("/v1/classify", json: ["one"])
        XCTAssertEqual(notAnObject.errorMessage,
                       #"expected a JSON object {"texts": [string, ...]}: the body must be an object"#)
        // Error bodies are written in the API's one JSON style: "/" as is.
        let wrongMethod = try HTTPReply.exchange(port: server.port, request: HTTPReply.request("DELETE", "/healthz"))
        XCTAssertTrue(String(decoding: wrongMethod.body, as: UTF8.self).contains(#""/healthz answers"#),
                      String(decoding: wrongMethod.body, as: UTF8.self))
        XCTAssertEqual(try server.terminate().status, 0)
    }

    func testListenFailuresAreOneLineNamingTheAddress() throws {
        let folder = try CLIFolder()
        let server = try ServeProcess(["--model", CommandRunner.tinyModel], in: folder.url)
        let cases = [
            (["--port", "\(server.port)"], "127.0.0.1:\(server.port): another process already listens there; "
                + "stop it or pick another --port"),
            (["--port", "8080", "--host", "999.1.1.1", "--allow-unauthenticated"], "999.1.1.1:8080: --host is neither an IP address nor a name "
                + "this machine resolves; pass an address such as 127.0.0.1 or 0.0.0.0"),
        ]
        for (arguments, message) in cases {
            let refused = try CommandRunner.run(["serve", "--model", CommandRunner.tinyModel] + arguments,
                                                in: folder.url)
            XCTAssertEqual(refused.status, 1)
            XCTAssertTrue(refused.stderr.contains("Error: cannot listen on " + message + "\n"), refused.stderr)
            XCTAssertFalse(refused.stderr.contains("bind(") || refused.stderr.contains("errno")
                           || refused.stderr.contains("SocketAddressError"), refused.stderr)
        }
    }
}
