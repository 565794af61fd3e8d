-- 002: what ingestion keeps about feed entries beyond 001: the entry's guid and the publisher the feed names
-- (RSS <source>), used as the article's source when the page does not name one, also after a restart.
ALTER TABLE stg_entries ADD COLUMN IF NOT EXISTS guid VARCHAR;
ALTER TABLE stg_entries ADD COLUMN IF NOT EXISTS source VARCHAR;
