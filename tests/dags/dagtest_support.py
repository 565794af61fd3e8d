"""Constants and the Airflow environment shared by tests/dags (a uniquely named module: several test
directories have a conftest.py, so `from conftest import ...` would be ambiguous).

Importing this module sets a fresh AIRFLOW_HOME etc. in os.environ; tests/dags/conftest.py imports it first,
before anything imports airflow.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DAGS_FOLDER = REPO / "dags"
RUNNER = Path(__file__).with_name("dag_runner.py")
POOL = "meetwire_duckdb"

if "airflow" in sys.modules and not os.environ.get("MEETWIRE_TEST_AIRFLOW_HOME"):
    # Something imported airflow with another configuration; the in-process DagBag tests pass their folder
    # explicitly and still work, the subprocess runs below use their own environment regardless.
    print("tests/dags: airflow was imported before tests/dags/conftest.py", file=sys.stderr)

# One home per test process: pytest-xdist workers inherit the controller's environment, and two processes
# writing one SQLite metadata DB collide; the DAG runs started by a process inherit its home through the env.
_OWNER = os.environ.get("PYTEST_XDIST_WORKER", "main")
if os.environ.get("MEETWIRE_TEST_AIRFLOW_HOME") and os.environ.get("MEETWIRE_TEST_AIRFLOW_HOME_OWNER") == _OWNER:
    _AIRFLOW_HOME = os.environ["MEETWIRE_TEST_AIRFLOW_HOME"]
else:
    _AIRFLOW_HOME = tempfile.mkdtemp(prefix=f"meetwire-airflow-{_OWNER}-")
    os.environ["MEETWIRE_TEST_AIRFLOW_HOME"] = _AIRFLOW_HOME
    os.environ["MEETWIRE_TEST_AIRFLOW_HOME_OWNER"] = _OWNER
    atexit.register(shutil.rmtree, _AIRFLOW_HOME, ignore_errors=True)

AIRFLOW_ENV = {
    "AIRFLOW_HOME": _AIRFLOW_HOME,
    "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
    "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__CORE__UNIT_TEST_MODE": "True",
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{_AIRFLOW_HOME}/airflow.db",
    "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
    # A failing task retries after 1s, 2s (not minutes) in tests; production keeps 60s doubling.
    "MEETWIRE_AIRFLOW_RETRY_DELAY": "1",
    "GX_ANALYTICS_ENABLED": "False",
}
os.environ.update(AIRFLOW_ENV)


