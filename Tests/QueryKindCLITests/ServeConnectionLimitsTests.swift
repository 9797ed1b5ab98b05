import Foundation
import XCTest

/// `serve`'s `ConnectionLimits` against a real server over loopback sockets: connections that send a partial head,
/// or nothing, are closed; past `--max-connections` new ones get 503 while the others keep working; and SIGTERM
/// finishes even while a client is stuck in the middle of a body.
///
/// Every wait is bounded by a socket deadline far longer than the timeout under test, and a server that never closes
/// makes the read throw: the tests assert what happens, never how fast.
final class ServeConnectionLimitsTests: XCTestCase {
    private let head = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    func testAPartialHeadIsClosedAfterTheHeaderTimeout() throws {
        let folder = try CLIFolder()
        // The idle timeout is far away: only the header timeout can close these.
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--header-timeout", "1",
                                       "--idle-timeout", "600"], in: folder.url)
        let slow = try (0..<20).map { _ in
            let socket = try LoopbackSocket(port: server.port, timeout: 30)
            try socket.send(Data("GET /healthz HTTP/1.1\r\nHost: 1".utf8))
            return socket
        }
        for socket in slow {
            // A read that times out throws (and ends the test): the connection was left open.
            let answer = try socket.receiveAll()
            XCTAssertEqual(answer, Data(), "closed without an answer")
        }
        // One that sends its head a byte at a time, each well within the timeout, is closed too: the timeout counts
        // from the first byte, so trickling does not extend it.
        let trickling = try LoopbackSocket(port: server.port, timeout: 30)
        let head = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ".utf8)
            + Array(repeating: UInt8(ascii: "x"), count: 60)
        var sent = 0
        for var byte in head {
            // MSG_NOSIGNAL: once the server has closed the connection the send fails instead of raising SIGPIPE.
            guard send(trickling.descriptor, &byte, 1, Int32(MSG_NOSIGNAL)) == 1 else { break }
            sent += 1
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertLessThan(sent, head.count, "the server let a head trickle in for \(head.count / 10) s")
        XCTAssertEqual(try server.get("/healthz").status, 200)
    }

    func testAnIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws {
        let folder = try CLIFolder()
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--idle-timeout", "1"], in: folder.url)
        let socket = try LoopbackSocket(port: server.port, timeout: 30)
        try socket.send(Data(head.utf8))
        XCTAssertEqual(try HTTPReply.parse(socket.receiveReply()).status, 200)
        // Then nothing: the server closes the connection.
        XCTAssertEqual(try socket.receiveAll(), Data())
        // One that never sends a byte is closed too.
        XCTAssertEqual(try LoopbackSocket(port: server.port, timeout: 30).receiveAll(), Data())
    }

    func testPastTheConnectionCapNewConnectionsGet503AndTheRestKeepWorking() throws {
        let folder = try CLIFolder()
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--max-connections", "4",
                                       "--idle-timeout", "600"], in: folder.url)
        var held = try (0..<4).map { _ in try LoopbackSocket(port: server.port, timeout: 30) }
        // The server counts a connection once it has accepted it; a request answered on each proves all four are in.
        for socket in held {
            try socket.send(Data(head.utf8))
            XCTAssertEqual(try HTTPReply.parse(socket.receiveReply()).status, 200)
        }

        let refused = try HTTPReply.parse(LoopbackSocket(port: server.port, timeout: 30).receiveAll())
        XCTAssertEqual(refused.status, 503)
        XCTAssertEqual(refused.headers["retry-after"], "1")
        XCTAssertTrue(refused.errorMessage?.contains("4 open connections") == true, "\(refused.errorMessage ?? "none")")

        // A connection already in keeps being served.
        try held[0].send(Data(head.utf8))
        XCTAssertEqual(try HTTPReply.parse(held[0].receiveReply()).status, 200)

        // Once one closes, a new connection is served (the close reaches the server a moment later).
        held.removeLast()
        let deadline = Date().addingTimeInterval(30)
        var reply = try server.get("/healthz")
        while reply.status == 503 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            reply = try server.get("/healthz")
        }
        XCTAssertEqual(reply.status, 200)
        XCTAssertEqual(try server.terminate().status, 0)
    }

    /// The cap only protects the server when it fits under the open-file limit: the soft limit is raised to fit
    /// where the hard limit allows, and a limit that cannot be raised is named in a warning at start.
    func testTheOpenFileLimitIsRaisedToFitTheCapOrWarnedAbout() throws {
        let folder = try CLIFolder()
        let raised = try ServeProcess(["--model", CommandRunner.tinyModel, "--max-connections", "400"], in: folder.url,
                                      prefix: ["/usr/bin/prlimit", "--nofile=300:5000"])
        let limits = try String(contentsOfFile: "/proc/\(raised.child.process.processIdentifier)/limits",
                                encoding: .utf8)
        let openFiles = limits.split(separator: "\n").first { $0.hasPrefix("Max open files") }
        XCTAssertEqual(openFiles?.split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).first, "528")
        XCTAssertFalse(raised.child.stderr.contains("open-file limit"), raised.child.stderr)

        let capped = try ServeProcess(["--model", CommandRunner.tinyModel, "--max-connections", "400"], in: folder.url,
                                      prefix: ["/usr/bin/prlimit", "--nofile=300:300"])
        XCTAssertTrue(capped.child.stderr.contains("the open-file limit (300) is below the 528 that --max-connections "
                                                   + "400 needs; raise it (ulimit -n, LimitNOFILE=) or lower "
                                                   + "--max-connections"), capped.child.stderr)
    }

    func testSIGTERMExitsZeroWhileAClientIsStuckInTheMiddleOfABody() throws {
        let folder = try CLIFolder()
        // The idle timeout is far away: only the shutdown timeout can end the stuck request.
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--shutdown-timeout", "1",
                                       "--idle-timeout", "600"], in: folder.url)
        let stuck = try LoopbackSocket(port: server.port, timeout: 60)
        try stuck.send(Data("""
            POST /v1/classify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
            Content-Length: 100\r\n\r\n{"texts": ["half
            """.utf8))
        // SIGTERM only once the request is in the router (waiting for its body), not before its head is read.
        let deadline = Date().addingTimeInterval(30)
        while try server.metric("http_server_active_requests{http_request_method=\"POST\"}") < 1 {
            guard Date() < deadline else { return XCTFail("the request never reached the router") }
            Thread.sleep(forTimeInterval: 0.02)
        }

        let output = try server.terminate(within: 30)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stderr.contains("stopped"), output.stderr)
        // The stuck client's connection was closed, not left open.
        XCTAssertNoThrow(try stuck.receiveAll())
    }
}
