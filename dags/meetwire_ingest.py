"""
### meetwire_ingest

Every 30 minutes (override with `MEETWIRE_INGEST_SCHEDULE`, a cron expression; `none` disables the schedule):

1. `start_run` opens a row in the run ledger (`runs` table);
2. `feed_batches` loads what an earlier run staged but did not load, syncs the feeds config (`MEETWIRE_FEEDS`,
   default `seeds/feeds.toml`) into DuckDB, writes the fetch plan (validators, pending and known entries) to the
   staging folder and returns the enabled feed ids in batches of `params.batch_size`;
3. `fetch_clean` is **mapped** over the batches and holds **no pool**: each task instance fetches its feeds and
   their new pages politely, archives the raw responses, cleans the pages and writes one staged Parquet file
   (`MEETWIRE_STAGING_DIR`, shared by the workers); it never opens DuckDB, so the batches run in parallel on any
   worker, and a retry replaces its file;
4. `load_articles` loads every staged file in one transaction and removes them;
5. `finish_run` closes the ledger row with the counts; `publish_articles` emits the `meetwire://articles` asset
   (with the counts as extra), which schedules `meetwire_extract` - or is skipped when no new article arrived, so
   an idle feed does not re-run extract and quality every 30 minutes. `mark_run_failed` records a failure in the
   ledger when a stage fails.

Every task that opens DuckDB runs in the one-slot pool `meetwire_duckdb`; they are short. Failures go to the alert sinks
(`MEETWIRE_ALERT_WEBHOOK`, `MEETWIRE_SLACK_WEBHOOK`, `MEETWIRE_ALERT_EMAIL`, and the task log).
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import CronTriggerTimetable, Param, TriggerRule, dag, task

import meetwire_common as mw

_cron = mw.env_schedule("MEETWIRE_INGEST_SCHEDULE", mw.DEFAULT_INGEST_SCHEDULE)


@dag(
    dag_id="meetwire_ingest",
    description="Fetch, archive and clean the enabled feeds in parallel batches (staged files), then load them",
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
    batches = task(task_id="feed_batches", pool=mw.DUCKDB_POOL)(mw.feed_batches)("{{ params.batch_size }}", run_id)
    # no pool: these run in parallel on any worker and never open the database
    fetched = (
        task(task_id="fetch_clean", map_index_template="{{ feed_batch_label }}")(mw.fetch_clean)
        .partial(ledger_run_id=run_id)
        .expand(feed_ids=batches)
    )
    loaded = task(task_id="load_articles", pool=mw.DUCKDB_POOL, trigger_rule=TriggerRule.NONE_FAILED)(
        mw.load_articles
    )(run_id)
    fetched >> loaded
    finished = task(task_id="finish_run", pool=mw.DUCKDB_POOL, trigger_rule=TriggerRule.NONE_FAILED)(
        mw.finish_run
    )(run_id, loaded)
    task(task_id="publish_articles", outlets=[mw.ARTICLES])(mw.publish_if_new)(
        finished, key="articles_new", asset_uri=mw.ARTICLES.uri
    )
    failed = task(task_id="mark_run_failed", pool=mw.DUCKDB_POOL, trigger_rule=TriggerRule.ONE_FAILED)(
        mw.mark_run_failed
    )()
    [run_id, batches, fetched, loaded] >> failed


meetwire_ingest()
