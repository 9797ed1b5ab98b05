import Foundation
import HummingbirdTesting
import XCTest

/// `serve --memory-cache N`: at most N labels in memory, in two generations of N/2; a text the generations have
/// moved past goes back to the model (or to the database's cache, where there is one).
final class MemoryCacheTests: XCTestCase {
    func testTextsPastTwoGenerationsAreEvictedAndGoBackToTheModel() async throws {
        let settings = ServerUnderTest.settings { $0.memoryCacheEntries = 4 }
        try await ServerUnderTest.run(settings) { client in
            let inferences = try await client.metric("querykind_inference_texts_total")
            // Generations of 2: one, two | three, four | five: one and two are gone.
            for texts in [["one", "two"], ["three"], ["four"], ["five"]] {
                let records = try await client.classify(texts)
                XCTAssertEqual(records.map(\.cached), texts.map { _ in false }, "\(texts): new texts")
            }
            var inferred = try await client.metric("querykind_inference_texts_total") - inferences
            var held = try await client.metric("querykind_memory_cache_entries")
            XCTAssertEqual(inferred, 5)
            XCTAssertEqual(held, 3, "three and four, then five")

            let evicted = try await client.classify(["one"])
            XCTAssertEqual(evicted.map(\.cached), [false], "an evicted text is computed again")
            inferred = try await client.metric("querykind_inference_texts_total") - inferences
            XCTAssertEqual(inferred, 6)

            let kept = try await client.classify(["four", "five"])
            XCTAssertEqual(kept.map(\.cached), [true, true], "the two latest generations are held")
            inferred = try await client.metric("querykind_inference_texts_total") - inferences
            held = try await client.metric("querykind_memory_cache_entries")
            XCTAssertEqual(inferred, 6, "held texts cost no inference")
            XCTAssertLessThanOrEqual(held, 4)
        }
    }

    /// Many distinct texts, never more than `--memory-cache` held.
    func testMemoryStaysWithinItsCapacity() async throws {
        let settings = ServerUnderTest.settings { $0.memoryCacheEntries = 10 }
        try await ServerUnderTest.run(settings) { client in
            for batch in 0..<5 {
                _ = try await client.classify((0..<7).map { "text \($0) of batch \(batch)" })
                let held = try await client.metric("querykind_memory_cache_entries")
                XCTAssertLessThanOrEqual(held, 10)
            }
            let first = try await client.classify(["text 0 of batch 0"])
            XCTAssertEqual(first.map(\.cached), [false], "the first batch is long gone")
        }
    }
}
