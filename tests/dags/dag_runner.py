"""Run meetwire DAGs with ``dag.test()`` in a fresh process and print a JSON report (used by tests/dags).

    python tests/dags/dag_runner.py [--fail-quality] [--alerts-log FILE] DAG_ID[=JSON_CONF] ...

The environment (AIRFLOW_HOME with a migrated SQLite DB, AIRFLOW__CORE__DAGS_FOLDER, MEETWIRE_*) comes from the
caller. Runs the DAGs in order, in this one process (tasks run in-process too, so the patches below apply), and
prints one line ``MEETWIRE_DAG_REPORT {...}`` with, per DAG: the run state, every task instance's state and try
number, the task return values (XCom) and the asset events recorded by the run; plus the Airflow pools.

--fail-quality       patch ``meetwire.pipeline.quality`` to report a failed ``fail``-severity expectation.
--fake-stages        patch ``meetwire.fanout`` to plan no feed batches and no extraction chunks and to load
                     nothing (zero counts; tests of the DAGs' control flow).
--alerts-log FILE    patch ``meetwire.alerts.notify_task_failure`` to append each call (dag, task, exception) to FILE.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def _patch(fail_quality: bool, alerts_log: str | None, fake_stages: bool = False) -> None:
    if fake_stages:
        from meetwire import fanout

        fanout.plan_ingest = lambda settings, run_id, batch_size=50: []  # no enabled feeds: the mapping is empty
        fanout.load_ingested = lambda settings, run_id: {"feeds": 0, "articles_new": 0}
        fanout.stage_articles = lambda settings, run_id: []  # nothing to extract: the mapping is empty
        fanout.load_extracted = lambda settings, run_id: {"articles_extracted": 0, "events": 0}
    if fail_quality:
        from meetwire import pipeline

        def quality(settings, run_id=None, suites=None):  # noqa: ARG001 - same signature as the library
            return {"run_id": run_id, "success": False, "n_checks": 1, "n_failed": 1,
                    "failed": ["events.expect_column_values_to_not_be_null(event_id)"], "docs_path": None}

        pipeline.quality = quality
    if alerts_log:
        import meetwire.alerts as alerts

        def notify_task_failure(context):
            ti = context.get("ti") or context.get("task_instance")
            with open(alerts_log, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"dag_id": ti.dag_id, "task_id": ti.task_id,
                                     "exception": str(context.get("exception"))}) + "\n")
            return ["test"]

        alerts.notify_task_failure = notify_task_failure


def _s(state) -> str | None:
    return None if state is None else str(getattr(state, "value", state))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fail-quality", action="store_true")
    parser.add_argument("--alerts-log")
    parser.add_argument("--fake-stages", action="store_true")
    parser.add_argument("dags", nargs="+")
    args = parser.parse_args(argv)

    _patch(args.fail_quality, args.alerts_log, args.fake_stages)

    from airflow.dag_processing.dagbag import BundleDagBag
    from airflow.models.asset import AssetEvent
    from airflow.models.pool import Pool
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    dags_folder = Path(os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
    bag = BundleDagBag(dag_folder=dags_folder, bundle_path=dags_folder, bundle_name="dags-folder")
    if bag.import_errors:
        print("MEETWIRE_DAG_REPORT " + json.dumps({"import_errors": bag.import_errors}))
        return 1

    report: dict = {"runs": []}
    for spec in args.dags:
        dag_id, _, conf = spec.partition("=")
        dag = bag.get_dag(dag_id)
        dr = dag.test(run_conf=json.loads(conf) if conf else None)
        with create_session() as session:
            tis = {}
            for ti in dr.get_task_instances(session=session):
                key = ti.task_id if ti.map_index < 0 else f"{ti.task_id}[{ti.map_index}]"
                tis[key] = {"state": _s(ti.state), "try_number": ti.try_number}
            xcoms = {}
            for x in session.scalars(
                select(XComModel).where(
                    XComModel.dag_id == dag_id, XComModel.run_id == dr.run_id, XComModel.key == "return_value"
                )
            ):
                key = x.task_id if x.map_index < 0 else f"{x.task_id}[{x.map_index}]"
                value = x.value
                try:
                    value = json.loads(value) if isinstance(value, (str, bytes)) else value
                except ValueError:
                    pass
                xcoms[key] = value
            events = [
                {"uri": e.asset.uri, "task_id": e.source_task_id, "extra": e.extra}
                for e in session.scalars(
                    select(AssetEvent).where(AssetEvent.source_dag_id == dag_id, AssetEvent.source_run_id == dr.run_id)
                )
            ]
        report["runs"].append(
            {"dag_id": dag_id, "state": _s(dr.state),
             "tasks": tis, "xcom": xcoms, "asset_events": events}
        )
    with create_session() as session:
        report["pools"] = {p.pool: p.slots for p in session.scalars(select(Pool))}
    print("MEETWIRE_DAG_REPORT " + json.dumps(report, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
