"""`meetwire doctor`: plain-words checks of settings, database, archive, Airflow, services and alert sinks."""

from __future__ import annotations

import json
import sqlite3
import socket

import pytest
from typer.testing import CliRunner

from meetwire import store
from meetwire.cli import app
from meetwire.doctor import FAIL, OK, SKIP, WARN, run_checks


def _by_area(checks):
    out = {}
    for c in checks:
        out.setdefault(c.area, []).append(c)
    return out


@pytest.fixture
def quiet_env(mw_env, monkeypatch, tmp_path):
    for name in ("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "AIRFLOW__CELERY__BROKER_URL", "MEETWIRE_STORE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path / "no-airflow"))
    return mw_env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_fresh_install_has_no_failure_and_says_what_is_missing(quiet_env):
    areas = _by_area(run_checks())
    assert not [c for cs in areas.values() for c in cs if c.status == FAIL]
    assert areas["database"][0].status == WARN and "first run creates it" in areas["database"][0].message
    assert areas["airflow"][0].status == SKIP
    assert areas["alerts"][0].status == WARN and "no alert sink" in areas["alerts"][0].message


def test_a_misspelt_setting_and_a_bad_value_are_named(quiet_env, monkeypatch):
    monkeypatch.setenv("MEETWIRE_DB_PATH", "x.duckdb")
    checks = run_checks()
    assert any(c.status == WARN and "MEETWIRE_DB_PATH" in c.message and "did you mean MEETWIRE_DB?" in c.message
               for c in checks)
    monkeypatch.setenv("MEETWIRE_HTTP_READ_TIMEOUT", "soon")
    checks = run_checks()
    assert checks[-1].status == FAIL and "MEETWIRE_HTTP_READ_TIMEOUT" in checks[-1].message


def test_database_counts_pending_migrations_and_a_failed_run(quiet_env):
    with store.connect(quiet_env) as con:
        con.execute("INSERT INTO runs (run_id, stage, started_at, status) VALUES ('r1', 'run', now(), 'failed')")
        con.execute("DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)")
    db = _by_area(run_checks())["database"]
    assert [c.status for c in db] == [WARN, WARN]
    assert "1 migrations pending" in db[0].message and "last run r1 failed" in db[1].message


def test_airflow_pool_must_exist_with_one_slot(quiet_env, monkeypatch, tmp_path):
    home = tmp_path / "airflow"
    home.mkdir()
    con = sqlite3.connect(home / "airflow.db")
    con.execute("CREATE TABLE slot_pool (pool TEXT, slots INTEGER)")
    con.execute("CREATE TABLE connection (conn_id TEXT)")
    con.commit()
    monkeypatch.setenv("AIRFLOW_HOME", str(home))
    assert _by_area(run_checks())["airflow"][0].status == FAIL
    con.execute("INSERT INTO slot_pool VALUES ('meetwire_duckdb', 4)")
    con.commit()
    airflow = _by_area(run_checks())["airflow"][0]
    assert airflow.status == FAIL and "4 slots" in airflow.message
    con.execute("UPDATE slot_pool SET slots = 1")
    con.commit()
    assert _by_area(run_checks())["airflow"][0].status == OK


def test_services_are_reached_for_real(quiet_env, monkeypatch):
    # The machine's Redis answers; a closed port is reported as unreachable in plain words.
    monkeypatch.setenv("AIRFLOW__CELERY__BROKER_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", f"postgresql+psycopg2://u:secret@127.0.0.1:{_free_port()}/x")
    checks = run_checks()
    services = _by_area(checks)["services"]
    assert any(c.status == OK and "Redis broker" in c.message for c in services), \
        "Redis at 127.0.0.1:6379 must be running for this test (the machine's broker)"
    assert any(c.status == FAIL and "unreachable" in c.message for c in services)
    assert all("secret" not in c.message for c in checks), "passwords are never printed"


def test_alert_sinks_checked_and_test_alert_delivered(quiet_env, monkeypatch, httpserver):
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    monkeypatch.setenv("MEETWIRE_ALERT_WEBHOOK", httpserver.url_for("/hook"))
    monkeypatch.setenv("MEETWIRE_ALLOW_PRIVATE_HOSTS", "127.0.0.1,localhost")
    alerts = _by_area(run_checks(send_test_alert=True))["alerts"]
    assert alerts[-1].status == OK and "webhook" in alerts[-1].message
    body = json.loads(httpserver.log[0][0].get_data())
    assert body["suite"] == "doctor"
    monkeypatch.setenv("MEETWIRE_SLACK_WEBHOOK", "not a url")
    assert any(c.status == FAIL and "MEETWIRE_SLACK_WEBHOOK is not an http(s) URL" in c.message
               for c in run_checks())


def test_cli_exit_code_and_json(quiet_env, monkeypatch):
    runner = CliRunner()
    res = runner.invoke(app, ["doctor", "--json"])
    assert res.exit_code == 0, res.output
    assert {c["area"] for c in json.loads(res.output)} >= {"settings", "database", "archive", "alerts"}
    monkeypatch.setenv("MEETWIRE_FEEDS", "/nonexistent/feeds.toml")
    res = runner.invoke(app, ["doctor"])
    assert res.exit_code == 1 and "FAIL  feeds" in res.output and "does not exist" in res.output
