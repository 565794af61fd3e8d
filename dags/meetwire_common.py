"""Shared definitions for the meetwire DAGs: assets, pool, default task arguments, small helpers.

Parse-time rules (tests/dags enforce them): this module and the DAG files import only the standard library and
``airflow.sdk``. The library (``meetwire.pipeline``, DuckDB, HTTP clients, great-expectations) is imported inside
task callables, so the scheduler/dag-processor parses the files in milliseconds and never touches the data.

This file holds no DAG; it is listed in ``dags/.airflowignore`` and imported by the DAG files (Airflow puts the
DAGs folder on ``sys.path`` both when parsing and when running tasks).
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta, timezone
from typing import Any

from airflow.sdk import Asset

log = logging.getLogger(__name__)

#: DuckDB allows one writing process per database file: every task that writes it runs in this one-slot pool.
DUCKDB_POOL = "meetwire_duckdb"
DUCKDB_POOL_DESCRIPTION = "meetwire: DuckDB allows one writer; every task that writes the database takes this slot"

#: Emitted by meetwire_ingest when new articles are loaded; schedules meetwire_extract.
ARTICLES = Asset(name="meetwire_articles", uri="meetwire://articles", group="meetwire")
#: Emitted by meetwire_extract (and meetwire_reprocess) when events are upserted; schedules meetwire_quality.
EVENTS = Asset(name="meetwire_events", uri="meetwire://events", group="meetwire")

OWNER = "meetwire-data"
TAGS = ["meetwire"]

#: A fixed, past start date: with catchup=False only the latest interval runs.
START_DATE = datetime(2024, 1, 1, tzinfo=timezone.utc)

DEFAULT_INGEST_SCHEDULE = "*/30 * * * *"
DEFAULT_QUALITY_CRON = "0 6 * * *"


def env_schedule(name: str, default: str) -> str | None:
    """A cron expression (or preset such as ``@hourly``) from the environment; ``none``/``off`` disables it."""
    value = os.environ.get(name, "").strip() or default
    return None if value.lower() in {"none", "off", "manual"} else value


def _seconds(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, "") or default)
    except ValueError:
        return default


def notify_failure(context: Any) -> None:
    """``on_failure_callback``: hand the failure to the library's alert sinks (webhook, Slack, email, log).

    Imported lazily (no library import at parse time) and never raises: a broken alert sink must not mask the
    task's own error.
    """
    try:
        from meetwire.alerts import notify_task_failure
    except Exception:  # pragma: no cover - the library module is missing or broken
        ti = context.get("ti") if hasattr(context, "get") else None
        log.exception("meetwire.alerts unavailable; task failure not forwarded: %s", ti)
        return
    try:
        notify_task_failure(context)
    except Exception:
        log.exception("meetwire.alerts.notify_task_failure raised; the task failure stands")


def default_args(**overrides: Any) -> dict[str, Any]:
    """Task defaults shared by every meetwire DAG: retries with exponential backoff, timeouts, alerting."""
    args: dict[str, Any] = {
        "owner": OWNER,
        "depends_on_past": False,
        "retries": 2,
        # MEETWIRE_AIRFLOW_RETRY_DELAY (seconds) lets tests shorten the wait; production keeps the default.
        "retry_delay": timedelta(seconds=_seconds("MEETWIRE_AIRFLOW_RETRY_DELAY", 60)),
        # Airflow 3.3: a multiplier (True would mean 1.0, i.e. constant delay): 60s, 120s, 240s ... capped.
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(minutes=15),
        "execution_timeout": timedelta(minutes=30),
        "on_failure_callback": notify_failure,
    }
    args.update(overrides)
    return args


def settings():
    """The library's settings, read from MEETWIRE_* at task run time (call inside tasks only)."""
    from meetwire.settings import get_settings

    return get_settings()


def sum_counts(results: Any) -> dict[str, Any]:
    """Add up the numeric values of several small result dicts (mapped task outputs); keep the last others."""
    total: dict[str, Any] = {}
    for result in results or []:
        if isinstance(result, (list, tuple)) or (hasattr(result, "__iter__") and not isinstance(result, (str, dict))):
            for key, value in sum_counts(list(result)).items():  # a mapped task's results, nested
                total[key] = total.get(key, 0) + value
            continue
        if not isinstance(result, dict):
            continue
        for key, value in result.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            total[key] = total.get(key, 0) + value
    return total


def compact(result: Any, limit: int = 50) -> Any:
    """Keep XCom small: truncate long lists inside a result dict (the full detail is in the logs/DuckDB)."""
    if isinstance(result, dict):
        return {k: compact(v, limit) for k, v in result.items()}
    if isinstance(result, (list, tuple)) and len(result) > limit:
        return [compact(v, limit) for v in list(result)[:limit]] + [f"... {len(result) - limit} more"]
    if isinstance(result, (list, tuple)):
        return [compact(v, limit) for v in result]
    if result is None or isinstance(result, (str, int, float, bool)):
        return result
    return str(result)


# --- Task callables -------------------------------------------------------------------------------------------
# Plain functions, wrapped with @task in the DAG files. Each imports the library when it runs and returns only
# small JSON-able values (ids, counts) for XCom.

def _numeric(result: Any) -> dict[str, Any]:
    return sum_counts([result])


def start_run(stage: str) -> str:
    """Open a row in the library's run ledger; the run id is passed to the stages and to finish_run."""
    from meetwire import pipeline

    ledger_run_id = pipeline.start_run(settings(), stage, orchestrator="airflow")
    log.info("meetwire %s run %s started", stage, ledger_run_id)
    return ledger_run_id


def feed_batches(batch_size: int = 50, ledger_run_id: str | None = None) -> list[list[str]]:
    """Under the pool: load pages an earlier run staged, sync the feeds config, write the fetch plan to the staging
    folder; the enabled feed ids in batches (one mapped fetch_clean task per batch)."""
    from meetwire import fanout

    batches = fanout.plan_ingest(settings(), ledger_run_id, batch_size=int(batch_size))
    log.info("%d enabled feeds in %d batches", sum(len(b) for b in batches), len(batches))
    return [list(b) for b in batches]


def fetch_clean(feed_ids: list[str], ledger_run_id: str) -> dict[str, Any]:
    """No pool, no database: fetch, archive and clean one batch of feeds into a staged Parquet file."""
    from meetwire import fanout

    feed_ids = list(feed_ids)
    try:  # names the mapped task instance in the UI (map_index_template="{{ feed_batch_label }}")
        from airflow.sdk import get_current_context

        label = (feed_ids[0] + (f" +{len(feed_ids) - 1}" if len(feed_ids) > 1 else "")) if feed_ids else "empty"
        get_current_context()["feed_batch_label"] = label  # type: ignore[typeddict-unknown-key]
    except Exception:  # outside a task run (unit use): no label
        pass
    result = fanout.fetch_batch(settings(), ledger_run_id, feed_ids)
    log.info("fetched and cleaned %d feeds: %s", len(feed_ids), result)
    return compact(result)


def load_articles(ledger_run_id: str) -> dict[str, Any]:
    """Under the pool: load every staged batch in one transaction; the counts of the whole ingest."""
    from meetwire import fanout

    result = fanout.load_ingested(settings(), ledger_run_id)
    log.info("loaded the staged pages: %s", result)
    return compact(result)


def stage_articles(ledger_run_id: str) -> list[str]:
    """Under the pool: stage the articles waiting for extraction in chunks (one mapped extract_events each)."""
    from meetwire import fanout

    return fanout.stage_articles(settings(), ledger_run_id)


def extract_events(chunk: str) -> dict[str, Any]:
    """No pool, no database: extract the events of one staged chunk of articles into a staged file."""
    from meetwire import fanout

    result = fanout.extract_chunk(settings(), chunk)
    log.info("extracted chunk %s: %s", chunk, result)
    return result


def load_events(ledger_run_id: str, close_run: bool = False) -> dict[str, Any]:
    """Under the pool: merge the staged events into DuckDB (one transaction); `close_run`: the extract DAG's own
    ledger row is closed here (a failure is recorded by mark_run_failed)."""
    from meetwire import fanout, pipeline

    s = settings()
    result = fanout.load_extracted(s, ledger_run_id)
    if close_run:
        pipeline.finish_run(s, ledger_run_id, status="success", counts=_numeric(result))
    log.info("extract: %s", result)
    return compact(result)


def finish_run(ledger_run_id: str, results: Any = None, extracted: dict | None = None, status: str = "success") -> dict:
    """Close the run ledger row with the summed counts of the ingest results (and the extract counts)."""
    from meetwire import pipeline

    if isinstance(results, dict):
        results = [results]
    elif results is not None and not isinstance(results, (list, tuple)):
        # A mapped task's lazy XCom sequence: one slice request. Iterating it probes one item past the end,
        # which Airflow logs as an error ("XCom not found") although nothing is wrong.
        results = list(results[:])
    counts = sum_counts(results)
    if extracted:
        counts.update({f"extract_{k}": v for k, v in _numeric(extracted).items()})
        if "events" in extracted:
            counts["events"] = extracted["events"]
    pipeline.finish_run(settings(), ledger_run_id, status=status, counts=counts)
    log.info("meetwire run %s finished %s: %s", ledger_run_id, status, counts)
    return counts


def mark_run_failed(run_task_id: str = "start_run", **context: Any) -> None:
    """Trigger rule one_failed: record the failure in the run ledger (the DAG run still fails)."""
    ti = context["ti"]
    ledger_run_id = ti.xcom_pull(task_ids=run_task_id)
    if not ledger_run_id:
        log.warning("no run id (the %s task did not succeed); nothing to record", run_task_id)
        return
    from meetwire import pipeline

    pipeline.finish_run(settings(), ledger_run_id, status="failed")
    log.error("meetwire run %s marked failed", ledger_run_id)


def _staged(stage: str, func_name: str, ledger_run_id: str | None, **kwargs: Any) -> dict[str, Any]:
    """Run one library stage; open/close its own ledger row when no run id is given."""
    from meetwire import pipeline

    s = settings()
    own = ledger_run_id is None
    if own:
        ledger_run_id = pipeline.start_run(s, stage)
    try:
        result = getattr(pipeline, func_name)(s, run_id=ledger_run_id, **kwargs)
    except BaseException:
        if own:
            try:
                pipeline.finish_run(s, ledger_run_id, status="failed")
            except Exception:
                log.exception("could not record the failure of run %s", ledger_run_id)
        raise
    if own:
        ok = not (isinstance(result, dict) and result.get("success") is False)
        pipeline.finish_run(s, ledger_run_id, status="success" if ok else "failed", counts=_numeric(result))
    log.info("%s: %s", stage, result)
    return compact(result) if isinstance(result, dict) else {"result": compact(result)}


def quality(ledger_run_id: str | None = None) -> dict[str, Any]:
    """Run the great-expectations suites (results in dq_results, alerts sent by the library).

    Fails the task, without retrying (the data will not change by waiting), when a ``fail``-severity
    expectation failed.
    """
    from airflow.sdk.exceptions import AirflowFailException

    result = _staged("quality", "quality", ledger_run_id)
    if not result.get("success", False):
        raise AirflowFailException(
            f"data quality failed: {result.get('failed')}; data docs: {result.get('docs_path')}"
        )
    return result


def reprocess(since: str | None = None, until: str | None = None, extractor_version: str | None = None) -> dict:
    """Rebuild cleaned text and events from the raw archive (no network); report what changed."""
    from meetwire import pipeline

    result = pipeline.reprocess(
        settings(), since=since or None, until=until or None, extractor_version=extractor_version or None
    )
    log.info("reprocess since=%s until=%s extractor_version=%s: %s", since, until, extractor_version, result)
    return compact(result) if isinstance(result, dict) else {"result": compact(result)}


def summary() -> dict[str, Any]:
    """Counts for the end-of-run summary (also printed to the task log)."""
    from meetwire import pipeline

    result = pipeline.summary(settings())
    lines = ["meetwire summary:"] + [f"  {k}: {v}" for k, v in (result or {}).items()]
    print("\n".join(lines))
    return compact(result) if isinstance(result, dict) else {"result": compact(result)}


def publish_if_new(counts: Any, key: str, asset_uri: str) -> dict[str, Any]:
    """The task that carries the asset outlet: skipped (so no asset event, no downstream DAG run) when the
    stage reports ``key == 0`` (e.g. an ingest that found no new articles) or reports nothing at all.
    Counts without that key (an unexpected result shape): publish, erring on the side of running downstream."""
    from airflow.sdk import get_current_context
    from airflow.sdk.exceptions import AirflowSkipException

    counts = counts if isinstance(counts, dict) else {}
    if not counts or (key in counts and not counts[key]):
        # Empty counts: the stage had nothing to do at all (e.g. no enabled feeds: the mapping was empty).
        raise AirflowSkipException(f"{key} = 0: nothing new, no {asset_uri} event")
    extra = {k: v for k, v in _numeric(counts).items()}
    try:
        outlet_events = get_current_context()["outlet_events"]
        for asset in (ARTICLES, EVENTS):
            if asset.uri.rstrip("/") == asset_uri.rstrip("/"):
                outlet_events[asset].extra = extra
    except Exception:  # the event is still emitted, only without the counts
        log.warning("could not attach counts to the %s event", asset_uri, exc_info=True)
    log.info("publishing %s: %s", asset_uri, extra)
    return extra
