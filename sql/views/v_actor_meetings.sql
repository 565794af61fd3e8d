-- One row per actor per meeting, with the other side: "all meetings of a person" is one WHERE on `actor`.
-- The other side is read from the event's parties (kept on the event row by every load, migration 010), so a
-- filter on the actor is applied before anything else is read.
CREATE OR REPLACE VIEW v_actor_meetings AS
SELECT
    e.event_id, e.event_date, e.date_precision, e.mode, e.status, e.scope, e.location,
    a.actor_id, a.name AS actor, coalesce(p.title, a.title) AS title, a.country, p.role,
    list_sort(list_distinct([x.name FOR x IN coalesce(e.parties, []) IF x.actor_id <> p.actor_id])) AS other_side,
    list_sort(list_distinct([x.country FOR x IN coalesce(e.parties, [])
                             IF x.actor_id <> p.actor_id AND x.country IS NOT NULL])) AS other_countries
FROM events e
JOIN event_participants p ON p.event_id = e.event_id
JOIN actors a ON a.actor_id = p.actor_id;
