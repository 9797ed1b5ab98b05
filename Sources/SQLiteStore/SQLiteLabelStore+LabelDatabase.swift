/// SQLite as a `LabelDatabase`: one labeler per table (`startRun` refuses a second), so claiming a batch is reading
/// the next pending rows after the cursor, and nobody else ever holds claims.
extension LabelStore: LabelDatabase {
    public func migrateTables() throws { try migrate() }

    public func claimPending(_ pending: Pending, runID: Int64, after cursor: Int64?, limit: Int) throws -> [SourceRow] {
        try fetchPending(pending, after: cursor, limit: limit)
    }

    public func othersHoldClaims(_ pending: Pending, besides runID: Int64) throws -> Bool { false }

    public func isTransient(_ error: any Error) -> Bool {
        (error as? SQLiteError)?.isTransient ?? false
    }
}
