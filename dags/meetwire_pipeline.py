"""
### meetwire_pipeline

Manual only: the whole cycle in one DAG run, on the settings from the environment (defaults: the seed feeds
`seeds/feeds.toml`, DuckDB at `data/meetwire.duckdb`). This is what `make run` executes with
`scripts/airflow.sh dags test meetwire_pipeline`.

`start_run` -> `feed_batches` (sync feeds, plan) -> `fetch_clean` (mapped over feed batches, no pool) ->
`load_articles` -> `stage_articles` -> `extract_events` (mapped over chunks, no pool) -> `load_events` ->
`quality` -> `summary` -> `finish_run`; `mark_run_failed` records a failed stage in the run ledger. The same
tasks as `meetwire_ingest` and `meetwire_extract` (see their docs for the staging folder).

`summary` runs even when quality fails (so the counts are printed), but the DAG run still fails. The
scheduled DAGs (`meetwire_ingest` -> `meetwire_extract` -> `meetwire_quality`) do the same work
incrementally, chained by assets; this DAG emits no assets so it does not trigger them.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import Param, TriggerRule, dag, task

import meetwire_common as mw


@dag(
    dag_id="meetwire_pipeline",
    description="The whole cycle: sync feeds, fetch and clean (mapped), load, extract (mapped), load, quality, summary",
    schedule=None,
    start_date=mw.START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=6),
    default_args=mw.default_args(),
    params={"batch_size": Param(50, type="integer", minimum=1, maximum=10000, description="feeds per mapped task")},
    tags=[*mw.TAGS, "pipeline"],
    doc_md=__doc__,
)
def meetwire_pipeline():
    pooled = {"pool": mw.DUCKDB_POOL}
    run_id = task(task_id="start_run", **pooled)(mw.start_run)("pipeline")
    batches = task(task_id="feed_batches", **pooled)(mw.feed_batches)("{{ params.batch_size }}", run_id)
    # fetch_clean and extract_events hold no pool: they never open the database and run in parallel
    fetched = (
        task(task_id="fetch_clean", map_index_template="{{ feed_batch_label }}")(mw.fetch_clean)
        .partial(ledger_run_id=run_id)
        .expand(feed_ids=batches)
    )
    ingested = task(task_id="load_articles", trigger_rule=TriggerRule.NONE_FAILED, **pooled)(mw.load_articles)(run_id)
    fetched >> ingested
    staged = task(task_id="stage_articles", **pooled)(mw.stage_articles)(run_id)
    ingested >> staged
    extracted_chunks = task(task_id="extract_events")(mw.extract_events).expand(chunk=staged)
    extracted = task(task_id="load_events", trigger_rule=TriggerRule.NONE_FAILED, **pooled)(mw.load_events)(
        run_id, False
    )
    extracted_chunks >> extracted
    checked = task(task_id="quality", **pooled)(mw.quality)(run_id)
    extracted >> checked
    summarized = task(task_id="summary", trigger_rule=TriggerRule.ALL_DONE, **pooled)(mw.summary)()
    checked >> summarized
    finished = task(task_id="finish_run", trigger_rule=TriggerRule.NONE_FAILED, **pooled)(mw.finish_run)(
        run_id, ingested, extracted
    )
    [checked, summarized] >> finished
    failed = task(task_id="mark_run_failed", trigger_rule=TriggerRule.ONE_FAILED, **pooled)(mw.mark_run_failed)()
    [run_id, batches, fetched, ingested, staged, extracted_chunks, extracted, checked] >> failed


meetwire_pipeline()
