-- Who met whom, normalised: one row per unordered pair of participants of an event (actor_1 sorts first), with the
-- country pair in the same order and the month. Internal meetings are left out; filter on status as needed.
CREATE OR REPLACE VIEW v_pairs AS
SELECT
    e.event_id, e.event_date, CAST(date_trunc('month', e.event_date) AS DATE) AS event_month, e.mode, e.status,
    e.location,
    least(a1.name, a2.name) AS actor_1,
    greatest(a1.name, a2.name) AS actor_2,
    CASE WHEN a1.name <= a2.name THEN a1.country ELSE a2.country END AS country_1,
    CASE WHEN a1.name <= a2.name THEN a2.country ELSE a1.country END AS country_2,
    coalesce(a1.country <> a2.country, false) AS is_cross_border      -- both countries known and different
FROM events e
JOIN event_participants p1 ON p1.event_id = e.event_id
JOIN event_participants p2 ON p2.event_id = e.event_id AND p1.actor_id < p2.actor_id
JOIN actors a1 ON a1.actor_id = p1.actor_id
JOIN actors a2 ON a2.actor_id = p2.actor_id
WHERE coalesce(e.scope, '') <> 'internal';
