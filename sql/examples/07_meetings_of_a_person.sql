-- All meetings of one person, under any of their names (change the pattern): date, mode, status, the other side.
SELECT m.event_date, m.mode, m.status, m.actor, m.role, m.other_side, m.location
FROM v_actor_meetings m
WHERE m.actor_id IN (SELECT actor_id FROM actor_aliases WHERE alias ILIKE '%Campbell%'
                     UNION SELECT actor_id FROM actors WHERE name ILIKE '%Campbell%')
ORDER BY m.event_date NULLS LAST;
