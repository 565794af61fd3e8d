-- One row per event, for analysts: who, when, where, how, and how many articles report it. The per-event figures
-- are kept on the event row by every load (migration 009), so filtering a million events stays fast.
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
    coalesce(e.participants, []::VARCHAR[])                                     AS participants,
    coalesce(e.topics, []::VARCHAR[])                                           AS topics,
    coalesce(e.n_articles, 0)                                                   AS n_articles,
    coalesce(e.n_sources, 0)                                                    AS n_sources,   -- distinct outlets
    e.first_reported_at,                                                        -- earliest article reporting it
    e.confidence,
    e.evidence,
    e.extractor_version,
    e.updated_at
FROM events e;
