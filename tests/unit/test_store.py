import duckdb
import pytest

from meetwire import store


def _tables(con):
    return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def test_migrations_apply_once_and_views_exist(mw_env):
    with store.connect(mw_env) as con:
        first = con.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
        tables = _tables(con)
    assert first and first[0] == (1, "001_init")
    for required in ("articles", "actors", "actor_aliases", "events", "event_participants", "event_articles",
                     "event_topics", "runs", "dq_results", "quarantine", "feeds", "v_events"):
        assert required in tables
    with store.connect(mw_env) as con:
        assert con.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall() == first
        assert store.migrate(con) == []


def test_edited_migration_is_an_error(tmp_path):
    mig = tmp_path / "migrations"
    mig.mkdir()
    (mig / "001_a.sql").write_text("CREATE TABLE a (x INTEGER);")
    con = duckdb.connect(str(tmp_path / "db.duckdb"))
    assert store.migrate(con, mig) == ["001_a"]
    (mig / "001_a.sql").write_text("CREATE TABLE a (x INTEGER, y INTEGER);")
    with pytest.raises(store.MigrationError, match="changed after it was applied"):
        store.migrate(con, mig)


def test_failed_migration_leaves_nothing(tmp_path):
    mig = tmp_path / "migrations"
    mig.mkdir()
    (mig / "001_a.sql").write_text("CREATE TABLE a (x INTEGER); CREATE TABLE broken (;")
    con = duckdb.connect(str(tmp_path / "db.duckdb"))
    with pytest.raises(duckdb.Error):
        store.migrate(con, mig)
    assert "a" not in _tables(con)
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == 0


def test_upsert_is_idempotent_and_updates(mw_env):
    row = {"actor_id": "a1", "name": "Ma Zhaoxu", "title": None, "organization": None, "country": "China",
           "updated_at": store.utcnow()}
    with store.connect(mw_env) as con:
        store.upsert(con, "actors", [row], key=["actor_id"])
        store.upsert(con, "actors", [row], key=["actor_id"])
        store.upsert(con, "actors", [{**row, "title": "Vice Foreign Minister"}], key=["actor_id"])
        assert con.execute("SELECT count(*), max(title) FROM actors").fetchone() == (1, "Vice Foreign Minister")
        # update=[] means insert-if-missing only.
        store.upsert(con, "actors", [{**row, "title": "changed"}], key=["actor_id"], update=[])
        assert con.execute("SELECT title FROM actors").fetchone()[0] == "Vice Foreign Minister"


def test_transaction_rolls_back_partial_load(mw_env):
    with store.connect(mw_env) as con:
        with pytest.raises(RuntimeError):
            with store.transaction(con):
                store.quarantine(con, url="https://x.example", stage="fetch", reason="http_500")
                raise RuntimeError("load failed halfway")
        assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 0
        store.quarantine(con, url="https://x.example", stage="fetch", reason="http_500", detail="boom")
        assert con.execute("SELECT stage, reason, detail FROM quarantine").fetchall() == [("fetch", "http_500", "boom")]


def test_run_sql(mw_env):
    names, rows = store.run_sql(mw_env, "SELECT count(*) AS n FROM v_events")
    assert names == ["n"] and rows == [(0,)]
