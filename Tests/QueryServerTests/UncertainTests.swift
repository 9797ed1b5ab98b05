import Annotator
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import QueryServer
import XCTest

/// `uncertain` on `GET /v1/classify` (`?uncertain=`), `POST /v1/classify` (`"uncertain":`) and `serve
/// --uncertain` (the default of requests that give none): the kind becomes `uncertain` when the deciding head is
/// that close to 0.5; the probabilities stay as the model gave them.
final class UncertainTests: XCTestCase {
    private static let text = "cheap flights to paris"

    /// The record's distance from 0.5 on the keyword head (the tiny model's random heads sit near 0.5).
    private static func distance(_ object: [String: Any]) throws -> Double {
        abs(try XCTUnwrap(object["p_keyword"] as? Double) - 0.5)
    }

    private static func object(_ response: TestResponse) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    func testGETAndPOSTGateTheKindAndKeepTheProbabilities() async throws {
        try await ServerUnderTest.run(ServerUnderTest.settings()) { client in
            let text = Self.text
            let encoded = text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let plain = try Self.object(try await client.execute(uri: "/v1/classify?text=\(encoded)", method: .get))
            let distance = try Self.distance(plain)
            XCTAssertNotEqual(plain["kind"] as? String, "uncertain")
            // The keyword head decides every kind: a margin past its distance gates it, one short of it does not.
            let wider = min(0.5, distance + 1e-4), narrower = max(0, distance - 1e-4)

            let gated = try Self.object(try await client.execute(
                uri: "/v1/classify?text=\(encoded)&uncertain=\(wider)", method: .get))
            XCTAssertEqual(gated["kind"] as? String, "uncertain")
            XCTAssertEqual(gated["p_keyword"] as? Double, plain["p_keyword"] as? Double)
            XCTAssertEqual(gated["p_question"] as? Double, plain["p_question"] as? Double)
            let kept = try Self.object(try await client.execute(
                uri: "/v1/classify?text=\(encoded)&uncertain=\(narrower)", method: .get))
            XCTAssertEqual(kept["kind"] as? String, plain["kind"] as? String)

            let post = try await client.post(#"{"texts": ["\#(text)", ""], "uncertain": \#(wider)}"#)
            XCTAssertEqual(post.status, .ok)
            let results = try XCTUnwrap(try Self.object(post)["results"] as? [[String: Any]])
            XCTAssertEqual(results[0]["kind"] as? String, "uncertain")
            XCTAssertEqual(results[0]["p_keyword"] as? Double, plain["p_keyword"] as? Double)
            XCTAssertEqual(results[1]["error"] as? String, "text is empty")
            XCTAssertTrue(results[1]["kind"] is NSNull)
        }
    }

    func testServesUncertainIsTheDefaultARequestCanOverride() async throws {
        try await ServerUnderTest.run(ServerUnderTest.settings { $0.uncertainMargin = try! UncertainMargin(0.5) }) { client in
            let text = Self.text
            let gated = try await client.classify([text])
            XCTAssertEqual(gated[0].label?.kind, "uncertain", "a random-init head is never exactly 0 or 1")
            let off = try await client.post(#"{"texts": ["\#(text)"], "uncertain": 0}"#)
            let results = try XCTUnwrap(try Self.object(off)["results"] as? [[String: Any]])
            XCTAssertNotEqual(results[0]["kind"] as? String, "uncertain")
            let info = try Self.object(try await client.execute(uri: "/info", method: .get))
            XCTAssertEqual(info["uncertain"] as? Double, 0.5)
        }
    }

    func testAMarginOutsideZeroToOneHalfGets400() async throws {
        try await ServerUnderTest.run(ServerUnderTest.settings()) { client in
            let range = "(the margin around 0.5 within which a kind is uncertain)"
            for (query, message) in [
                ("0.7", "uncertain must be a number from 0 to 0.5 \(range), not 0.7"),
                ("-1", "uncertain must be a number from 0 to 0.5 \(range), not -1.0"),
                ("nan", "uncertain must be a number from 0 to 0.5 \(range), not nan"),
                ("half", "uncertain must be a number from 0 to 0.5, not half"),
            ] {
                let response = try await client.execute(uri: "/v1/classify?text=hello&uncertain=\(query)", method: .get)
                XCTAssertEqual(response.status, .badRequest, query)
                XCTAssertEqual(response.errorMessage, message, query)
            }
            let post = try await client.post(#"{"texts": ["hello"], "uncertain": 0.75}"#)
            XCTAssertEqual(post.status, .badRequest)
            XCTAssertEqual(post.errorMessage, "uncertain must be a number from 0 to 0.5 \(range), not 0.75")
            let wrongType = try await client.post(#"{"texts": ["hello"], "uncertain": "0.2"}"#)
            XCTAssertEqual(wrongType.status, .badRequest)
            XCTAssertEqual(wrongType.errorMessage, "expected a JSON object {\"texts\": [string, ...]}: uncertain must be "
                + "a number")
        }
    }
}
