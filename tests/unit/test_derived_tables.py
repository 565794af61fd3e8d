"""The tables every load keeps up for the questions over many events (migration 011): event_pairs,
event_country_pairs and actor_meetings follow the events, their participants and the actors' names, on both
storage backends."""

from datetime import datetime, timezone

from meetwire import pipeline, store

NOW = datetime(2024, 6, 1, tzinfo=timezone.utc)


def _person(actor_id, name, country, role="participant"):
    return {"actor_id": actor_id, "name": name, "country": country, "role": role}


def _event(event_id, participants, scope="bilateral", status="occurred", date="2024-05-30"):
    return {"event_id": event_id, "date": date, "mode": "in_person", "status": status, "scope": scope,
            "evidence": "They met.", "participants": participants,
            "articles": [{"article_id": f"art-{event_id}", "evidence": "They met."}]}


def _load(con, *events):
    with store.transaction(con):
        for ev in events:
            pipeline.load_event(con, ev, NOW, "test")
        pipeline._drop_orphans(con)
        pipeline.refresh_event_rollups(con, pipeline._touched_events(con, list(events)))


def _rows(con, sql):
    return sorted(con.execute(sql).fetchall(), key=repr)


THREE = _event("e-three", [_person("a-us1", "Zed Adams", "United States", "host"),
                           _person("a-cn", "Li Wei", "China", "guest"),
                           _person("a-us2", "Ann Brown", "United States", "guest")])
INTERNAL = _event("e-internal", [_person("a-us1", "Zed Adams", "United States"),
                                 _person("a-us2", "Ann Brown", "United States")], scope="internal")


def test_pairs_country_pairs_and_actor_rows_follow_the_load(store_env):
    with store.connect(store_env) as con:
        _load(con, THREE, INTERNAL)
        pairs = _rows(con, "SELECT event_id, actor_1, actor_2, country_1, country_2, is_cross_border FROM v_pairs")
        # every unordered pair once, the name sorting first on the left; the internal meeting has none
        assert pairs == sorted([
            ("e-three", "Ann Brown", "Li Wei", "United States", "China", True),
            ("e-three", "Ann Brown", "Zed Adams", "United States", "United States", False),
            ("e-three", "Li Wei", "Zed Adams", "China", "United States", True),
        ], key=repr)
        # two US-China pairs in one meeting are one meeting between the two countries
        assert _rows(con, "SELECT event_id, country_1, country_2, status FROM event_country_pairs") == [
            ("e-three", "China", "United States", "occurred")]
        meetings = _rows(con, "SELECT event_id, actor, role, other_side, other_countries FROM v_actor_meetings")
        assert ("e-three", "Zed Adams", "host", ["Ann Brown", "Li Wei"], ["China", "United States"]) in meetings
        assert ("e-internal", "Ann Brown", "participant", ["Zed Adams"], ["United States"]) in meetings
        assert len(meetings) == 5
        assert _rows(con, "SELECT actor_a, actor_b FROM v_meeting_pairs WHERE country_a = country_b") == [
            ("Ann Brown", "Zed Adams")]

        # a later report renames an actor and moves the meeting to planned: every table shows it
        renamed = _event("e-three", [_person("a-us1", "Adam Zed", "United States", "host"),
                                     _person("a-cn", "Li Wei", "China", "guest"),
                                     _person("a-us2", "Ann Brown", "United States", "guest")], status="planned")
        _load(con, renamed)
        assert _rows(con, "SELECT actor_1, actor_2, status FROM event_pairs WHERE event_id = 'e-three'") == sorted([
            ("Adam Zed", "Ann Brown", "planned"), ("Adam Zed", "Li Wei", "planned"),
            ("Ann Brown", "Li Wei", "planned")], key=repr)
        assert _rows(con, "SELECT status FROM event_country_pairs") == [("planned",)]
        # the renamed actor's other meeting changed too, although it was not reported again
        assert _rows(con, "SELECT actor, other_side FROM actor_meetings WHERE event_id = 'e-internal'") == sorted([
            ("Adam Zed", ["Ann Brown"]), ("Ann Brown", ["Adam Zed"])], key=repr)

        # an event that loses its last article goes, and its rows with it
        con.execute("DELETE FROM event_articles WHERE event_id = 'e-three'")
        _load(con)
        pipeline.refresh_event_rollups(con, ["e-three"])
        for table in ("event_pairs", "event_country_pairs", "actor_meetings"):
            assert con.execute(f"SELECT count(*) FROM {table} WHERE event_id = 'e-three'").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM actor_meetings").fetchone()[0] == 2


def test_a_refresh_of_unchanged_events_keeps_the_rows_as_they_are(store_env):
    with store.connect(store_env) as con:
        _load(con, THREE, INTERNAL)
        tables = ("event_pairs", "event_country_pairs", "actor_meetings")
        before = {t: _rows(con, f"SELECT * FROM {t}") for t in tables}
        pipeline.refresh_event_rollups(con)  # everything
        pipeline.refresh_event_rollups(con, ["e-three", "e-internal"])
        _load(con, THREE, INTERNAL)  # the same reports again
        assert {t: _rows(con, f"SELECT * FROM {t}") for t in tables} == before
        assert len(before["event_pairs"]) == 3 and len(before["actor_meetings"]) == 5


def test_the_migration_fills_the_tables_for_events_loaded_before_it(tmp_path):
    import duckdb

    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    try:
        store.migrate(con, _migrations_before(tmp_path, 11))
        for ev in (THREE, INTERNAL):
            pipeline.load_event(con, ev, NOW, "test")
        # the rollups of migrations 009-010 as a load of that time kept them
        con.execute(pipeline.ROLLUPS_SQL.format(scope="event_id IS NOT NULL"))
        store.migrate(con)
        assert con.execute("SELECT count(*) FROM event_pairs").fetchone()[0] == 3
        assert con.execute("SELECT count(*) FROM event_country_pairs").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM actor_meetings").fetchone()[0] == 5
        filled = {t: _rows(con, f"SELECT * FROM {t}") for t in ("event_pairs", "event_country_pairs",
                                                                 "actor_meetings")}
        pipeline.refresh_event_rollups(con)  # what a load computes is what the migration wrote
        assert {t: _rows(con, f"SELECT * FROM {t}") for t in filled} == filled
    finally:
        con.close()


def _migrations_before(tmp_path, version):
    folder = tmp_path / "migrations"
    folder.mkdir()
    for number, _, path in store.migration_files():
        if number < version:
            (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return folder
