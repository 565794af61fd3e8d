-- One row per actor per meeting, with the other side: "all meetings of a person" is one WHERE on `actor`.
CREATE OR REPLACE VIEW v_actor_meetings AS
SELECT
    e.event_id, e.event_date, e.date_precision, e.mode, e.status, e.scope, e.location,
    a.actor_id, a.name AS actor, coalesce(p.title, a.title) AS title, a.country, p.role,
    coalesce(list(DISTINCT o.name ORDER BY o.name) FILTER (WHERE o.name IS NOT NULL), []::VARCHAR[]) AS other_side,
    coalesce(list(DISTINCT o.country ORDER BY o.country) FILTER (WHERE o.country IS NOT NULL),
             []::VARCHAR[]) AS other_countries
FROM events e
JOIN event_participants p ON p.event_id = e.event_id
JOIN actors a ON a.actor_id = p.actor_id
LEFT JOIN event_participants p2 ON p2.event_id = e.event_id AND p2.actor_id <> p.actor_id
LEFT JOIN actors o ON o.actor_id = p2.actor_id
GROUP BY ALL;
