-- querykind schema, version 3: people's reviews of labels. A review is keyed by the cache's normalized text, so one
-- review covers every row, and every future query, with that key; the latest review of a key (highest id) is the
-- one that counts, earlier ones stay (history, agreement between reviewers).

-- Each labeled row's cache key, written with its label, so a review reaches every row with the same key (NULL for
-- a row that could not be labeled, and for rows labeled before version 3 until they are labeled again).
ALTER TABLE query_labels ADD COLUMN normalized_text TEXT;
CREATE INDEX query_labels_by_text ON query_labels (normalized_text);

-- One row per review: what a person said the text's kind is, and what the model said when they said it.
CREATE TABLE query_reviews (
    id              INTEGER PRIMARY KEY,        -- recording order: the highest id of a key is its current review
    normalized_text TEXT NOT NULL CHECK (normalized_text <> ''),
    kind            TEXT NOT NULL CHECK (kind IN ('keyword', 'question', 'statement')),
    reviewer        TEXT NOT NULL CHECK (reviewer <> ''),
    reviewed_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    model           TEXT,                       -- the model id whose label the reviewer saw, NULL if none
    model_kind      TEXT CHECK (model_kind IN ('keyword', 'question', 'statement')),  -- that label, as shown
    p_keyword       REAL,
    p_question      REAL,
    note            TEXT
);
CREATE INDEX query_reviews_by_text ON query_reviews (normalized_text, id);
