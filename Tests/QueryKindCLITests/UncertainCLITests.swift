import Foundation
import XCTest

/// `classify --uncertain` and `lookup --uncertain`: the kind printed becomes `uncertain` near 0.5, the
/// probabilities do not change, and what `lookup --db` caches is the model's kind.
final class UncertainCLITests: XCTestCase {
    private let text = "cheap flights to paris"

    private func records(_ output: CommandRunner.Output) throws -> [[String: Any]] {
        XCTAssertEqual(output.status, 0, output.stderr)
        let records = try output.stdout.split(separator: "\n").map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        guard !records.isEmpty else { throw ServeFailure("no output: \(output.stderr)") }
        return records
    }

    func testClassifyAndLookupPrintUncertainNearOneHalf() throws {
        let folder = try CLIFolder()
        for command in ["classify", "lookup"] {
            let plain = try records(CommandRunner.run([command, "--model", CommandRunner.tinyModel, "--json", text],
                                                      in: folder.url))[0]
            let distance = abs(try XCTUnwrap(plain["p_keyword"] as? Double) - 0.5)
            let gated = try records(CommandRunner.run([command, "--model", CommandRunner.tinyModel, "--json",
                                                       "--uncertain", "\(min(0.5, distance + 1e-4))", text],
                                                      in: folder.url))[0]
            XCTAssertEqual(gated["kind"] as? String, "uncertain", command)
            XCTAssertEqual(gated["p_keyword"] as? Double, plain["p_keyword"] as? Double, command)
            XCTAssertEqual(gated["p_question"] as? Double, plain["p_question"] as? Double, command)
            let kept = try records(CommandRunner.run([command, "--model", CommandRunner.tinyModel, "--json",
                                                      "--uncertain", "\(max(0, distance - 1e-4))", text],
                                                     in: folder.url))[0]
            XCTAssertEqual(kept["kind"] as? String, plain["kind"] as? String, command)

            let refused = try CommandRunner.run([command, "--model", CommandRunner.tinyModel, "--uncertain", "0.6",
                                                 text], in: folder.url)
            XCTAssertNotEqual(refused.status, 0)
            XCTAssertTrue(refused.stderr.hasPrefix("Error: --uncertain must be a number from 0 to 0.5 (the margin "
                + "around 0.5 within which a kind is uncertain), not 0.6\n"), refused.stderr)
        }
    }

    func testLookupCachesTheModelsKindNotTheGatedOne() throws {
        let folder = try CLIFolder()
        let migrated = try CommandRunner.run(["migrate", "--db", folder.db], in: folder.url)
        XCTAssertEqual(migrated.status, 0, migrated.stderr)
        let printed = try records(CommandRunner.run(["lookup", "--db", folder.db, "--model", CommandRunner.tinyModel,
                                                     "--json", "--uncertain", "0.5", text], in: folder.url))[0]
        XCTAssertEqual(printed["kind"] as? String, "uncertain")
        let cached = try folder.rows("SELECT kind FROM label_cache", columns: 1)
        XCTAssertEqual(cached.count, 1)
        XCTAssertNotEqual(cached.first?.first, "uncertain", "the cache holds the model's kind")
        let again = try records(CommandRunner.run(["lookup", "--db", folder.db, "--model", CommandRunner.tinyModel,
                                                   "--json", text], in: folder.url))[0]
        XCTAssertEqual(again["cached"] as? Bool, true)
        XCTAssertEqual(again["kind"] as? String, cached.first?.first)
    }
}
