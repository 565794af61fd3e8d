-- Planned meetings (the latest 200) and whether a meeting of the same participants was reported as occurred on or
-- after the planned date.
SELECT p.event_id, p.event_date AS planned_for, p.participants, min(o.event_date) AS happened_on
FROM v_events p
LEFT JOIN v_events o
       ON o.status = 'occurred' AND o.participants = p.participants AND o.event_date >= p.event_date
WHERE p.status = 'planned'
GROUP BY ALL
ORDER BY p.event_date DESC NULLS LAST, p.event_id
LIMIT 200;
