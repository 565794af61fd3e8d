-- Which outlets reported meetings: events and articles per source, first and last publication.
CREATE OR REPLACE VIEW v_sources AS
SELECT
    coalesce(a.source, 'unknown') AS source,
    count(DISTINCT ea.event_id) AS events,
    count(DISTINCT ea.article_id) AS articles,
    min(a.published_at) AS first_published_at,
    max(a.published_at) AS last_published_at
FROM event_articles ea
JOIN articles a ON a.article_id = ea.article_id
GROUP BY ALL;
