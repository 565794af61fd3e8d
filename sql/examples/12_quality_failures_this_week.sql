-- Data-quality checks that failed in the last 7 days, most recent first.
SELECT checked_at, suite, expectation, severity, observed_value, run_id
FROM dq_results
WHERE NOT success AND checked_at >= now() - INTERVAL 7 DAY
ORDER BY checked_at DESC;
