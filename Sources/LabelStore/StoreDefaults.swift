/// The one default of each storage setting: the stores' initializers and the command line's flags
/// (`--busy-timeout`, `--lease`, `--table`) both read it here, so a default cannot differ between them.
public enum StoreDefaults {
    /// How long a statement waits for another connection's lock (SQLite's busy timeout, PostgreSQL's
    /// `lock_timeout`); also how long a run's final status keeps retrying transient failures.
    public static let busyTimeout: Duration = .seconds(5)
    /// PostgreSQL: how long a claimed batch stays reserved for its worker without renewal.
    public static let lease: Duration = .seconds(60)
    /// The user's table of queries.
    public static let table = "queries"
}
