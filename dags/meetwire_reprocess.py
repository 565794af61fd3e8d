"""
### meetwire_reprocess

Manual only. Rebuilds cleaned text and events **from the raw archive** (`MEETWIRE_ARCHIVE_DIR`) without the
network, e.g. after a cleaner fix or a new extractor version, and reports what changed (the task's return
value and log).

Params (all optional, leave empty for "everything"):

* `since`, `until` - ISO dates (`2024-05-01`) bounding the archived fetches to reprocess;
* `extractor_version` - reprocess only events/articles extracted with this version (default: those not at the
  current version, as the library decides).

Trigger from the UI ("Trigger DAG w/ config") or
`scripts/airflow.sh dags trigger meetwire_reprocess -c '{"since": "2024-05-01"}'`.
On success it emits `meetwire://events`, so `meetwire_quality` re-checks the rebuilt data.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import Param, dag, task

import meetwire_common as mw

_DATE = r"^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$"


@dag(
    dag_id="meetwire_reprocess",
    description="Rebuild cleaned text and events from the raw archive (no network); report what changed",
    schedule=None,
    start_date=mw.START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=6),
    default_args=mw.default_args(execution_timeout=timedelta(hours=4)),
    params={
        "since": Param(None, type=["null", "string"], pattern=_DATE, description="ISO date/time lower bound"),
        "until": Param(None, type=["null", "string"], pattern=_DATE, description="ISO date/time upper bound"),
        "extractor_version": Param(None, type=["null", "string"], description="extractor version to redo"),
    },
    render_template_as_native_obj=True,
    tags=[*mw.TAGS, "reprocess"],
    doc_md=__doc__,
)
def meetwire_reprocess():
    task(task_id="reprocess", pool=mw.DUCKDB_POOL, outlets=[mw.EVENTS])(mw.reprocess)(
        since="{{ params.since }}",
        until="{{ params.until }}",
        extractor_version="{{ params.extractor_version }}",
    )


meetwire_reprocess()
