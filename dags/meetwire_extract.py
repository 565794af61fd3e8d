"""
### meetwire_extract

Scheduled on the `meetwire://articles` asset (emitted by `meetwire_ingest` after each load).

`start_run` opens a ledger row; `stage_articles` (pool) writes the articles not yet extracted with the current extractor
version to the staging folder in chunks; `extract_events` is **mapped** over the chunks with **no pool** and no
database access (each writes a staged events file; they run in parallel on any worker); `load_events` (pool)
stores the mentions, re-merges the reports of the same meeting across articles and upserts the events in one
transaction (`pipeline.load_extractions`, the same code as `meetwire extract`), and closes the ledger row.
`publish_events` then emits the `meetwire://events` asset, which schedules `meetwire_quality` (skipped when no
article was extracted: nothing changed for the checks). `mark_run_failed` closes the ledger row as failed.

Tasks that open DuckDB run in the one-slot pool `meetwire_duckdb`; failures go to the alert sinks.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import TriggerRule, dag, task

import meetwire_common as mw


@dag(
    dag_id="meetwire_extract",
    description="Extract meeting events from newly loaded articles; merge and upsert them",
    schedule=[mw.ARTICLES],
    start_date=mw.START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=2),
    default_args=mw.default_args(),
    tags=[*mw.TAGS, "extract"],
    doc_md=__doc__,
)
def meetwire_extract():
    run_id = task(task_id="start_run", pool=mw.DUCKDB_POOL)(mw.start_run)("extract")
    chunks = task(task_id="stage_articles", pool=mw.DUCKDB_POOL)(mw.stage_articles)(run_id)
    # no pool: these run in parallel on any worker and never open the database
    extracted = task(task_id="extract_events")(mw.extract_events).expand(chunk=chunks)
    loaded = task(task_id="load_events", pool=mw.DUCKDB_POOL, trigger_rule=TriggerRule.NONE_FAILED)(
        mw.load_events
    )(run_id, close_run=True)
    extracted >> loaded
    task(task_id="publish_events", outlets=[mw.EVENTS])(mw.publish_if_new)(
        loaded, key="articles_extracted", asset_uri=mw.EVENTS.uri
    )
    failed = task(task_id="mark_run_failed", pool=mw.DUCKDB_POOL, trigger_rule=TriggerRule.ONE_FAILED)(
        mw.mark_run_failed
    )()
    [run_id, chunks, extracted, loaded] >> failed


meetwire_extract()
