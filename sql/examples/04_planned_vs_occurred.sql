-- Planned meetings and whether a matching occurred meeting of the same participants was reported later.
SELECT p.event_id, p.event_date AS planned_for, p.participants,
       (SELECT min(o.event_date) FROM v_events o
        WHERE o.status = 'occurred' AND o.participants = p.participants AND o.event_date >= p.event_date) AS happened_on
FROM v_events p
WHERE p.status = 'planned'
ORDER BY p.event_date;
