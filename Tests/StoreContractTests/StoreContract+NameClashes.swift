import LabelStore
import XCTest

extension StoreContract {
    /// A user's own table holding one of querykind's names without querykind's columns is refused by `migrate` with
    /// one error naming it, before anything is written: it is neither adopted as querykind's nor changed.
    func migrateRefusesAUsersTableHoldingItsName() throws {
        try store.executeScript("CREATE TABLE query_labels (id BIGINT, note TEXT)")
        try store.execute("INSERT INTO query_labels (id, note) VALUES ($1, $2)", [.integer(1), .text("mine")])
        XCTAssertThrowsError(try store.migrate(), file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains(#"already has a table "query_labels" that is not querykind's"#),
                          "\(error)", file: file, line: line)
        }
        XCTAssertFalse(try store.hasTable("querykind_migrations"), "nothing written", file: file, line: line)
        XCTAssertFalse(try store.hasTable("label_runs"), "nothing written", file: file, line: line)
        XCTAssertEqual(try column("SELECT note FROM query_labels"), ["mine"], file: file, line: line)
    }
}
