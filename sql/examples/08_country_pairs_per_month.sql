-- Meetings per country pair per month (both countries known and different; internal meetings are not in v_pairs).
SELECT event_month, least(country_1, country_2) AS country_a, greatest(country_1, country_2) AS country_b,
       count(DISTINCT event_id) AS meetings
FROM v_pairs
WHERE is_cross_border AND status = 'occurred' AND event_month IS NOT NULL
GROUP BY ALL
ORDER BY event_month DESC, meetings DESC;
