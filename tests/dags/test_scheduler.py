"""A real scheduler run on the embedded defaults: `scripts/airflow.sh standalone` (api-server, scheduler,
dag-processor, triggerer on SQLite) picks up the seed feed on its cron schedule, the `meetwire://articles` asset
triggers `meetwire_extract`, and the DuckDB file ends up holding the seed events.

This is the README's "open the UI" path, run unattended: nothing here calls `dag.test()`. The schedule is set to
every minute (MEETWIRE_INGEST_SCHEDULE) so the test waits at most a minute for the first tick; the daily quality
schedule is switched off so it does not compete for the one-slot DuckDB pool while we wait.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

import duckdb
import psutil
import pytest

from dagtest_support import REPO

pytestmark = [pytest.mark.airflow, pytest.mark.scheduler]

DEADLINE_S = 420


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dag_runs(db: Path) -> list[tuple[str, str, str]]:
    if not db.exists():
        return []
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("SELECT dag_id, run_type, state FROM dag_run").fetchall()
        finally:
            con.close()
    except sqlite3.Error:  # the table does not exist yet, or the DB is busy: ask again later
        return []


def _stop(proc: subprocess.Popen) -> None:
    """Stop standalone and everything it started. Its components outlive it for a while after SIGTERM and task
    workers start sessions of their own, so the whole process tree is collected first and waited for."""
    try:
        tree = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        tree = []
    for p in tree:
        with contextlib.suppress(psutil.NoSuchProcess):
            p.send_signal(signal.SIGTERM)
    _, alive = psutil.wait_procs(tree, timeout=30)
    for p in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            p.kill()
    psutil.wait_procs(alive, timeout=10)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


def test_standalone_scheduler_picks_up_seed_feed_on_schedule(tmp_path):
    home, data = tmp_path / "airflow", tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "MEETWIRE_"))}
    env.update({
        "AIRFLOW_HOME": str(home),
        "MEETWIRE_DB": str(data / "meetwire.duckdb"),
        "MEETWIRE_ARCHIVE_DIR": str(data / "raw"),
        "MEETWIRE_DOCS_DIR": str(data / "docs"),
        "MEETWIRE_INGEST_SCHEDULE": "* * * * *",
        "MEETWIRE_QUALITY_SCHEDULE": "none",
        # standalone may start the first task before its api-server listens; a 1 s retry absorbs that race.
        "MEETWIRE_AIRFLOW_RETRY_DELAY": "1",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
        "AIRFLOW__API__PORT": str(_free_port()),
        "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(_free_port()),
        "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(_free_port()),
        "GX_ANALYTICS_ENABLED": "False",
    })
    log_path = tmp_path / "standalone.log"
    started = time.monotonic()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            ["bash", str(REPO / "scripts" / "airflow.sh"), "standalone"],
            env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        runs: list[tuple[str, str, str]] = []
        try:
            while time.monotonic() - started < DEADLINE_S and proc.poll() is None:
                runs = _dag_runs(home / "airflow.db")
                if ("meetwire_extract", "asset_triggered", "success") in runs:
                    break
                if any(state == "failed" for _, _, state in runs):
                    break
                time.sleep(3)
        finally:
            _stop(proc)
    elapsed = time.monotonic() - started
    tail = log_path.read_text(errors="replace")[-4000:]
    assert ("meetwire_ingest", "scheduled", "success") in runs, f"after {elapsed:.0f}s runs={runs}\n{tail}"
    assert ("meetwire_extract", "asset_triggered", "success") in runs, f"after {elapsed:.0f}s runs={runs}\n{tail}"
    assert not any(state == "failed" for _, _, state in runs), f"runs={runs}\n{tail}"
    print(f"standalone: seed feed ingested and extracted on schedule in {elapsed:.0f}s")

    con = duckdb.connect(str(data / "meetwire.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
        occurred = con.execute(
            "SELECT count(*) FROM v_events WHERE status = 'occurred' AND list_contains(participants, 'Ma Zhaoxu')"
        ).fetchone()[0]
        assert occurred >= 2  # Campbell-Ma and Finer-Ma
        stages = {r[0] for r in con.execute("SELECT stage FROM runs WHERE status = 'success'").fetchall()}
        assert {"ingest", "extract"} <= stages
    finally:
        con.close()
