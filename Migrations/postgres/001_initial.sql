-- querykind schema for PostgreSQL, version 1: the same tables and meanings as the SQLite schema (../001_initial.sql
-- and ../002_run_retries.sql), plus the lease bookkeeping that lets many workers label one table.
-- Applied by `querykind migrate` (and by `label` and `watch`) inside one transaction; recorded in querykind_migrations.

-- One row per `label` pass or `watch` daemon: the job table, updated after every batch.
CREATE TABLE label_runs (
    id               bigserial PRIMARY KEY,
    command          text NOT NULL,             -- 'label' or 'watch'
    status           text NOT NULL DEFAULT 'running'
                     CHECK (status IN ('running', 'finished', 'failed', 'interrupted')),
    started_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),  -- last batch written
    heartbeat_at     timestamptz NOT NULL DEFAULT now(),  -- when the run last renewed its lease
    lease_expires_at timestamptz NOT NULL DEFAULT now(),  -- its claims are its own until then; renewed while it lives
    ended_at         timestamptz,
    model            text NOT NULL,
    source_table     text NOT NULL,
    text_column      text NOT NULL,
    id_column        text NOT NULL,
    relabel          boolean NOT NULL DEFAULT false,
    host             text NOT NULL,
    pid              bigint NOT NULL,
    rows_scanned     bigint NOT NULL DEFAULT 0,
    rows_labeled     bigint NOT NULL DEFAULT 0,
    cache_hits       bigint NOT NULL DEFAULT 0,
    inferences       bigint NOT NULL DEFAULT 0,
    rows_with_errors bigint NOT NULL DEFAULT 0,
    retries          integer NOT NULL DEFAULT 0,  -- transient failures a `watch` daemon retried
    last_error       text,
    last_error_at    timestamptz,
    error            text                         -- why a 'failed' run stopped
);
CREATE INDEX label_runs_lease ON label_runs (lease_expires_at);

-- One row per source row: its label, or why it could not be labeled.
CREATE TABLE query_labels (
    query_id   bigint PRIMARY KEY,               -- the source row's integer id
    kind       text CHECK (kind IN ('keyword', 'question', 'statement')),  -- NULL only when error is set
    p_keyword  double precision,                 -- keyword head: P(keyword query)
    p_question double precision,                 -- question head: P(question)
    error      text,                             -- why the row could not be labeled, else NULL
    model      text NOT NULL,                    -- model id (name@sha256 prefix of every file that changes a label)
    labeled_at timestamptz NOT NULL DEFAULT now(),
    run_id     bigint REFERENCES label_runs (id),
    CHECK ((kind IS NULL) = (error IS NOT NULL))
);
CREATE INDEX query_labels_by_model_kind ON query_labels (model, kind);

-- Labels by normalized text, per model (see the SQLite schema): shared by every worker, written with
-- INSERT ... ON CONFLICT so workers never fight over an entry.
CREATE TABLE label_cache (
    model           text NOT NULL,
    normalized_text text NOT NULL,
    p_keyword       double precision NOT NULL,
    p_question      double precision NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('keyword', 'question', 'statement')),
    hits            bigint NOT NULL DEFAULT 0,
    first_seen      timestamptz NOT NULL DEFAULT now(),
    last_seen       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model, normalized_text)
);

-- Claims: a source row a worker is labeling, held under its run's lease (label_runs.lease_expires_at, one row
-- to renew however many rows the run holds). Claimed in a short transaction, deleted in the transaction that
-- writes the row's label. A row whose run's lease lapsed is claimable again; after a few lapsed claims it gets
-- an error row instead (a row that kills its workers must not stall the table).
CREATE TABLE label_claims (
    query_id bigint PRIMARY KEY,
    run_id   bigint NOT NULL REFERENCES label_runs (id),
    model    text NOT NULL,
    attempts integer NOT NULL DEFAULT 1
);
CREATE INDEX label_claims_by_run ON label_claims (run_id);

-- Where claiming resumes: every source row with an id at or below low_id was labeled, or claimed (and so in
-- label_claims), when a worker last moved it. Claims scan forward from here instead of from the table's start;
-- a pass's last claim rescans from the start once, for rows whose insert committed after the frontier passed.
CREATE TABLE label_frontier (
    source_table text NOT NULL,
    model        text NOT NULL,
    relabel      boolean NOT NULL,
    low_id       bigint,
    PRIMARY KEY (source_table, model, relabel)
);
