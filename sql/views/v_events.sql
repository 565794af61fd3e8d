-- One row per event, for analysts: who, when, where, how, and how many articles report it.
CREATE OR REPLACE VIEW v_events AS
SELECT
    e.event_id,
    e.event_date,
    e.date_precision,
    e.date_from,                                                                -- first and last day the date can mean
    e.date_to,
    e.location,
    e.venue,
    e.mode,
    e.status,
    e.scope,                                                                    -- internal | bilateral | multilateral
    coalesce(e.scope = 'internal', false)                                       AS is_internal,
    coalesce((SELECT list(a.name ORDER BY a.name)
              FROM event_participants p JOIN actors a USING (actor_id)
              WHERE p.event_id = e.event_id), []::VARCHAR[])                    AS participants,
    coalesce((SELECT list(t.topic ORDER BY t.topic)
              FROM event_topics t WHERE t.event_id = e.event_id), []::VARCHAR[]) AS topics,
    (SELECT count(DISTINCT ea.article_id)
     FROM event_articles ea WHERE ea.event_id = e.event_id)                     AS n_articles,
    (SELECT count(DISTINCT coalesce(a.source, a.canonical_url))
     FROM event_articles ea JOIN articles a USING (article_id)
     WHERE ea.event_id = e.event_id)                                            AS n_sources,
    (SELECT min(a.published_at)
     FROM event_articles ea JOIN articles a USING (article_id)
     WHERE ea.event_id = e.event_id)                                            AS first_reported_at,
    e.confidence,
    e.evidence,
    e.extractor_version,
    e.updated_at
FROM events e;
