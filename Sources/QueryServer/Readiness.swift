import Annotator
import Foundation
import Hummingbird

/// What `GET /readyz` answers: 200 while the server can do everything it was started for, else 503 with the first
/// reason (the SQLite file deleted or replaced, the database not answering, the `--watch` loop stopped).
///
/// Why a reason: a supervisor only needs the status, but the person it pages needs to know what to fix.
struct Readiness: Sendable {
    /// The SQLite file as opened (nil for PostgreSQL or without a database), compared with what its path names now.
    let file: DatabaseFileIdentity?
    let labeler: CacheFirstLabeler
    let watch: WatchStatus?

    func response() async throws -> Response {
        guard let problem = await problem() else { return JSONResponse.bytes(#"{"status":"ready"}"#.utf8) }
        return JSONResponse.bytes(try JSONStyle.encoder().encode(["status": "unavailable", "error": problem]),
                                  status: .serviceUnavailable)
    }

    private func problem() async -> String? {
        if let change = file?.change() { return change }
        if let problem = await labeler.databaseProblem() { return problem }
        return watch?.problem
    }
}
