-- querykind schema, version 1.
-- Applied by `querykind migrate` (and by `label`, `watch` and `lookup --db`) inside one transaction;
-- the applied version is recorded in querykind_migrations. Times are UTC ISO-8601 text.

-- One row per source row: its label, or why it could not be labeled.
CREATE TABLE query_labels (
    query_id   INTEGER PRIMARY KEY,             -- the source row's integer id
    kind       TEXT CHECK (kind IN ('keyword', 'question', 'statement')),  -- NULL only when error is set
    p_keyword  REAL,                            -- keyword head: P(keyword query)
    p_question REAL,                            -- question head: P(question)
    error      TEXT,                            -- why the row could not be labeled, else NULL
    model      TEXT NOT NULL,                   -- model id (name@sha256 prefix of config + weights)
    labeled_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    run_id     INTEGER REFERENCES label_runs (id),  -- the label_runs row that wrote it
    CHECK ((kind IS NULL) = (error IS NOT NULL))
);
CREATE INDEX query_labels_by_model_kind ON query_labels (model, kind);

-- Labels by normalized text (the tokenizer's canonical form of what the model sees), per model:
-- the same key always gives the same token ids, so a cached label is exactly what the model would say.
CREATE TABLE label_cache (
    model           TEXT NOT NULL,
    normalized_text TEXT NOT NULL,
    p_keyword       REAL NOT NULL,
    p_question      REAL NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('keyword', 'question', 'statement')),
    hits            INTEGER NOT NULL DEFAULT 0,  -- times served from the cache after the first inference
    first_seen      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    last_seen       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (model, normalized_text)
) WITHOUT ROWID;

-- One row per `label` pass or `watch` daemon: the job table, updated after every batch.
CREATE TABLE label_runs (
    id               INTEGER PRIMARY KEY,
    command          TEXT NOT NULL,             -- 'label' or 'watch'
    status           TEXT NOT NULL DEFAULT 'running'
                     CHECK (status IN ('running', 'finished', 'failed', 'interrupted')),
    started_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),  -- last batch written
    ended_at         TEXT,
    model            TEXT NOT NULL,
    source_table     TEXT NOT NULL,
    text_column      TEXT NOT NULL,
    id_column        TEXT NOT NULL,
    relabel          INTEGER NOT NULL DEFAULT 0,
    host             TEXT NOT NULL,             -- with pid: tells a crashed run from one still going
    pid              INTEGER NOT NULL,
    rows_scanned     INTEGER NOT NULL DEFAULT 0,
    rows_labeled     INTEGER NOT NULL DEFAULT 0,
    cache_hits       INTEGER NOT NULL DEFAULT 0,
    inferences       INTEGER NOT NULL DEFAULT 0,
    rows_with_errors INTEGER NOT NULL DEFAULT 0,
    error            TEXT                       -- why a 'failed' run stopped
);
