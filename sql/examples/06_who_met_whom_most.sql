-- Who met whom most often? (occurred meetings; each unordered pair once per event, so counting rows counts meetings)
SELECT actor_1, actor_2, count(*) AS meetings, min(event_date) AS first_met, max(event_date) AS last_met
FROM v_pairs
WHERE status = 'occurred'
GROUP BY actor_1_id, actor_2_id, actor_1, actor_2
ORDER BY meetings DESC, actor_1, actor_2
LIMIT 20;
