-- Which countries' officials meet most often (occurred meetings only)? event_country_pairs holds one row per
-- event and pair of different countries, so counting rows counts meetings.
SELECT country_1, country_2, count(*) AS meetings, min(event_date) AS first_seen, max(event_date) AS last_seen
FROM event_country_pairs
WHERE status = 'occurred'
GROUP BY ALL
ORDER BY meetings DESC, country_1, country_2;
