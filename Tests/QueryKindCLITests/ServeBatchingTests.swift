import Foundation
import XCTest

/// The inference queue behind `serve`, seen from outside: identical concurrent misses run the model once, and a
/// client that disconnects before its batch runs costs no inference.
final class ServeBatchingTests: XCTestCase {
    func testConcurrentIdenticalMissesRunTheModelOnce() throws {
        let folder = try CLIFolder()
        let server = try ServeProcess(["--model", CommandRunner.tinyModel], in: folder.url)
        let requests = (0..<24).map { _ in BackgroundRequest { try server.classify("how do magnets work") } }
        let replies = try requests.map { try $0.reply() }
        XCTAssertEqual(replies.map(\.status), Array(repeating: 200, count: 24))
        let cached = replies.compactMap { $0.object["cached"] as? Bool }
        XCTAssertEqual(cached.filter { !$0 }.count, 1, "exactly one request ran the model")
        XCTAssertEqual(try server.metric("querykind_inference_texts_total"), 1)
        XCTAssertEqual(try server.terminate().status, 0)
    }

    func testConcurrentMissesShareBatches() throws {
        let folder = try CLIFolder()
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--threads", "1"], in: folder.url)
        let requests = (0..<64).map { index in BackgroundRequest { try server.classify("distinct query \(index)") } }
        XCTAssertEqual(try requests.map { try $0.reply().status }, Array(repeating: 200, count: 64))
        XCTAssertEqual(try server.metric("querykind_inference_texts_total"), 64)
        XCTAssertEqual(try server.metric("querykind_inference_batch_texts_sum"), 64)
        XCTAssertLessThanOrEqual(try server.metric("querykind_inference_batch_texts_count"), 64)
    }

    /// Batches take one text per request in turn, so a request queued beside a backlog shares the model with it;
    /// when its client goes away part way, the texts whose batch had not run yet cost no inference (and the
    /// backlog is not disturbed).
    func testAClientThatDisconnectsBeforeItsBatchCostsNoInference() throws {
        let folder = try CLIFolder()
        // Both requests wait at once: about 110,000 tokens of model work, past --max-queue-tokens' default.
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--threads", "1", "--max-batch-tokens", "16",
                                       "--max-texts", "6000", "--max-body-bytes", "10000000",
                                       "--max-queue", "12000", "--max-queue-tokens", "262144"], in: folder.url)
        /// The queue's depth once it meets `condition`, polled until a deadline.
        func waitForDepth(_ condition: (Double) -> Bool) throws -> Double {
            let deadline = Date().addingTimeInterval(60)
            while true {
                let depth = try server.metric("querykind_queue_depth")
                if condition(depth) { return depth }
                guard Date() < deadline else { throw ServeFailure("the queue's depth stayed at \(depth)") }
                Thread.sleep(forTimeInterval: 0.002)
            }
        }
        let busy = try server.backlog(6000)
        // As many texts as the backlog, so while anything waits, some of them do.
        let texts = (0..<6000).map { "abandoned query number \($0)" }
        let socket = try LoopbackSocket(port: server.port, timeout: 30)
        let before = try server.metric("querykind_queue_depth")
        try socket.send(HTTPReply.request("POST", "/v1/classify",
                                          body: try JSONSerialization.data(withJSONObject: ["texts": texts])))
        // The backlog alone only shrinks: the queue grows when the request's texts are admitted (all at once), and
        // two batches later one of them has had its turn. (A fixed sleep lost the race on a loaded machine.)
        let admitted = try waitForDepth { $0 > before }
        _ = try waitForDepth { $0 <= admitted - 2 }
        XCTAssertGreaterThan(try server.metric("querykind_queue_depth"), 100, "the backlog ended too soon to tell")
        shutdown(socket.descriptor, Int32(SHUT_RDWR))

        XCTAssertEqual(try busy.reply().status, 200)
        let abandoned = try server.metric("querykind_queue_abandoned_texts")
        XCTAssertGreaterThan(abandoned, 0)
        XCTAssertLessThan(abandoned, Double(texts.count), "the request got its turns before it went away")
        XCTAssertEqual(try server.metric("querykind_inference_texts_total"), 6000 + Double(texts.count) - abandoned,
                       "every text of the request that went away ran, or was dropped unrun")
        // Its texts run in order, so its last one was never computed.
        XCTAssertEqual(try server.classify(texts[texts.count - 1]).object["cached"] as? Bool, false)
    }

    /// Watching for a client that goes away takes nothing from its connection: a miss is answered keep-alive and
    /// the same connection serves the next request.
    func testAMissKeepsItsConnectionAlive() throws {
        let folder = try CLIFolder()
        let server = try ServeProcess(["--model", CommandRunner.tinyModel], in: folder.url)
        let socket = try LoopbackSocket(port: server.port, timeout: 30)
        try socket.send(HTTPReply.request("GET", "/v1/classify?text=first%20miss", keepAlive: true))
        let first = try HTTPReply.parse(socket.receiveReply())
        XCTAssertEqual(first.status, 200)
        XCTAssertEqual(first.object["cached"] as? Bool, false)
        XCTAssertNotEqual(first.headers["connection"], "close")
        try socket.send(HTTPReply.request("POST", "/v1/classify", body: Data(#"{"texts": ["second miss"]}"#.utf8)))
        let second = try HTTPReply.parse(socket.receiveAll())
        XCTAssertEqual(second.status, 200, String(decoding: second.body, as: UTF8.self))
        XCTAssertEqual((second.object["results"] as? [[String: Any]])?.first?["cached"] as? Bool, false)
        XCTAssertEqual(try server.metric("querykind_inference_texts_total"), 2)
        XCTAssertEqual(try server.metric("querykind_queue_abandoned_texts"), 0)
    }
}
