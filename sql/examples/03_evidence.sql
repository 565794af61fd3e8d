-- The sentences that report each event, with the article they come from (for checking a row by hand).
SELECT e.event_id, e.event_date, e.participants, a.source, a.canonical_url, ea.evidence, ea.start_char, ea.end_char
FROM v_events e
JOIN event_articles ea USING (event_id)
JOIN articles a USING (article_id)
ORDER BY e.event_date, e.event_id;
