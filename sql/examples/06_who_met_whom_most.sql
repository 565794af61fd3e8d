-- Who met whom most often? (occurred meetings; each unordered pair once)
SELECT actor_1, actor_2, count(DISTINCT event_id) AS meetings, min(event_date) AS first_met, max(event_date) AS last_met
FROM v_pairs
WHERE status = 'occurred'
GROUP BY ALL
ORDER BY meetings DESC, actor_1
LIMIT 20;
