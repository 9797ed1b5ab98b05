import Foundation
import HummingbirdTesting
import XCTest

/// What `POST /v1/classify` and `GET /v1/classify` refuse, and the bodies they refuse it with: 400 for a request
/// that is wrong, 413 for one that is too big (no retry helps), 429 for one that does not fit now (a retry may).
final class RequestLimitsTests: XCTestCase {
    func testMalformedRequestsGet400WithAMessageInJSONsWords() async throws {
        try await ServerUnderTest.run(ServerUnderTest.settings()) { client in
            let cases = [
                ("not json", "expected a JSON object {\"texts\": [string, ...]}: the body is not valid JSON"),
                (#"{"texts": [1]}"#, "expected a JSON object {\"texts\": [string, ...]}: texts[0] must be a string"),
                (#"{"texts": "one"}"#,
                 "expected a JSON object {\"texts\": [string, ...]}: texts must be an array of strings"),
                ("{}", "expected a JSON object {\"texts\": [string, ...]}: missing \"texts\""),
                (#"{"texts": [null]}"#, "expected a JSON object {\"texts\": [string, ...]}: texts[0] must not be null"),
            ]
            for (body, message) in cases {
                let response = try await client.post(body)
                XCTAssertEqual(response.status, .badRequest, body)
                XCTAssertEqual(response.errorMessage, message, body)
            }
            let missing = try await client.execute(uri: "/v1/classify", method: .get)
            XCTAssertEqual(missing.status, .badRequest)
            XCTAssertEqual(missing.errorMessage, "query parameter text is required")
        }
    }

    func testMoreTextsThanMaxTextsGet413() async throws {
        let settings = ServerUnderTest.settings { $0.requests.maxTexts = 3 }
        try await ServerUnderTest.run(settings) { client in
            let response = try await client.post(#"{"texts": ["a", "b", "c", "d"]}"#)
            XCTAssertEqual(response.status, .contentTooLarge)
            XCTAssertEqual(response.errorMessage, "at most 3 texts per request (got 4)")
            let within = try await client.classify(["a", "b", "c"])
            XCTAssertEqual(within.count, 3, "three texts are within the limit")
        }
    }

    /// Refused from the declared length, before the body is read; the connection closes after the answer.
    func testABodyLongerThanMaxBodyBytesGets413() async throws {
        let settings = ServerUnderTest.settings { $0.requests.maxBodyBytes = 64 }
        try await ServerUnderTest.run(settings) { client in
            let body = #"{"texts": ["\#(String(repeating: "x", count: 80))"]}"#
            let response = try await client.post(body)
            XCTAssertEqual(response.status, .contentTooLarge)
            XCTAssertEqual(response.errorMessage, "request body is larger than 64 bytes")
            XCTAssertEqual(response.headers[.connection], "close")
        }
    }

    /// New texts that do not fit in the queue beside what waits: 429 with `Retry-After`, and no model work.
    func testNewTextsBeyondTheQueuesCapacityGet429() async throws {
        let settings = ServerUnderTest.settings { $0.inference.capacity = 1 }
        try await ServerUnderTest.run(settings) { client in
            let inferences = try await client.metric("querykind_inference_texts_total")
            let response = try await client.post(#"{"texts": ["first new text", "second new text"]}"#)
            XCTAssertEqual(response.status, .tooManyRequests)
            XCTAssertEqual(response.headers[.retryAfter], "1")
            XCTAssertEqual(response.errorMessage,
                           "the inference queue is full (1 texts or 65536 tokens waiting); retry later")
            let inferencesAfter = try await client.metric("querykind_inference_texts_total")
            XCTAssertEqual(inferencesAfter, inferences, "a refused request costs no inference")
            let one = try await client.classify(["first new text"])
            XCTAssertEqual(one.map(\.cached), [false], "one new text fits")
        }
    }

    /// New texts whose model work alone exceeds what the queue holds: 413 (splitting the request is the cure).
    func testNewTextsNeedingMoreTokensThanTheQueueHoldsGet413() async throws {
        let settings = ServerUnderTest.settings { $0.inference.tokenCapacity = 8 }
        try await ServerUnderTest.run(settings) { client in
            let text = "a text with many more words than eight tokens allow"
            let tokens = ServerUnderTest.classifier.tokenizer.encode(text).count
            let response = try await client.post(#"{"texts": ["\#(text)"]}"#)
            XCTAssertEqual(response.status, .contentTooLarge)
            XCTAssertEqual(response.errorMessage, "these texts need \(tokens) tokens of model work, more than the "
                + "server queues at once (8); send fewer or shorter texts per request")
        }
    }
}
