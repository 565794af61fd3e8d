"""
### meetwire_ingest

Every 30 minutes (override with `MEETWIRE_INGEST_SCHEDULE`, a cron expression; `none` disables the schedule):

1. `start_run` opens a row in the run ledger (`runs` table);
2. `feed_batches` syncs the feeds config (`MEETWIRE_FEEDS`, default `seeds/feeds.toml`) into DuckDB and returns the
   enabled feed ids in batches of `params.batch_size`;
3. `ingest` is **mapped** over the batches (one task instance per batch): fetch feeds and articles politely,
   archive the raw responses, clean and load articles;
4. `finish_run` closes the ledger row with the summed counts; `publish_articles` emits the
   `meetwire://articles` asset (with the counts as extra), which schedules `meetwire_extract` - or is skipped
   when no new article arrived, so an idle feed does not re-run extract and quality every 30 minutes.
   `mark_run_failed` records a failure in the ledger when a stage fails.

Every task that writes DuckDB runs in the one-slot pool `meetwire_duckdb`. Failures go to the alert sinks
(`MEETWIRE_ALERT_WEBHOOK`, `MEETWIRE_SLACK_WEBHOOK`, `MEETWIRE_ALERT_EMAIL`, and the task log).
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import CronTriggerTimetable, Param, TriggerRule, dag, task

import meetwire_common as mw

_cron = mw.env_schedule("MEETWIRE_INGEST_SCHEDULE", mw.DEFAULT_INGEST_SCHEDULE)


@dag(
    dag_id="meetwire_ingest",
    description="Fetch, archive, clean and load articles from the enabled feeds (mapped over feed batches)",
    schedule=CronTriggerTimetable(_cron, timezone="UTC") if _cron else None,
    start_date=mw.START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=3),
    default_args=mw.default_args(),
    params={"batch_size": Param(50, type="integer", minimum=1, maximum=10000, description="feeds per mapped task")},
    tags=[*mw.TAGS, "ingest"],
    doc_md=__doc__,
)
def meetwire_ingest():
    run_id = task(task_id="start_run", pool=mw.DUCKDB_POOL)(mw.start_run)("ingest")
    batches = task(task_id="feed_batches", pool=mw.DUCKDB_POOL)(mw.feed_batches)("{{ params.batch_size }}")
    run_id >> batches
    results = (
        task(task_id="ingest", pool=mw.DUCKDB_POOL, map_index_template="{{ feed_batch_label }}")(mw.ingest)
        .partial(ledger_run_id=run_id)
        .expand(feed_ids=batches)
    )
    finished = task(task_id="finish_run", pool=mw.DUCKDB_POOL, trigger_rule=TriggerRule.NONE_FAILED)(
        mw.finish_run
    )(run_id, results)
    task(task_id="publish_articles", outlets=[mw.ARTICLES])(mw.publish_if_new)(
        finished, key="articles_new", asset_uri=mw.ARTICLES.uri
    )
    failed = task(task_id="mark_run_failed", pool=mw.DUCKDB_POOL, trigger_rule=TriggerRule.ONE_FAILED)(
        mw.mark_run_failed
    )()
    [run_id, batches, results] >> failed


meetwire_ingest()
