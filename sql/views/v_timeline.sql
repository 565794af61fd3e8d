-- Dated events per week, by mode and status (the week starts on Monday).
CREATE OR REPLACE VIEW v_timeline AS
SELECT
    CAST(date_trunc('week', e.event_date) AS DATE) AS week, e.mode, e.status,
    count(*) AS events,
    count(*) FILTER (WHERE e.scope = 'internal') AS internal_events
FROM events e
WHERE e.event_date IS NOT NULL
GROUP BY ALL;
