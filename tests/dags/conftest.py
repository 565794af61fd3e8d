"""Airflow test environment for tests/dags.

A fresh AIRFLOW_HOME (SQLite metadata DB, DAGs from <repo>/dags, no examples) is set in os.environ *here, at
import time*, before anything imports airflow, so Airflow never reads or writes ~/airflow. The metadata DB is
migrated once per session by ``scripts/airflow.sh setup`` (which also creates the ``meetwire_duckdb`` pool), so
the script itself is exercised. DAG runs (``dag.test()``) happen in subprocesses (tests/dags/dag_runner.py): each
gets clean Airflow state, and a hung run cannot hang the session.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dagtest_support import _AIRFLOW_HOME, AIRFLOW_ENV, REPO, RUNNER  # noqa: E402,F401 - sets the env

@pytest.fixture(scope="session")
def airflow_db(tmp_path_factory) -> dict[str, str]:
    """Migrate the metadata DB and create the pool, through scripts/airflow.sh; the env to run with.

    Under pytest-xdist every process has its own AIRFLOW_HOME, but the migration (15-20 s) runs once: the first
    process migrates a template home shared by the run (under a lock), the others copy its SQLite file."""
    env = {**os.environ, **AIRFLOW_ENV, "AIRFLOW_CMD": f"{sys.executable} -m airflow"}
    started = time.monotonic()
    template = tmp_path_factory.getbasetemp().parent / "airflow-template"
    with open(tmp_path_factory.getbasetemp().parent / "airflow-template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (template / "airflow.db").is_file():
            template.mkdir(parents=True, exist_ok=True)
            proc = subprocess.run(
                ["bash", str(REPO / "scripts" / "airflow.sh"), "setup"],
                env={**env, "AIRFLOW_HOME": str(template),
                     "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{template}/airflow.db"},
                capture_output=True, text=True, timeout=300,
            )
            assert proc.returncode == 0, (f"scripts/airflow.sh setup failed:\n{proc.stdout[-3000:]}\n"
                                          f"{proc.stderr[-5000:]}")
        fcntl.flock(lock, fcntl.LOCK_UN)
    for name in ("airflow.db", ".meetwire-migrated"):
        if (template / name).exists():
            shutil.copy2(template / name, Path(_AIRFLOW_HOME, name))
    assert Path(_AIRFLOW_HOME, "airflow.db").is_file()
    print(f"airflow metadata DB ready in {time.monotonic() - started:.1f}s", file=sys.stderr)
    return env


@pytest.fixture
def run_dags(airflow_db, tmp_path):
    """Run DAGs with dag.test() in a subprocess against a temporary DuckDB/archive/docs; returns the report.

    ``run_dags("meetwire_ingest", "meetwire_reprocess={...}", fail_quality=False)`` -> (report, data_dir).
    """
    data = tmp_path / "data"

    def _run(*dags: str, fail_quality: bool = False, fake_stages: bool = False, timeout: float = 240,
             extra_env: dict[str, str] | None = None) -> tuple[dict, Path]:
        env = {
            **airflow_db,
            "MEETWIRE_DB": str(data / "meetwire.duckdb"),
            "MEETWIRE_ARCHIVE_DIR": str(data / "raw"),
            "MEETWIRE_DOCS_DIR": str(data / "docs"),
        }
        for name in ("MEETWIRE_ALERT_WEBHOOK", "MEETWIRE_SLACK_WEBHOOK", "MEETWIRE_ALERT_EMAIL", "MEETWIRE_FEEDS"):
            env.pop(name, None)
        env.update(extra_env or {})
        cmd = [sys.executable, str(RUNNER), "--alerts-log", str(tmp_path / "alerts.jsonl")]
        if fail_quality:
            cmd.append("--fail-quality")
        if fake_stages:
            cmd.append("--fake-stages")
        proc = subprocess.run(cmd + list(dags), env=env, capture_output=True, text=True, timeout=timeout, cwd=tmp_path)
        log_path = tmp_path / "dag_runner.log"
        log_path.write_text(proc.stdout + "\n--- stderr ---\n" + proc.stderr, encoding="utf-8")
        lines = [line for line in proc.stdout.splitlines() if line.startswith("MEETWIRE_DAG_REPORT ")]
        assert proc.returncode == 0 and lines, (
            f"dag runner failed (rc={proc.returncode}); full log in {log_path}\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}"
        )
        report = json.loads(lines[-1].split(" ", 1)[1])
        report["log"] = str(log_path)
        alerts = tmp_path / "alerts.jsonl"
        report["alerts"] = [json.loads(x) for x in alerts.read_text().splitlines()] if alerts.exists() else []
        return report, data

    return _run
