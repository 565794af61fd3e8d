-- US-China meetings per month, by mode.
SELECT event_month, mode, count(DISTINCT event_id) AS meetings
FROM v_pairs
WHERE status = 'occurred'
  AND ((country_1 = 'United States' AND country_2 = 'China') OR (country_1 = 'China' AND country_2 = 'United States'))
GROUP BY ALL
ORDER BY event_month DESC NULLS LAST, mode;
