-- Planned meetings (the latest 200) and whether a meeting of the same participants was reported as occurred on or
-- after the planned date. (The 200 are picked first, so only they are looked up among the occurred events.)
WITH planned AS (
    SELECT event_id, event_date, participants FROM v_events
    WHERE status = 'planned'
    ORDER BY event_date DESC NULLS LAST, event_id
    LIMIT 200
)
SELECT p.event_id, p.event_date AS planned_for, p.participants, min(o.event_date) AS happened_on
FROM planned p
LEFT JOIN v_events o
       ON o.status = 'occurred' AND o.participants = p.participants AND o.event_date >= p.event_date
GROUP BY ALL
ORDER BY planned_for DESC NULLS LAST, p.event_id;
