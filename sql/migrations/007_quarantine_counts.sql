-- 007: one quarantine row per (url, stage, reason). The same failure seen again counts on its row (n_seen), moves
-- seen_at (the last time it was seen, with that run's run_id and detail) and keeps first_seen_at, instead of adding
-- a row per run: a page that fails every hour is one problem, not 24 a day.
ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS n_seen INTEGER DEFAULT 1;
ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS first_seen_at TIMESTAMPTZ;
UPDATE quarantine SET first_seen_at = seen_at, n_seen = 1;
-- fold the repeats recorded before this migration into the earliest row of each (url, stage, reason)
UPDATE quarantine AS q SET n_seen = d.n, seen_at = d.last_at, first_seen_at = d.first_at
FROM (SELECT min(quarantine_id) AS keep_id, count(*) AS n, min(seen_at) AS first_at, max(seen_at) AS last_at
      FROM quarantine GROUP BY url, stage, reason) AS d
WHERE q.quarantine_id = d.keep_id;
DELETE FROM quarantine
WHERE quarantine_id NOT IN (SELECT min(quarantine_id) FROM quarantine GROUP BY url, stage, reason);
