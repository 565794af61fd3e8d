-- 010: each event row also keeps its parties (actor id, name, country, role), refreshed with the other per-event
-- figures by every load (meetwire.pipeline.refresh_event_rollups), so "all meetings of one person" reads the other
-- side from the event row instead of joining every participant to every other one (seconds over a million events).
ALTER TABLE events ADD COLUMN IF NOT EXISTS parties STRUCT(actor_id VARCHAR, name VARCHAR, country VARCHAR, role VARCHAR)[];
UPDATE events AS e SET parties = r.parties
FROM (SELECT p.event_id,
             list({'actor_id': a.actor_id, 'name': a.name, 'country': a.country, 'role': p.role}
                  ORDER BY a.name, a.actor_id) AS parties
      FROM event_participants p JOIN actors a USING (actor_id) GROUP BY 1) AS r
WHERE e.event_id = r.event_id;
UPDATE events SET parties = [] WHERE parties IS NULL;
