"""The DAG files parse cleanly, cheaply (no library/DuckDB/HTTP import, no data I/O) and follow the policy."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest

from dagtest_support import AIRFLOW_ENV, DAGS_FOLDER, POOL

pytestmark = pytest.mark.airflow

EXPECTED_DAGS = {"meetwire_ingest", "meetwire_extract", "meetwire_quality", "meetwire_reprocess", "meetwire_pipeline"}
SCHEDULED = {"meetwire_ingest", "meetwire_extract", "meetwire_quality"}
# Tasks that write DuckDB, per DAG: they must all hold the one-slot pool.
DUCKDB_WRITERS = {
    "meetwire_ingest": {"start_run", "feed_batches", "load_articles", "finish_run", "mark_run_failed"},
    "meetwire_extract": {"start_run", "stage_articles", "load_events", "mark_run_failed"},
    "meetwire_quality": {"quality"},
    "meetwire_reprocess": {"reprocess"},
    "meetwire_pipeline": {"start_run", "feed_batches", "load_articles", "stage_articles", "load_events", "quality",
                          "summary", "finish_run", "mark_run_failed"},
}
# The slow, mapped work: no pool (it never opens the database), so it runs in parallel on any worker.
UNPOOLED_MAPPED = {
    "meetwire_ingest": {"fetch_clean"},
    "meetwire_extract": {"extract_events"},
    "meetwire_pipeline": {"fetch_clean", "extract_events"},
}


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import BundleDagBag

    # BundleDagBag is what the dag-processor and the task runner use (it puts the folder on sys.path, which
    # the DAG files rely on for `import meetwire_common`).
    return BundleDagBag(
        dag_folder=DAGS_FOLDER, bundle_path=DAGS_FOLDER, bundle_name="dags-folder",
        known_pools={"default_pool", POOL},
    )


def test_dagbag_imports_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) == EXPECTED_DAGS
    # known_pools turns a task in an undefined pool into a warning: there must be none.
    warnings = [str(w) for ws in getattr(dagbag, "captured_warnings", {}).values() for w in ws]
    assert not [w for w in warnings if "pool" in w.lower()], warnings


def test_common_module_is_not_parsed_as_dags():
    ignore = (DAGS_FOLDER / ".airflowignore").read_text().split()
    assert "meetwire_common.py" in ignore


PARSE_PROBE = r"""
import json, os, sys
from pathlib import Path

data_dir = os.environ["PROBE_DATA_DIR"]
touched, connects = [], []

def audit(event, args):
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.fsdecode(args[0])
        if path.startswith(data_dir):
            touched.append(path)
    elif event == "socket.connect":
        connects.append(repr(args[1]) if len(args) > 1 else "?")

FORBIDDEN = ("meetwire.pipeline", "meetwire.store", "meetwire.ingest", "meetwire.quality", "meetwire.extract",
             "meetwire.http", "duckdb", "great_expectations", "trafilatura", "spacy", "feedparser")

class Block:
    def find_spec(self, name, path=None, target=None):
        if name in FORBIDDEN:
            raise ImportError(f"{name} imported while parsing DAG files")
        return None

import airflow.sdk  # the SDK itself may import HTTP clients; measure the DAG files only
from airflow.dag_processing.dagbag import BundleDagBag
baseline = set(sys.modules)
sys.meta_path.insert(0, Block())
sys.addaudithook(audit)
folder = Path(os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
bag = BundleDagBag(dag_folder=folder, bundle_path=folder, bundle_name="dags-folder")
new = sorted(m for m in set(sys.modules) - baseline if m.split(".")[0] in {"meetwire", "duckdb", "httpx", "requests", "great_expectations", "pandas"})
print("PROBE " + json.dumps({"errors": bag.import_errors, "dags": sorted(bag.dag_ids), "new_modules": new,
                             "touched": touched, "connects": connects,
                             "ingest_cron": getattr(bag.dags["meetwire_ingest"].timetable, "expression", None),
                             "min_retry_delay": min(t.retry_delay.total_seconds() for d in bag.dags.values() for t in d.tasks)}))
"""


@pytest.fixture(scope="module")
def parse_probe(tmp_path_factory):
    """Parse the DAG folder in a fresh process, as production would (no test retry delay), with the library,
    DuckDB etc. made unimportable, the data paths pointing into an empty directory, and the ingest schedule
    overridden through the environment."""
    data = tmp_path_factory.mktemp("probe") / "data"
    env = {
        **os.environ, **AIRFLOW_ENV,
        "PROBE_DATA_DIR": str(data),
        "MEETWIRE_DB": str(data / "meetwire.duckdb"),
        "MEETWIRE_ARCHIVE_DIR": str(data / "raw"),
        "MEETWIRE_DOCS_DIR": str(data / "docs"),
        "MEETWIRE_FEEDS": str(data / "feeds.toml"),
        "MEETWIRE_INGEST_SCHEDULE": "*/5 * * * *",
    }
    env.pop("MEETWIRE_AIRFLOW_RETRY_DELAY", None)
    proc = subprocess.run([sys.executable, "-c", PARSE_PROBE], env=env, capture_output=True, text=True, timeout=120)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("PROBE ")), None)
    assert proc.returncode == 0 and line, proc.stderr[-4000:]
    return json.loads(line[len("PROBE "):]), data


def test_parsing_does_no_io_and_imports_no_library(parse_probe):
    probe, data = parse_probe
    assert probe["errors"] == {}, probe["errors"]
    assert set(probe["dags"]) == EXPECTED_DAGS
    assert probe["new_modules"] == [], f"DAG files imported at parse time: {probe['new_modules']}"
    assert probe["touched"] == [], f"DAG files opened data files at parse time: {probe['touched']}"
    assert probe["connects"] == [], f"DAG files opened sockets at parse time: {probe['connects']}"
    assert not data.exists(), "parsing created the data directory"


def test_ingest_schedule_env_override(parse_probe):
    assert parse_probe[0]["ingest_cron"] == "*/5 * * * *"


def test_production_retry_delay_is_not_the_test_one(parse_probe):
    """Tests shorten retries through MEETWIRE_AIRFLOW_RETRY_DELAY; without it the delay is a real back-off."""
    assert parse_probe[0]["min_retry_delay"] >= 30


@pytest.mark.parametrize("dag_id", sorted(EXPECTED_DAGS))
def test_dag_policy(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    assert dag is not None
    assert dag.doc_md and len(dag.doc_md.strip()) > 100, "doc_md explains the DAG"
    assert dag.description
    assert "meetwire" in dag.tags and len(dag.tags) >= 2
    assert dag.max_active_runs == 1, "one run at a time: DuckDB has one writer"
    assert dag.dagrun_timeout is not None
    if dag_id in SCHEDULED:
        assert dag.catchup is False
    for t in dag.tasks:
        where = f"{dag_id}.{t.task_id}"
        assert t.owner and t.owner != "airflow", where
        assert t.retries >= 1, where
        assert t.retry_exponential_backoff and t.retry_exponential_backoff > 1, (
            f"{where}: Airflow 3.3 takes a multiplier; True (=1.0) would mean constant delay"
        )
        assert t.retry_delay and t.retry_delay >= timedelta(seconds=1), where
        assert t.max_retry_delay is not None and t.max_retry_delay <= timedelta(hours=1), where
        assert t.execution_timeout is not None and t.execution_timeout > timedelta(0), where
        callbacks = t.on_failure_callback if isinstance(t.on_failure_callback, list) else [t.on_failure_callback]
        assert any(callable(cb) for cb in callbacks), f"{where}: on_failure_callback"
        if t.task_id in DUCKDB_WRITERS[dag_id]:
            assert t.pool == POOL, f"{where} writes DuckDB but runs in pool {t.pool!r}"
            assert t.pool_slots == 1, where
    missing = DUCKDB_WRITERS[dag_id] - set(dag.task_ids)
    assert not missing, f"{dag_id} lacks tasks {missing}"
    for task_id in UNPOOLED_MAPPED.get(dag_id, ()):
        t = dag.get_task(task_id)
        assert type(t).__name__ in {"MappedOperator", "DecoratedMappedOperator"}, f"{dag_id}.{task_id} is mapped"
        assert t.pool != POOL, f"{dag_id}.{task_id} must not wait for the one-slot pool"


def _assets(condition) -> set[str]:
    from airflow.sdk import Asset

    found = set()
    stack = [condition]
    while stack:
        node = stack.pop()
        if isinstance(node, Asset):
            found.add(node.uri)
        stack.extend(getattr(node, "objects", []) or [])
    return found


def test_ingest_schedule_and_mapping(dagbag):
    from airflow.sdk import CronTriggerTimetable

    dag = dagbag.dags["meetwire_ingest"]
    tt = dag.timetable
    assert isinstance(tt, CronTriggerTimetable) or "CronTrigger" in type(tt).__name__
    assert tt.expression == "*/30 * * * *"
    fetch = dag.get_task("fetch_clean")
    assert type(fetch).__name__ in {"MappedOperator", "DecoratedMappedOperator"}, "fetch_clean is dynamically mapped"
    assert "feed_batches" in fetch.upstream_task_ids
    load = dag.get_task("load_articles")
    assert "fetch_clean" in load.upstream_task_ids and load.trigger_rule == "none_failed"
    finish = dag.get_task("finish_run")
    assert "load_articles" in finish.upstream_task_ids
    assert finish.trigger_rule == "none_failed", "an empty feed list (skipped mapping) still closes the run"
    publish = dag.get_task("publish_articles")
    assert {a.uri for a in publish.outlets} == {"meetwire://articles/"}
    assert "finish_run" in publish.upstream_task_ids and not publish.downstream_task_ids
    assert dag.get_task("mark_run_failed").trigger_rule == "one_failed"


def test_asset_chain(dagbag):
    from airflow.sdk import AssetOrTimeSchedule

    extract = dagbag.dags["meetwire_extract"]
    assert _assets(extract.timetable.asset_condition) == {"meetwire://articles/"}
    assert {a.uri for a in extract.get_task("publish_events").outlets} == {"meetwire://events/"}
    assert "load_events" in extract.get_task("publish_events").upstream_task_ids
    assert "stage_articles" in extract.get_task("extract_events").upstream_task_ids

    quality = dagbag.dags["meetwire_quality"]
    tt = quality.timetable
    assert isinstance(tt, AssetOrTimeSchedule), "quality runs after each load AND daily"
    assert _assets(tt.asset_condition) == {"meetwire://events/"}
    assert tt.timetable.expression == "0 6 * * *"
    assert quality.catchup is False

    reprocess = dagbag.dags["meetwire_reprocess"]
    assert {a.uri for a in reprocess.get_task("reprocess").outlets} == {"meetwire://events/"}


def test_manual_dags(dagbag):
    for dag_id in ("meetwire_reprocess", "meetwire_pipeline"):
        dag = dagbag.dags[dag_id]
        assert type(dag.timetable).__name__ == "NullTimetable", f"{dag_id} is manual (schedule=None)"
    params = dagbag.dags["meetwire_reprocess"].params
    assert {"since", "until", "extractor_version"} <= set(params.keys())
    assert params["since"] is None and params["until"] is None and params["extractor_version"] is None

    pipeline = dagbag.dags["meetwire_pipeline"]
    order = ["start_run", "feed_batches", "fetch_clean", "load_articles", "stage_articles", "extract_events",
             "load_events", "quality", "summary", "finish_run"]
    for up, down in zip(order, order[1:]):
        assert down in pipeline.get_task(up).downstream_task_ids, f"{up} -> {down}"
    assert not any(t.outlets for t in pipeline.tasks), "the all-in-one DAG must not trigger the asset chain"


def test_reprocess_params_validate(dagbag):
    from airflow.sdk.exceptions import ParamValidationError

    params = copy.deepcopy(dagbag.dags["meetwire_reprocess"].params)
    params.update({"since": "2024-05-01", "until": "2024-06-01T00:00:00Z"})
    resolved = params.validate()
    assert resolved["since"] == "2024-05-01" and resolved["extractor_version"] is None
    with pytest.raises(ParamValidationError):
        params.update({"since": "last tuesday"})
        params.validate()
