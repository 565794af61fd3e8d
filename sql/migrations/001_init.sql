-- 001: the core tables. Keys are stable hashes of what identifies a row (see meetwire.ids), so loads are
-- idempotent upserts and reprocessing updates rows instead of adding new ones.

CREATE TABLE IF NOT EXISTS feeds (
    feed_id          VARCHAR PRIMARY KEY,          -- hash of the configured url
    url              VARCHAR NOT NULL,
    name             VARCHAR,
    tags             VARCHAR[],
    schedule_hint    VARCHAR,
    etag             VARCHAR,
    last_modified    VARCHAR,                      -- the header verbatim: it is echoed back in If-Modified-Since
    last_status      INTEGER,
    last_fetched_at  TIMESTAMPTZ,
    retry_after_at   TIMESTAMPTZ,                  -- do not fetch before this (Retry-After, backoff)
    is_enabled       BOOLEAN NOT NULL DEFAULT TRUE,
    disabled_reason  VARCHAR,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

-- Every fetched document (feed or page) as archived raw bytes; `raw_ref` points into the archive.
CREATE TABLE IF NOT EXISTS raw_documents (
    raw_ref          VARCHAR PRIMARY KEY,          -- content address: sha256 of the bytes
    url              VARCHAR NOT NULL,
    final_url        VARCHAR,
    kind             VARCHAR NOT NULL,             -- feed | page | text
    status_code      INTEGER,
    content_type     VARCHAR,
    n_bytes          BIGINT,
    feed_id          VARCHAR,
    fetched_at       TIMESTAMPTZ NOT NULL
);

-- Entries seen in feeds, before the article page is fetched and cleaned.
CREATE TABLE IF NOT EXISTS stg_entries (
    entry_id         VARCHAR PRIMARY KEY,          -- hash of the canonical url
    feed_id          VARCHAR,
    url              VARCHAR NOT NULL,
    canonical_url    VARCHAR NOT NULL,
    title            VARCHAR,
    summary          VARCHAR,
    content          VARCHAR,                      -- the feed's own content, used when the page cannot be fetched
    published_at     TIMESTAMPTZ,
    seen_at          TIMESTAMPTZ NOT NULL,
    is_processed     BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE IF NOT EXISTS articles (
    article_id       VARCHAR PRIMARY KEY,          -- hash of canonical_url
    url              VARCHAR NOT NULL,
    canonical_url    VARCHAR NOT NULL UNIQUE,
    feed_id          VARCHAR,
    title            VARCHAR,
    source           VARCHAR,                      -- publisher / agency
    published_at     TIMESTAMPTZ,
    fetched_at       TIMESTAMPTZ NOT NULL,
    language         VARCHAR,
    content_sha256   VARCHAR NOT NULL,
    simhash          UBIGINT,
    duplicate_of     VARCHAR,                      -- article_id of the original when this is a (near) duplicate
    raw_ref          VARCHAR,
    text_source      VARCHAR NOT NULL,             -- page | feed | file: where `text` came from
    text             VARCHAR NOT NULL,
    cleaned_at       TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS actors (
    actor_id         VARCHAR PRIMARY KEY,
    name             VARCHAR NOT NULL,
    title            VARCHAR,
    organization     VARCHAR,
    country          VARCHAR,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS actor_aliases (
    alias            VARCHAR NOT NULL,
    actor_id         VARCHAR NOT NULL,
    PRIMARY KEY (alias, actor_id)
);

-- What the extractor said about each article, before merging across articles: the input of the merge step,
-- so events can be rebuilt for any window without re-parsing.
CREATE TABLE IF NOT EXISTS stg_mentions (
    article_id        VARCHAR NOT NULL,
    mention_idx       INTEGER NOT NULL,
    extractor_version VARCHAR NOT NULL,
    event_json        JSON NOT NULL,
    extracted_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (article_id, mention_idx)
);

CREATE TABLE IF NOT EXISTS events (
    event_id          VARCHAR PRIMARY KEY,
    event_date        DATE,                         -- first day of the month/year when less precise
    date_precision    VARCHAR NOT NULL,             -- day | month | year | unknown
    location          VARCHAR,
    venue             VARCHAR,
    mode              VARCHAR NOT NULL,             -- in_person | phone | virtual | visit | multilateral | unknown
    status            VARCHAR NOT NULL,             -- occurred | planned | cancelled
    confidence        DOUBLE,
    evidence          VARCHAR,                      -- the best evidence sentence
    keywords          VARCHAR[],
    extractor_version VARCHAR NOT NULL,
    first_seen_at     TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS event_participants (
    event_id          VARCHAR NOT NULL,
    actor_id          VARCHAR NOT NULL,
    role              VARCHAR,                      -- host | guest | participant
    title             VARCHAR,                      -- the title as reported for this event
    PRIMARY KEY (event_id, actor_id)
);

CREATE TABLE IF NOT EXISTS event_topics (
    event_id          VARCHAR NOT NULL,
    topic             VARCHAR NOT NULL,
    PRIMARY KEY (event_id, topic)
);

CREATE TABLE IF NOT EXISTS event_articles (
    event_id          VARCHAR NOT NULL,
    article_id        VARCHAR NOT NULL,
    evidence          VARCHAR NOT NULL,
    start_char        INTEGER,
    end_char          INTEGER,
    PRIMARY KEY (event_id, article_id)
);

CREATE TABLE IF NOT EXISTS runs (
    run_id            VARCHAR PRIMARY KEY,
    stage             VARCHAR NOT NULL,             -- run | ingest | extract | quality | reprocess
    started_at        TIMESTAMPTZ NOT NULL,
    finished_at       TIMESTAMPTZ,
    status            VARCHAR NOT NULL,             -- running | success | failed
    n_feeds           INTEGER,
    n_fetched         INTEGER,
    n_articles        INTEGER,
    n_events          INTEGER,
    n_quarantined     INTEGER,
    detail            JSON
);

CREATE TABLE IF NOT EXISTS dq_results (
    run_id            VARCHAR NOT NULL,
    suite             VARCHAR NOT NULL,
    expectation       VARCHAR NOT NULL,             -- expectation type plus its column, e.g. expect_column_values_to_not_be_null(event_id)
    success           BOOLEAN NOT NULL,
    observed_value    VARCHAR,
    severity          VARCHAR NOT NULL,             -- warn | fail
    checked_at        TIMESTAMPTZ NOT NULL,
    details           JSON
);

CREATE SEQUENCE IF NOT EXISTS quarantine_seq;
CREATE TABLE IF NOT EXISTS quarantine (
    quarantine_id     BIGINT PRIMARY KEY DEFAULT nextval('quarantine_seq'),
    url               VARCHAR,
    stage             VARCHAR NOT NULL,             -- fetch | feed | clean | extract | load
    reason            VARCHAR NOT NULL,             -- short machine-readable reason, e.g. http_500, too_large, bad_xml
    detail            VARCHAR,
    run_id            VARCHAR,
    seen_at           TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS alerts (
    run_id            VARCHAR NOT NULL,
    suite             VARCHAR NOT NULL,
    state             VARCHAR NOT NULL,             -- failing | recovered
    severity          VARCHAR NOT NULL,
    n_failed          INTEGER NOT NULL,
    consecutive_failures INTEGER NOT NULL,
    sinks             VARCHAR[],
    payload           JSON,
    sent_at           TIMESTAMPTZ NOT NULL
);
