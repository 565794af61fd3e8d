"""
### meetwire_extract

Scheduled on the `meetwire://articles` asset (emitted by `meetwire_ingest` after each load).

`extract` finds the articles not yet extracted with the current extractor version, extracts meeting events,
merges the reports of the same meeting across articles and upserts them into DuckDB, recording the run in the
ledger. `publish_events` then emits the `meetwire://events` asset, which schedules `meetwire_quality` (skipped
when no article was extracted: nothing changed for the checks).

Runs in the one-slot pool `meetwire_duckdb`; failures go to the alert sinks.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import dag, task

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
    extracted = task(task_id="extract", pool=mw.DUCKDB_POOL)(mw.extract)()
    task(task_id="publish_events", outlets=[mw.EVENTS])(mw.publish_if_new)(
        extracted, key="articles_extracted", asset_uri=mw.EVENTS.uri
    )


meetwire_extract()
