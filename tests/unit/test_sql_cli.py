"""`meetwire sql` is read-only and shows every statement; `meetwire export` writes files (issue: careless SQL)."""

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from meetwire import store
from meetwire.cli import app

EXAMPLES = sorted((Path(__file__).parents[2] / "sql" / "examples").glob("*.sql"))


@pytest.fixture
def db(store_env):
    with store.connect(store_env) as con:
        con.execute("INSERT INTO events (event_id, event_date, date_precision, mode, status, evidence, keywords, "
                    "extractor_version, first_seen_at, updated_at, scope) VALUES ('evt_1', DATE '2024-05-30', "
                    "'day', 'in_person', 'occurred', 'A met B.', ['trade', 'taiwan'], 't', now(), now(), "
                    "'bilateral')")
    return store_env


def run(*args, input=None):
    return CliRunner().invoke(app, ["sql", *args], input=input)


@pytest.mark.parametrize("statement", [
    "SELECT 1 AS a; DROP TABLE event_topics",
    "DELETE FROM events",
    "UPDATE events SET status = 'planned'",
    "COPY events TO '/tmp/meetwire-leak.csv'",
    "ATTACH '/tmp/meetwire-other.duckdb' AS other",
    "SELECT * FROM read_csv('/etc/passwd')",
    "INSTALL httpfs",
    "SET enable_external_access = true",
])
def test_writes_files_and_extensions_are_refused(db, statement):
    res = run(statement)
    assert res.exit_code == 1, res.output
    assert "refused" in res.output
    with store.connect(db, read_only=True) as con:  # nothing changed, nothing dropped
        assert con.execute("SELECT count(*) FROM event_topics").fetchone()[0] == 0
        assert con.execute("SELECT status FROM events").fetchall() == [("occurred",)]
    assert not Path("/tmp/meetwire-leak.csv").exists()


def test_every_statement_is_shown_and_comments_are_allowed(db):
    res = run("-- two questions\nSELECT 1 AS a;\n-- and\nSELECT count(*) AS n FROM events;")
    assert res.exit_code == 0, res.output
    assert "-- SELECT 1 AS a" in res.output and "-- SELECT count(*) AS n FROM events" in res.output
    assert res.output.count("(1 rows)") == 2


def test_file_and_stdin(db, tmp_path):
    f = tmp_path / "q.sql"
    f.write_text("-- a comment first\nSELECT status FROM events;\n")
    assert "occurred" in run("--file", str(f)).output
    assert "occurred" in run("-", input="SELECT status FROM events").output


def test_unknown_format_is_an_error(db):
    assert run("SELECT 1", "--format", "parquet").exit_code == 2


def test_csv_joins_lists_and_json_keeps_them(db):
    out = run("SELECT keywords FROM events", "--format", "csv").output
    assert out.splitlines() == ["keywords", "trade;taiwan"]
    assert json.loads(run("SELECT keywords FROM events", "--format", "json").output) == [
        {"keywords": ["trade", "taiwan"]}]


def test_long_cells_are_marked_not_silently_cut(db):
    out = run("SELECT repeat('x', 100) AS long").output
    assert "x" * 59 + "…" in out and "x" * 61 not in out
    assert "x" * 100 in run("SELECT repeat('x', 100) AS long", "--max-width", "0").output


def test_a_sql_error_is_one_clear_line(db):
    res = run("SELECT nope FROM events")
    assert res.exit_code == 1 and "Traceback" not in res.output and "nope" in res.output


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_run_through_the_cli(db, path):
    res = run("--file", str(path))
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export_every_table_and_view(db, tmp_path, fmt):
    out = tmp_path / "export"
    res = CliRunner().invoke(app, ["export", str(out), "--format", fmt])
    assert res.exit_code == 0, res.output
    files = {p.stem for p in out.iterdir()}
    assert {"events", "v_events", "actors", "v_meeting_pairs"} <= files
    with duckdb.connect() as con:
        src = f"'{out / ('events.' + fmt)}'"
        rows = con.execute(f"SELECT event_id FROM {'read_parquet' if fmt == 'parquet' else 'read_csv'}({src})").fetchall()
    assert rows == [("evt_1",)]
    if fmt == "csv":
        assert "trade;taiwan" in (out / "events.csv").read_text()


@pytest.mark.parametrize("store_env", ["ducklake"], indirect=True)
@pytest.mark.parametrize("statement", [
    # with a superuser catalog role this would run a program on the database server
    "CALL postgres_execute('__ducklake_metadata_meetwire_lake', 'CREATE TABLE pwned (x int)')",
    "SELECT * FROM system.main.postgres_execute('__ducklake_metadata_meetwire_lake', 'CREATE TABLE pwned (x int)')",
    "SELECT * FROM postgres_query('__ducklake_metadata_meetwire_lake', 'SELECT 1 AS one')",
    "SELECT * FROM query('SELECT * FROM postgres' || '_query(''__ducklake_metadata_meetwire_lake'', ''SELECT 1'')')",
    "SELECT count(*) FROM __ducklake_metadata_meetwire_lake.public.ducklake_table",
    "SELECT * FROM ducklake_expire_snapshots('meetwire_lake', older_than => now())",
    "CALL ducklake_cleanup_old_files('meetwire_lake', cleanup_all => true)",
    "EXPLAIN ANALYZE SELECT * FROM postgres_query('__ducklake_metadata_meetwire_lake', 'SELECT 1 AS one')",
])
def test_the_lake_catalog_database_is_out_of_reach(db, statement):
    import psycopg2

    res = run(statement)
    assert res.exit_code == 1 and "refused" in res.output, res.output
    with psycopg2.connect(db.ducklake_catalog) as pg, pg.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_tables WHERE tablename = 'pwned'")
        assert cur.fetchone() == (0,)


@pytest.mark.parametrize("store_env", ["ducklake"], indirect=True)
def test_lake_queries_describe_and_explain_still_run(db):
    for statement in ("DESCRIBE events", "SHOW TABLES", "EXPLAIN SELECT count(*) FROM v_events",
                      "SELECT * FROM ducklake_snapshots('meetwire_lake') LIMIT 1"):
        res = run(statement)
        assert res.exit_code == 0, (statement, res.output)
