-- One row per (event, participant) with the actor's name, title and country: the easy join for "who met whom".
CREATE OR REPLACE VIEW v_event_participants AS
SELECT
    e.event_id, e.event_date, e.date_precision, e.mode, e.status, e.location,
    a.actor_id, a.name, coalesce(p.title, a.title) AS title, a.organization, a.country, p.role
FROM events e
JOIN event_participants p USING (event_id)
JOIN actors a USING (actor_id);
