-- The sentences that report each event, with the article they come from (for checking rows by hand): the latest
-- 100 events; add `WHERE e.event_id = '...'` for one event.
SELECT e.event_id, e.event_date, e.participants, a.source, a.canonical_url, ea.evidence, ea.start_char, ea.end_char
FROM (SELECT * FROM v_events ORDER BY event_date DESC NULLS LAST, event_id LIMIT 100) e
JOIN event_articles ea USING (event_id)
JOIN articles a USING (article_id)
ORDER BY e.event_date DESC NULLS LAST, e.event_id;
