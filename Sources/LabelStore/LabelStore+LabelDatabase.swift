/// SQLite as a `LabelDatabase`: one labeler per table (`startRun` refuses a second), so claiming a batch is reading
/// the next pending rows after the cursor, and nobody else ever holds claims.
extension LabelStore: LabelDatabase {
    public func checkSetup(for source: SourceTable) throws {
        try validate(source)
        try checkSchemaIsKnown()
        try checkLabelsBelong(to: source)
    }

    public func prepare(for source: SourceTable) throws {
        try migrate()
        try createView(for: source)
    }

    public func claimPending(_ pending: Pending, runID: Int64, after cursor: Int64?, limit: Int) throws -> [SourceRow] {
        try fetchPending(pending, after: cursor, limit: limit)
    }

    public func othersHoldClaims(_ pending: Pending, besides runID: Int64) throws -> Bool { false }

    public func isTransient(_ error: any Error) -> Bool {
        (error as? SQLiteError)?.isTransient ?? false
    }
}
