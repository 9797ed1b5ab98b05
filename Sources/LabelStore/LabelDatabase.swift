/// What a labeling run needs from the database that holds the queries and their labels, whichever engine that is:
/// SQLite (`SQLiteLabelStore`, the embedded default) or PostgreSQL (`PostgresLabelStore`, for many workers on many
/// machines).
///
/// Why a protocol: the labeling job (`Annotator.LabelingJob`) must not know which database it runs against, so the
/// crash-safety rules live in one job: a batch is claimed, labeled, then written with its cache entries and run
/// counters in one transaction. What reads the same on both engines is written once over the primitives below, in
/// extensions of this protocol (the schema version, `report`, `migrate`); each engine keeps its dialect: its
/// catalog, how it writes a batch, and how a batch is claimed (SQLite has one labeler per table, a second one is
/// refused, so a claim is a plain read after a cursor; PostgreSQL hands batches to any number of workers with leases).
public protocol LabelDatabase: SchemaEngine {
    /// What messages call the database: the SQLite file's path, or the PostgreSQL URL without its password.
    var displayName: String { get }

    /// The engine's SQL for the current time, in the type its timestamp columns hold (SQLite: ISO-8601 text).
    var nowSQL: String { get }

    /// The engine's numbered migrations, in order (`SQLiteMigrations.all`, `PostgresMigrations.all`).
    var migrations: [Migration] { get }

    /// True when a table or view named `name` exists.
    func hasTable(_ name: String) throws -> Bool

    /// The rows of one read-only statement written in SQL that both engines run alike, with `$1`, `$2`… bound to
    /// `arguments`: the primitive that the engine-neutral reads (the schema version, `report`) are written over.
    func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [[SQLValue]]

    /// Fails, writing nothing, when the source table or a column is missing, the id column is not an integer, or a
    /// user's object holds the name of the `<table>_labeled` view.
    func validate(_ source: SourceTable) throws

    /// Fails, writing nothing, on a schema this binary cannot use (newer, or migrated by an incompatible build).
    func checkSchemaIsKnown() throws

    /// Fails, writing nothing, when `query_labels` holds labels of another source table: labels are keyed by the
    /// source id alone, so two tables in one database would overwrite each other's labels.
    func checkLabelsBelong(to source: SourceTable) throws

    /// Creates or updates the `<table>_labeled` view.
    func createView(for source: SourceTable) throws

    /// The engine's SQL for `alias.column` (a column of `table`) as UTC text `YYYY-MM-DDTHH:MM:SS` (`TrendTime`),
    /// whether it holds ISO-8601 text, Unix seconds or a native timestamp; NULL where a value is none of these. The
    /// one dialect in `trends`: how a time is read differs by engine (SQLite by each value's type, PostgreSQL by the
    /// column's).
    func utcTimeSQL(column: String, table: String, alias: String) throws -> String

    /// Records a new `running` run and returns its id (SQLite refuses while another live run holds the table).
    func startRun(_ info: RunInfo) throws -> Int64

    /// Ends a run with `status` (and, for a failure, the reason), retrying transient failures for a while: it is the
    /// only record of how the run ended.
    func finishRun(_ runID: Int64, status: RunStatus, error: String?) throws

    /// Records the transient failures a `watch` daemon has retried so far, and the latest one. The daemon calls it
    /// again after a failure, so it should fail rather than wait for a lock (the retry it records has usually just
    /// waited for one): SQLite's does.
    func recordRetries(_ runID: Int64, retries: Int, lastError: String) throws

    /// How many rows are pending (a progress bar's total).
    func countPending(_ pending: Pending) throws -> Int

    /// The source table's highest id, nil when it is empty.
    func highestSourceID(_ source: SourceTable) throws -> Int64?

    /// Up to `limit` pending rows for run `runID`, in id order, taken from above `cursor` where the engine walks a
    /// cursor (nil: from the start of the table). Empty when nothing is left to claim now.
    func claimPending(_ pending: Pending, runID: Int64, after cursor: Int64?, limit: Int) throws
        -> [SourceRow]

    /// True while rows of `pending` are claimed by runs other than `runID` and not yet written: a one-shot pass
    /// waits for them, because a worker that dies leaves its rows to the others once its lease lapses.
    func othersHoldClaims(_ pending: Pending, besides runID: Int64) throws -> Bool

    /// Writes one batch (labels, cache entries, run counters) in one transaction; rows this run no longer holds are
    /// left to the run that holds them.
    func write(_ batch: LabelBatch, runID: Int64) throws

    /// Up to `limit` rows of `query_labels` for `source` that hold a label but no key (labeled before keys were
    /// stored), with ids above `cursor` (nil: from the first), in id order, each with its source row's value as
    /// `claimPending` reads it. A label whose source row is gone is not read.
    func labelsLackingKeys(_ source: SourceTable, after cursor: Int64?, limit: Int) throws -> [SourceRow]

    /// Writes `keys` (by query id) into `query_labels.normalized_text` in one transaction, only where it is still
    /// NULL, so two runs filling at once write the same keys once.
    func writeKeys(_ keys: [Int64: String]) throws

    /// The cached labels for `keys` under `model`; keys not in the cache are absent.
    func cachedLabels(model: String, keys: [String]) throws -> [String: StoredLabel]

    /// Records new cache entries and hit counts in their own short transaction (`lookup`).
    func recordCache(_ update: CacheUpdate) throws
}

extension LabelDatabase {
    /// True for failures that heal by themselves (a lock held too long, a full disk, a lost connection), which a
    /// `watch` daemon retries with backoff instead of exiting (`DatabaseError.isTransient`, the same on both engines).
    public func isTransient(_ error: any Error) -> Bool {
        (error as? DatabaseError)?.isTransient ?? false
    }

    /// Gets the database ready for work around `load` (the model), in the one order that writes nothing when the
    /// setup or the model is wrong (for SQLite not even the switch to WAL): every check (`checkSetup`), then
    /// `load`, and only then the first writes (`prepare`). `source` nil: a cache-only use (`lookup`, `serve`) that
    /// reads no source table.
    ///
    /// Why one function: `label`, `watch`, `lookup` and `serve` all open a database this way, and copies of an
    /// order drift apart.
    public func setUp<Loaded>(for source: SourceTable?, loading load: () throws -> Loaded) throws -> Loaded {
        try checkSetup(for: source)
        let loaded = try load()
        try prepare(for: source)
        return loaded
    }

    /// Every check that can fail on the user's setup, run before the first write so a refused command leaves the
    /// database as it was; without a `source`, only the schema version.
    public func checkSetup(for source: SourceTable?) throws {
        guard let source else { return try checkSchemaIsKnown() }
        try validate(source)
        try checkSchemaIsKnown()
        try checkLabelsBelong(to: source)
    }

    /// Brings querykind's tables up to date and creates the `<table>_labeled` view (without a `source`, only the
    /// tables): the first writes a command makes.
    public func prepare(for source: SourceTable?) throws {
        try migrate()
        if let source { try createView(for: source) }
    }
}
