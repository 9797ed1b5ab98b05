import Foundation
import XCTest

/// `serve --memory-cache`: the two generations behind it, seen through `/metrics`.
final class ServeMemoryCacheTests: XCTestCase {
    /// A hit promoted from the previous generation is held, and counted, once: `querykind_memory_cache_entries` is
    /// the number of distinct texts held, never more than `--memory-cache`.
    func testAPromotedTextIsCountedOnce() throws {
        let folder = try CLIFolder()
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--memory-cache", "4"], in: folder.url)
        // Generations of 2: "one" and "two" fill the first, "three" starts the next one.
        for text in ["one", "two", "three"] {
            XCTAssertEqual(try server.classify(text).object["cached"] as? Bool, false)
        }
        XCTAssertEqual(try server.metric("querykind_memory_cache_entries"), 3)
        XCTAssertEqual(try server.classify("one").object["cached"] as? Bool, true, "promoted from the older generation")
        XCTAssertEqual(try server.metric("querykind_memory_cache_entries"), 3, "one, two, three: three texts")
        XCTAssertEqual(try server.classify("two").object["cached"] as? Bool, true)
        XCTAssertEqual(try server.metric("querykind_memory_cache_entries"), 3)
        XCTAssertEqual(try server.terminate().status, 0)
    }
}
