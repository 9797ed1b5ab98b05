-- querykind schema for PostgreSQL, version 2: people's reviews of labels, as in the SQLite schema
-- (../003_reviews.sql): keyed by the cache's normalized text; the highest id of a key is its current review.

-- Each labeled row's cache key, written with its label (NULL for an error row and for rows labeled before).
ALTER TABLE query_labels ADD COLUMN normalized_text text;
CREATE INDEX query_labels_by_text ON query_labels (normalized_text);

-- One row per review: what a person said the text's kind is, and what the model said when they said it.
CREATE TABLE query_reviews (
    id              bigserial PRIMARY KEY,
    normalized_text text NOT NULL CHECK (normalized_text <> ''),
    kind            text NOT NULL CHECK (kind IN ('keyword', 'question', 'statement')),
    reviewer        text NOT NULL CHECK (reviewer <> ''),
    reviewed_at     timestamptz NOT NULL DEFAULT now(),
    model           text,
    model_kind      text CHECK (model_kind IN ('keyword', 'question', 'statement')),
    p_keyword       double precision,
    p_question      double precision,
    note            text
);
CREATE INDEX query_reviews_by_text ON query_reviews (normalized_text, id);
