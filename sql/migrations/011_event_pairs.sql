-- 011: who met whom, and each actor's meetings, kept as rows that every load refreshes
-- (meetwire.pipeline.refresh_event_rollups) instead of joins computed per query: over a million events the pair
-- questions took a second or more and one person's meetings most of a second, now tens of milliseconds.
-- Internal meetings are left out of the two pair tables, as the pair views always did.
-- event_pairs: one row per event and unordered pair of its participants (actor_1 is the one whose name sorts first).
CREATE TABLE IF NOT EXISTS event_pairs (
    event_id VARCHAR NOT NULL,
    actor_1_id VARCHAR NOT NULL,
    actor_2_id VARCHAR NOT NULL,
    actor_1 VARCHAR,
    actor_2 VARCHAR,
    country_1 VARCHAR,
    country_2 VARCHAR,
    is_cross_border BOOLEAN,
    event_date DATE,
    event_month DATE,
    date_precision VARCHAR,
    mode VARCHAR,
    status VARCHAR,
    location VARCHAR
);
-- event_country_pairs: one row per event and unordered pair of different countries among its participants
-- (country_1 sorts first), so "meetings between two countries" is a count of rows.
CREATE TABLE IF NOT EXISTS event_country_pairs (
    event_id VARCHAR NOT NULL,
    country_1 VARCHAR NOT NULL,
    country_2 VARCHAR NOT NULL,
    event_date DATE,
    event_month DATE,
    mode VARCHAR,
    status VARCHAR,
    location VARCHAR
);
-- actor_meetings: one row per actor per event, with the other participants (the rows of v_actor_meetings).
CREATE TABLE IF NOT EXISTS actor_meetings (
    event_id VARCHAR NOT NULL,
    event_date DATE,
    date_precision VARCHAR,
    mode VARCHAR,
    status VARCHAR,
    scope VARCHAR,
    location VARCHAR,
    actor_id VARCHAR NOT NULL,
    actor VARCHAR,
    title VARCHAR,
    country VARCHAR,
    role VARCHAR,
    other_side VARCHAR[],
    other_countries VARCHAR[]
);
INSERT INTO event_pairs
SELECT e.event_id,
       CASE WHEN a1.name <= a2.name THEN a1.actor_id ELSE a2.actor_id END,
       CASE WHEN a1.name <= a2.name THEN a2.actor_id ELSE a1.actor_id END,
       least(a1.name, a2.name), greatest(a1.name, a2.name),
       CASE WHEN a1.name <= a2.name THEN a1.country ELSE a2.country END,
       CASE WHEN a1.name <= a2.name THEN a2.country ELSE a1.country END,
       coalesce(a1.country <> a2.country, false),
       e.event_date, CAST(date_trunc('month', e.event_date) AS DATE), e.date_precision, e.mode, e.status, e.location
FROM events e
JOIN event_participants p1 ON p1.event_id = e.event_id
JOIN event_participants p2 ON p2.event_id = e.event_id AND p1.actor_id < p2.actor_id
JOIN actors a1 ON a1.actor_id = p1.actor_id
JOIN actors a2 ON a2.actor_id = p2.actor_id
WHERE coalesce(e.scope, '') <> 'internal';
INSERT INTO event_country_pairs
SELECT DISTINCT event_id, least(country_1, country_2), greatest(country_1, country_2), event_date, event_month, mode,
       status, location
FROM event_pairs WHERE is_cross_border;
INSERT INTO actor_meetings
SELECT e.event_id, e.event_date, e.date_precision, e.mode, e.status, e.scope, e.location,
       a.actor_id, a.name, coalesce(p.title, a.title), a.country, p.role,
       list_sort(list_distinct([x.name FOR x IN coalesce(e.parties, []) IF x.actor_id <> p.actor_id])),
       list_sort(list_distinct([x.country FOR x IN coalesce(e.parties, [])
                                IF x.actor_id <> p.actor_id AND x.country IS NOT NULL]))
FROM events e
JOIN event_participants p ON p.event_id = e.event_id
JOIN actors a ON a.actor_id = p.actor_id;
