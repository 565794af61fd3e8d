-- Pipeline health: the last runs, what was quarantined and why, and failing checks over time.
SELECT run_id, stage, status, started_at, finished_at, n_articles, n_events, n_quarantined FROM runs ORDER BY started_at DESC LIMIT 20;
SELECT stage, reason, count(*) AS inputs, sum(n_seen) AS times_seen, max(seen_at) AS last_seen
FROM quarantine GROUP BY ALL ORDER BY inputs DESC;
SELECT date_trunc('day', checked_at) AS day, suite, expectation, count(*) FILTER (WHERE NOT success) AS failures
FROM dq_results GROUP BY ALL HAVING failures > 0 ORDER BY day DESC, failures DESC;
