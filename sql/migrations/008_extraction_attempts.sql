-- 008: failed extractions are recorded, so an article the extractor cannot read is tried a few times and then left
-- alone until a new extractor version (not re-quarantined on every run). n_failures counts the failed attempts with
-- extractor_version; 0 for a successful extraction.
ALTER TABLE article_extractions ADD COLUMN IF NOT EXISTS n_failures INTEGER DEFAULT 0;
ALTER TABLE article_extractions ADD COLUMN IF NOT EXISTS last_error VARCHAR;
