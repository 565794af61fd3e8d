-- Meetings per country pair per month (both countries known and different; internal meetings are left out).
SELECT event_month, country_1 AS country_a, country_2 AS country_b, count(*) AS meetings
FROM event_country_pairs
WHERE status = 'occurred' AND event_month IS NOT NULL
GROUP BY ALL
ORDER BY event_month DESC, meetings DESC, country_a, country_b;
