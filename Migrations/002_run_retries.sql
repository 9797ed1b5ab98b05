-- querykind schema, version 2: a `watch` daemon's transient failures (a lock held past the busy timeout,
-- a full disk, an I/O error), which it retries with backoff instead of exiting, visible with plain SQL.
ALTER TABLE label_runs ADD COLUMN retries INTEGER NOT NULL DEFAULT 0;  -- transient failures retried so far
ALTER TABLE label_runs ADD COLUMN last_error TEXT;                     -- the latest one, kept after recovery
ALTER TABLE label_runs ADD COLUMN last_error_at TEXT;                  -- when it happened (UTC)
