-- Every meeting of one person, by any of their name variants (replace 'Campbell').
SELECT e.event_date, e.date_precision, e.mode, e.status, e.participants, e.topics, e.n_articles
FROM v_events e
WHERE e.event_id IN (
    SELECT p.event_id FROM event_participants p JOIN actor_aliases a USING (actor_id) WHERE a.alias ILIKE '%Campbell%'
)
ORDER BY e.event_date;
