-- Who met whom: one row per unordered pair of participants of an occurred event (internal meetings left out).
CREATE OR REPLACE VIEW v_meeting_pairs AS
SELECT
    e.event_id, e.event_date, e.date_precision, e.mode, e.location,
    a1.name AS actor_a, a1.country AS country_a,
    a2.name AS actor_b, a2.country AS country_b
FROM events e
JOIN event_participants p1 ON p1.event_id = e.event_id
JOIN event_participants p2 ON p2.event_id = e.event_id AND p1.actor_id < p2.actor_id
JOIN actors a1 ON a1.actor_id = p1.actor_id
JOIN actors a2 ON a2.actor_id = p2.actor_id
WHERE e.status = 'occurred' AND coalesce(e.scope, '') <> 'internal';
