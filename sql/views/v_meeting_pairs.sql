-- Who met whom: one row per unordered pair of participants of an occurred event (internal meetings left out).
-- The older shape of v_pairs, kept for queries written against it.
CREATE OR REPLACE VIEW v_meeting_pairs AS
SELECT event_id, event_date, date_precision, mode, location,
       actor_1 AS actor_a, country_1 AS country_a, actor_2 AS actor_b, country_2 AS country_b
FROM event_pairs
WHERE status = 'occurred';
