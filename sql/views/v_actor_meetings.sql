-- One row per actor per meeting, with the other side. The rows are the actor_meetings table, which every load keeps
-- up (migration 011), so "all meetings of one person" reads a few rows instead of joining every event.
CREATE OR REPLACE VIEW v_actor_meetings AS
SELECT event_id, event_date, date_precision, mode, status, scope, location, actor_id, actor, title, country, role,
       other_side, other_countries
FROM actor_meetings;
