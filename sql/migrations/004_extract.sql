-- 004: which articles were extracted with which extractor version, so the extract stage only does new work and
-- a new extractor version knows what to redo (an article with no meeting leaves no stg_mentions row).
CREATE TABLE IF NOT EXISTS article_extractions (
    article_id        VARCHAR PRIMARY KEY,
    extractor_version VARCHAR NOT NULL,
    n_mentions        INTEGER NOT NULL,
    extracted_at      TIMESTAMPTZ NOT NULL
);
