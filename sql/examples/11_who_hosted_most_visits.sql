-- Who hosted the most meetings that took place? (one v_actor_meetings row per actor and event)
SELECT actor, country, count(*) AS hosted
FROM v_actor_meetings
WHERE role = 'host' AND status = 'occurred'
GROUP BY actor_id, actor, country
ORDER BY hosted DESC, actor
LIMIT 20;
