-- Events reported by only one source: the ones to double-check, least confident first (the first 100).
SELECT event_date, mode, status, participants, n_articles, n_sources, confidence, evidence
FROM v_events
WHERE n_sources = 1
ORDER BY confidence, event_date DESC NULLS LAST
LIMIT 100;
