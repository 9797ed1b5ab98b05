/// The `<table>_kinds_daily` view: the labeled view summed per UTC day and kind, so datasette, Grafana's SQLite or
/// PostgreSQL data source or a notebook can chart the mix without querykind. Created with `<table>_labeled`
/// (`LabelDatabase.createView`), on both engines; only reading `labeled_at` as a time is the engine's.
extension SourceTable {
    /// `<table>_kinds_daily`.
    public var kindsDailyName: String { table + "_kinds_daily" }
    public var quotedKindsDaily: String { quoteIdentifier(kindsDailyName) }

    /// How every version of the view's SQL starts: a view of this name that starts otherwise is the user's, and
    /// is never replaced.
    public var kindsDailySignature: String { "CREATE VIEW \(quotedKindsDaily) AS\nSELECT substr(" }

    /// The view's SQL, given the engine's `utcTimeSQL` of `v.labeled_at` (`v` is the labeled view): one row per
    /// day and kind (the view's kind, so reviews count; `error` for rows that could not be labeled) with its rows
    /// and mean probabilities; rows not labeled yet are left out.
    public func kindsDailySQL(labeledAt time: String) -> String {
        """
        \(kindsDailySignature)\(time), 1, 10) AS day, coalesce(v.kind, 'error') AS kind, count(*) AS "rows",
               avg(v.p_keyword) AS mean_p_keyword, avg(v.p_question) AS mean_p_question
        FROM \(quotedView) AS v WHERE v.model IS NOT NULL
        GROUP BY substr(\(time), 1, 10), coalesce(v.kind, 'error')
        """
    }
}
