-- 005: the scope of an event: internal (one government's or party's own meeting: a cabinet, a committee, a party
-- conference), bilateral or multilateral. Internal meetings are kept and marked; pair views leave them out.
-- NULL for events extracted before extractor 0.6.2 (re-extraction fills it).
ALTER TABLE events ADD COLUMN IF NOT EXISTS scope VARCHAR;
