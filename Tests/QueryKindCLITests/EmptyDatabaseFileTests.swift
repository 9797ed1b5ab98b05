import Foundation
import XCTest

/// `--db` naming a 0-byte file, for the commands whose database is optional: refused in one line, like a missing
/// file, and the file stays 0 bytes (SQLite would take it for an empty database and the setup would migrate it).
final class EmptyDatabaseFileTests: XCTestCase {
    func testServeAndLookupRefuseA0ByteFileAndLeaveIt0Bytes() throws {
        let folder = try CLIFolder()
        let missing = try CommandRunner.run(["lookup", "--db", folder.db, "--model", CommandRunner.tinyModel, "a"],
                                            in: folder.url)
        for arguments in [["lookup", "--db", folder.db, "--model", CommandRunner.tinyModel, "where is berlin"],
                          ["serve", "--port", "0", "--db", folder.db, "--model", CommandRunner.tinyModel]] {
            try Data().write(to: URL(fileURLWithPath: folder.db))
            let output = try CommandRunner.launch(arguments, in: folder.url).wait(timeout: 30)
            XCTAssertEqual(output.status, missing.status, "\(arguments[0]) exits as for a missing file: \(output.stderr)")
            XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, output.stderr)
            XCTAssertTrue(output.stderr.contains("0 bytes"), output.stderr)
            XCTAssertEqual(folder.databaseBytes(), Data(), "\(arguments[0]) changed the file")
            XCTAssertFalse(folder.hasWALFiles, arguments[0])
        }
    }
}
