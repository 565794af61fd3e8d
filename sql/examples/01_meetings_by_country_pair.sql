-- Which countries' officials meet most often (occurred meetings only)?
SELECT least(country_a, country_b) AS country_1, greatest(country_a, country_b) AS country_2,
       count(DISTINCT event_id) AS meetings, min(event_date) AS first_seen, max(event_date) AS last_seen
FROM v_meeting_pairs
WHERE country_a IS NOT NULL AND country_b IS NOT NULL AND country_a <> country_b
GROUP BY ALL
ORDER BY meetings DESC;
