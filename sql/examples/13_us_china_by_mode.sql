-- US-China meetings per month, by mode.
SELECT event_month, mode, count(*) AS meetings
FROM event_country_pairs
WHERE status = 'occurred' AND country_1 = 'China' AND country_2 = 'United States'
GROUP BY ALL
ORDER BY event_month DESC NULLS LAST, mode;
