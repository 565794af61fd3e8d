-- Who met whom, normalised: one row per unordered pair of participants of an event (actor_1 sorts first), with the
-- country pair in the same order and the month. Internal meetings are left out; filter on status as needed.
-- The rows are the event_pairs table, which every load keeps up (migration 011).
CREATE OR REPLACE VIEW v_pairs AS
SELECT event_id, event_date, event_month, mode, status, location, actor_1, actor_2, country_1, country_2,
       is_cross_border, actor_1_id, actor_2_id
FROM event_pairs;
