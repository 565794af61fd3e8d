import duckdb
import pytest

from meetwire import store


def _tables(con):
    return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def _snapshots(con) -> int:
    return con.execute("SELECT count(*) FROM ducklake_snapshots(current_database())").fetchone()[0]


def test_migrations_apply_once_and_views_exist(store_env):
    with store.connect(store_env) as con:
        first = con.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
        tables = _tables(con)
    assert first and first[0] == (1, "001_init")
    for required in ("articles", "actors", "actor_aliases", "events", "event_participants", "event_articles",
                     "event_topics", "runs", "dq_results", "quarantine", "feeds", "v_events"):
        assert required in tables
    with store.connect(store_env) as con:
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


def test_upsert_is_idempotent_and_updates(store_env):
    row = {"actor_id": "a1", "name": "Ma Zhaoxu", "title": None, "organization": None, "country": "China",
           "updated_at": store.utcnow()}
    with store.connect(store_env) as con:
        store.upsert(con, "actors", [row], key=["actor_id"])
        store.upsert(con, "actors", [row], key=["actor_id"])
        store.upsert(con, "actors", [{**row, "title": "Vice Foreign Minister"}], key=["actor_id"])
        assert con.execute("SELECT count(*), max(title) FROM actors").fetchone() == (1, "Vice Foreign Minister")
        # update=[] means insert-if-missing only.
        store.upsert(con, "actors", [{**row, "title": "changed"}], key=["actor_id"], update=[])
        assert con.execute("SELECT title FROM actors").fetchone()[0] == "Vice Foreign Minister"


def test_transaction_rolls_back_partial_load(store_env):
    with store.connect(store_env) as con:
        with pytest.raises(RuntimeError):
            with store.transaction(con):
                store.quarantine(con, url="https://x.example", stage="fetch", reason="http_500")
                raise RuntimeError("load failed halfway")
        assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 0
        store.quarantine(con, url="https://x.example", stage="fetch", reason="http_500", detail="boom")
        assert con.execute("SELECT stage, reason, detail FROM quarantine").fetchall() == [("fetch", "http_500", "boom")]


def test_run_sql(store_env):
    names, rows = store.run_sql(store_env, "SELECT count(*) AS n FROM v_events")
    assert names == ["n"] and rows == [(0,)]


def _hold(path, seconds):
    """Another process holding the file read-only, as an analyst's client would."""
    import subprocess
    import sys

    code = ("import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); print('ready', flush=True); "
            "time.sleep(float(sys.argv[2]))")
    p = subprocess.Popen([sys.executable, "-c", code, str(path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "ready"
    return p


def test_a_writer_waits_for_another_client_then_gives_up_clearly(mw_env):
    import dataclasses
    import time

    with store.connect(mw_env):
        pass
    holder = _hold(mw_env.db, 30)
    try:
        t0 = time.monotonic()
        with pytest.raises(store.DatabaseLocked, match="MEETWIRE_DB_LOCK_TIMEOUT"):
            with store.connect(dataclasses.replace(mw_env, db_lock_timeout=1.0)):
                pass
        assert time.monotonic() - t0 < 10
    finally:
        holder.kill()
        holder.wait()


def test_a_writer_proceeds_once_the_other_client_leaves(mw_env):
    import dataclasses

    with store.connect(mw_env):
        pass
    holder = _hold(mw_env.db, 1.5)
    try:
        with store.connect(dataclasses.replace(mw_env, db_lock_timeout=30.0)) as con:
            assert con.execute("SELECT 1").fetchone() == (1,)
    finally:
        holder.wait()


def test_cli_exits_3_with_a_message_when_the_file_stays_locked(mw_env, monkeypatch):
    from typer.testing import CliRunner

    from meetwire.cli import app

    with store.connect(mw_env):
        pass
    monkeypatch.setenv("MEETWIRE_DB_LOCK_TIMEOUT", "0.5")
    holder = _hold(mw_env.db, 30)
    try:
        res = CliRunner().invoke(app, ["summary"])
    finally:
        holder.kill()
        holder.wait()
    assert res.exit_code == 3, res.output
    assert "held by another process" in res.output and "Traceback" not in res.output


def test_runs_left_running_by_a_dead_process_are_marked_abandoned(store_env):
    import json
    import socket
    import subprocess
    import sys

    from meetwire import pipeline

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    here = socket.gethostname()
    with store.connect(store_env) as con:
        for run_id, info in (("killed", {"host": here, "pid": dead.pid}),
                             ("elsewhere", {"host": here + "-other", "pid": dead.pid}),
                             ("alive", {"host": here, "pid": __import__("os").getpid()})):
            con.execute("INSERT INTO runs (run_id, stage, started_at, status, detail) VALUES (?, 'run', now(), "
                        "'running', ?)", [run_id, json.dumps(info)])
    new = pipeline.start_run(store_env, "run")
    with store.connect(store_env) as con:
        status = dict(con.execute("SELECT run_id, status FROM runs").fetchall())
    assert status == {"killed": "abandoned", "elsewhere": "running", "alive": "running", new: "running"}


def _running_row(settings, run_id, stage, info):
    import json

    with store.connect(settings) as con:
        con.execute("INSERT INTO runs (run_id, stage, started_at, status, detail) VALUES (?, ?, now(), 'running', ?)",
                    [run_id, stage, json.dumps(info)])


def test_a_second_fetching_run_is_refused_while_the_first_is_alive(store_env):
    import socket
    import subprocess
    import sys

    from typer.testing import CliRunner

    from meetwire import pipeline
    from meetwire.cli import app

    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        _running_row(store_env, "first", "run", {"host": socket.gethostname(), "pid": other.pid})
        with pytest.raises(pipeline.RunInProgress, match="first"):
            pipeline.start_run(store_env, "ingest")
        result = CliRunner().invoke(app, ["ingest"])
        assert result.exit_code == 4 and "another meetwire run is fetching" in result.output
        # stages that do not fetch may run beside it
        pipeline.finish_run(store_env, pipeline.start_run(store_env, "quality"))
    finally:
        other.kill()
        other.wait()
    # once its process is gone the first run is abandoned and a new one starts
    new = pipeline.start_run(store_env, "run")
    with store.connect(store_env) as con:
        status = dict(con.execute("SELECT run_id, status FROM runs WHERE stage <> 'quality'").fetchall())
    assert status == {"first": "abandoned", new: "running"}


def test_a_run_opened_for_airflow_is_not_abandoned_when_its_task_process_exits(store_env):
    from meetwire import pipeline

    run_id = pipeline.start_run(store_env, "pipeline", orchestrator="airflow")
    with store.connect(store_env) as con:
        pipeline.mark_abandoned_runs(con)
        assert con.execute("SELECT status FROM runs WHERE run_id = ?", [run_id]).fetchone() == ("running",)


def test_keys_come_from_the_migrations():
    keys = store.table_keys()
    assert keys["actors"].primary == ("actor_id",)
    assert keys["event_participants"].primary == ("event_id", "actor_id")
    assert keys["articles"].unique == (("canonical_url",),)
    assert "dq_results" not in keys  # no declared key: upsert refuses it rather than guess


def test_upsert_defaults_to_the_declared_key_and_refuses_another(store_env):
    row = {"actor_id": "a1", "name": "Ma Zhaoxu", "updated_at": store.utcnow()}
    with store.connect(store_env) as con:
        store.upsert(con, "actors", [row])
        store.upsert(con, "actors", [{**row, "name": "Ma Zhao-xu"}])
        assert con.execute("SELECT count(*), max(name) FROM actors").fetchone() == (1, "Ma Zhao-xu")
        with pytest.raises(ValueError, match="keyed on"):
            store.upsert(con, "actors", [row], key=["name"])
        with pytest.raises(ValueError, match="declares no PRIMARY KEY"):
            store.upsert(con, "dq_results", [{"run_id": "r"}])


def test_upsert_update_expressions_read_the_stored_row(store_env):
    from meetwire.pipeline import ACTOR_UPDATE

    row = {"actor_id": "a1", "name": "Ma Zhaoxu", "title": "Vice Minister", "organization": None,
           "country": "China", "updated_at": store.utcnow()}
    with store.connect(store_env) as con:
        store.upsert(con, "actors", [row], update=ACTOR_UPDATE)
        store.upsert(con, "actors", [{**row, "title": None, "country": None, "organization": "MFA"}],
                     update=ACTOR_UPDATE)
        assert con.execute("SELECT title, organization, country FROM actors").fetchall() == [
            ("Vice Minister", "MFA", "China")]


def _article(article_id, canonical_url):
    now = store.utcnow()
    return {"article_id": article_id, "url": canonical_url, "canonical_url": canonical_url, "fetched_at": now,
            "content_sha256": "0" * 64, "text_source": "page", "text": "A met B.", "cleaned_at": now}


def test_a_second_unique_key_is_kept_on_both_backends(store_env):
    with store.connect(store_env) as con:
        store.upsert(con, "articles", [_article("a1", "https://x.example/1")])
        store.upsert(con, "articles", [{**_article("a1", "https://x.example/1"), "text": "A met B again."}])
        with pytest.raises(duckdb.ConstraintException):
            store.upsert(con, "articles", [_article("a2", "https://x.example/1")])
        with pytest.raises(duckdb.ConstraintException):
            store.upsert(con, "articles", [_article("a3", "https://x.example/3"), _article("a4", "https://x.example/3")])
        assert con.execute("SELECT article_id, text FROM articles").fetchall() == [("a1", "A met B again.")]


def test_quarantine_counts_repeats_on_one_row(store_env):
    with store.connect(store_env) as con:
        for detail in ("first", "second"):
            store.quarantine(con, url="https://x.example", stage="fetch", reason="http_500", detail=detail)
        store.quarantine(con, url=None, stage="feed", reason="bad_config")
        # by url, not by id: DuckLake's ids are random (docs/storage.md)
        rows = con.execute("SELECT quarantine_id, url, n_seen, detail FROM quarantine ORDER BY url NULLS LAST").fetchall()
    assert [r[1:] for r in rows] == [("https://x.example", 2, "second"), (None, 1, "")]
    assert len({r[0] for r in rows}) == 2 and all(r[0] is not None for r in rows)


def test_the_lake_migrations_carry_no_constraints_sequences_or_indexes():
    model = store._default_model()
    text = "\n".join(model.lake_sql.values())
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    for word in ("PRIMARY KEY", "UNIQUE", "SEQUENCE", "nextval", "CREATE INDEX"):
        assert word not in code.upper() if word.isupper() else word not in code
    assert set(model.lake_sql) == {v for v, _, _ in store.migration_files()}
    con = duckdb.connect()  # the rewritten migrations still build every table
    for version in sorted(model.lake_sql):
        con.execute(model.lake_sql[version])
    assert {"quarantine", "articles", "events"} <= _tables(con)
    # the sequence's column draws an id of its own for rows inserted without one
    con.execute("INSERT INTO quarantine (stage, reason, seen_at) SELECT 'fetch', 'r' || range, now() FROM range(50)")
    assert con.execute("SELECT count(DISTINCT quarantine_id), count(quarantine_id) FROM quarantine").fetchone() == (50, 50)


@pytest.mark.parametrize("store_env", ["ducklake"], indirect=True)
def test_lake_views_are_recreated_only_when_their_text_changes(store_env, tmp_path):
    with store.connect(store_env) as con:
        before = _snapshots(con)
        store.create_views(con)
        assert _snapshots(con) == before  # unchanged views: no commit at all
        views = tmp_path / "views"
        views.mkdir()
        (views / "v_extra.sql").write_text("CREATE OR REPLACE VIEW v_extra AS SELECT 1 AS one")
        store.create_views(con, views)
        store.create_views(con, views)
        assert _snapshots(con) == before + 1
        assert con.execute("SELECT one FROM v_extra").fetchall() == [(1,)]
        con.execute("DROP VIEW v_extra")


@pytest.mark.parametrize("store_env", ["ducklake"], indirect=True)
def test_an_unreachable_catalog_is_one_clear_error(store_env):
    import dataclasses

    from meetwire import store_backends

    bad = dataclasses.replace(store_env, ducklake_catalog="dbname=meetwire_no_such_db host=127.0.0.1 user=postgres")
    with pytest.raises(store_backends.LakeUnavailable, match="MEETWIRE_DUCKLAKE_CATALOG"):
        with store.connect(bad):
            pass


def test_the_store_setting_is_checked(monkeypatch):
    from meetwire.settings import get_settings

    monkeypatch.setenv("MEETWIRE_STORE", "sqlite")
    with pytest.raises(ValueError, match="MEETWIRE_STORE"):
        get_settings()
    monkeypatch.setenv("MEETWIRE_STORE", "ducklake")
    monkeypatch.setenv("MEETWIRE_DUCKLAKE_CATALOG", "dbname=m host=127.0.0.1 password=s3cret")
    monkeypatch.delenv("MEETWIRE_DUCKLAKE_DATA", raising=False)
    s = get_settings()
    assert s.ducklake_data == s.db.parent / "lake"
    assert "s3cret" not in str(s.describe()) and "password=***" in s.describe()["MEETWIRE_DUCKLAKE_CATALOG"]
