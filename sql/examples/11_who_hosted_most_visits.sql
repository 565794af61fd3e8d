-- Who hosted the most visits and in-person meetings?
SELECT actor, country, count(DISTINCT event_id) AS hosted
FROM v_actor_meetings
WHERE role = 'host' AND status = 'occurred'
GROUP BY ALL
ORDER BY hosted DESC
LIMIT 20;
