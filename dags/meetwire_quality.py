"""
### meetwire_quality

Runs after every load of events (the `meetwire://events` asset, from `meetwire_extract` or
`meetwire_reprocess`) **and** daily at 06:00 UTC (override with `MEETWIRE_QUALITY_SCHEDULE`), so freshness is
checked even when nothing arrives.

`quality` runs the great-expectations suites, records every result in `dq_results`, builds the data docs
(`MEETWIRE_DOCS_DIR`) and sends alerts. The task **fails** (without retrying: the data will not change by
waiting) when a `fail`-severity expectation fails; `warn`-severity failures are recorded and alerted only.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import AssetOrTimeSchedule, CronTriggerTimetable, dag, task

import meetwire_common as mw

_cron = mw.env_schedule("MEETWIRE_QUALITY_SCHEDULE", mw.DEFAULT_QUALITY_CRON)


@dag(
    dag_id="meetwire_quality",
    description="Data quality suites after each load and daily; fails on fail-severity expectations",
    schedule=(
        AssetOrTimeSchedule(timetable=CronTriggerTimetable(_cron, timezone="UTC"), assets=[mw.EVENTS])
        if _cron
        else [mw.EVENTS]
    ),
    start_date=mw.START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=1),
    default_args=mw.default_args(),
    tags=[*mw.TAGS, "quality"],
    doc_md=__doc__,
)
def meetwire_quality():
    task(task_id="quality", pool=mw.DUCKDB_POOL)(mw.quality)()


meetwire_quality()
