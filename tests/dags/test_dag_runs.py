"""End to end: the DAGs run with dag.test() (in a subprocess) on the seed feed into a temporary DuckDB file."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.airflow

ARTICLES = "meetwire://articles/"
EVENTS = "meetwire://events/"


def _query(data, sql, params=None):
    import duckdb

    con = duckdb.connect(str(data / "meetwire.duckdb"), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _campbell_ma(data) -> list[tuple]:
    """v_events rows whose participants include Campbell and Ma Zhaoxu: (event_id, n_articles, participants)."""
    rows = _query(data, "SELECT event_id, n_articles, participants FROM v_events")

    def has(names, surname):
        return any(surname.lower() in name.lower().split() for name in names)

    return [r for r in rows if has(r[2], "Campbell") and has(r[2], "Zhaoxu")]


def _states(run) -> dict[str, str]:
    return {k: v["state"] for k, v in run["tasks"].items()}


def _check_seed_result(data) -> None:
    assert _query(data, "SELECT count(*) FROM articles")[0][0] == 2
    matches = _campbell_ma(data)
    assert len(matches) == 1, f"expected one Campbell-Ma event, got {matches}"
    assert matches[0][1] == 2, f"the Campbell-Ma event should be reported by both articles: {matches[0]}"


def test_pipeline_dag_runs_the_whole_cycle_on_the_seeds(run_dags):
    report, data = run_dags("meetwire_pipeline")
    (run,) = report["runs"]
    states = _states(run)
    assert run["state"] == "success", (states, report["log"])
    expected = {"start_run", "feed_batches", "load_articles", "stage_articles", "load_events", "quality", "summary",
                "finish_run"}
    assert all(states[t] == "success" for t in expected), states
    mapped = [k for k in states if k.startswith("fetch_clean[")]
    assert mapped == ["fetch_clean[0]"] and states["fetch_clean[0]"] == "success", "one fetch_clean per feed batch"
    assert [k for k in states if k.startswith("extract_events[")] == ["extract_events[0]"], "one chunk of articles"
    assert states["extract_events[0]"] == "success"
    assert states["mark_run_failed"] == "skipped"
    assert report["pools"].get("meetwire_duckdb") == 1, "scripts/airflow.sh setup created the one-slot pool"
    assert run["asset_events"] == [], "the all-in-one DAG does not trigger the asset chain"
    assert report["alerts"] == []

    _check_seed_result(data)
    # XCom carries small things only: ids and counts.
    assert isinstance(run["xcom"]["start_run"], str)
    assert run["xcom"]["feed_batches"] == [[_query(data, "SELECT feed_id FROM feeds")[0][0]]]
    assert run["xcom"]["quality"]["success"] is True
    assert run["xcom"]["summary"]["counts"]["articles"] == 2
    # The run ledger row is closed with the summed counts.
    (status, detail) = _query(data, "SELECT status, detail FROM runs WHERE run_id = ?", [run["xcom"]["start_run"]])[0]
    assert status == "success"
    assert '"articles_new": 2' in detail
    assert _query(data, "SELECT count(*) FROM dq_results WHERE run_id = ?", [run["xcom"]["start_run"]])[0][0] > 0


def test_scheduled_dags_ingest_extract_quality_then_reprocess(run_dags):
    # One process, the DAGs in the order the assets chain them (dag.test does not follow asset triggers).
    report, data = run_dags(
        "meetwire_ingest",
        "meetwire_extract",
        "meetwire_quality",
        'meetwire_reprocess={"since": "2024-01-01", "until": null, "extractor_version": null}',
    )
    ingest, extract, quality, reprocess = report["runs"]
    assert ingest["state"] == "success", (_states(ingest), report["log"])
    assert _states(ingest)["fetch_clean[0]"] == "success"
    assert ingest["xcom"]["fetch_clean[0]"]["pages_staged"] == 2, "the batch fetched and staged, did not load"
    assert ingest["xcom"]["load_articles"]["articles_new"] == 2
    assert [e["uri"] for e in ingest["asset_events"]] == [ARTICLES]
    assert ingest["asset_events"][0]["task_id"] == "publish_articles"
    assert ingest["asset_events"][0]["extra"].get("articles_new") == 2, "the event carries the counts"

    assert extract["state"] == "success", (_states(extract), report["log"])
    assert [e["uri"] for e in extract["asset_events"]] == [EVENTS]
    assert extract["asset_events"][0]["task_id"] == "publish_events"
    assert extract["xcom"]["load_events"]["articles_extracted"] == 2, "ingest loads; extract (only) extracts"
    assert extract["xcom"]["extract_events[0]"]["articles"] == 2
    assert quality["state"] == "success", (_states(quality), report["log"])
    assert quality["xcom"]["quality"]["success"] is True
    assert reprocess["state"] == "success", (_states(reprocess), report["log"])
    assert [e["uri"] for e in reprocess["asset_events"]] == [EVENTS]
    changed = reprocess["xcom"]["reprocess"]
    assert changed["articles_reextracted"] == 2, changed
    # Rebuilding from the same archive with the same code changes nothing.
    assert changed["events_added"] == changed["events_removed"] == changed["events_changed"] == 0, changed
    _check_seed_result(data)
    stages = dict(_query(data, "SELECT stage, status FROM runs"))
    assert stages.get("ingest") == "success" and stages.get("extract") == "success"
    assert stages.get("quality") == "success"


def test_quality_failure_fails_the_task_once_and_the_run(run_dags):
    """A fail-severity expectation failing: the quality task fails without retries (data will not change by
    waiting), the failure callback reaches the alert sinks, the pipeline still prints its summary, records the
    failed run in the ledger, and the DAG run fails."""
    report, data = run_dags("meetwire_pipeline", "meetwire_quality", fail_quality=True, fake_stages=True)
    pipeline, quality = report["runs"]
    assert _states(pipeline)["fetch_clean"] == "skipped", "no enabled feeds: the mapping is empty"

    states = _states(pipeline)
    assert pipeline["state"] == "failed", states
    assert states["quality"] == "failed"
    assert pipeline["tasks"]["quality"]["try_number"] == 1, "no retry for a data-quality failure"
    assert states["summary"] == "success", "the summary is printed even when quality fails"
    assert states["finish_run"] == "upstream_failed"
    assert states["mark_run_failed"] == "success"
    (status,) = _query(data, "SELECT status FROM runs WHERE stage = 'pipeline'")[0]
    assert status == "failed"

    assert quality["state"] == "failed"
    assert quality["tasks"]["quality"]["try_number"] == 1
    failed_alerts = [a for a in report["alerts"] if a["task_id"] == "quality"]
    assert {a["dag_id"] for a in failed_alerts} == {"meetwire_pipeline", "meetwire_quality"}
    # The library recognises this prefix and does not re-alert what the suites alerted already.
    assert all(a["exception"].startswith("data quality failed") for a in failed_alerts), failed_alerts


def test_nothing_new_emits_no_asset_event(run_dags):
    """No enabled feeds (an empty mapping) and nothing to extract: the runs succeed and close their ledger rows,
    but emit no asset event, so idle feeds do not re-run extract and quality every 30 minutes."""
    report, data = run_dags("meetwire_ingest", "meetwire_extract", fake_stages=True)
    ingest, extract = report["runs"]
    states = _states(ingest)
    assert ingest["state"] == "success", states
    assert states["fetch_clean"] == "skipped" and states["finish_run"] == "success", states
    assert states["publish_articles"] == "skipped" and ingest["asset_events"] == []
    assert _states(extract) == {"start_run": "success", "stage_articles": "success", "extract_events": "skipped", "load_events": "success",
                                "publish_events": "skipped", "mark_run_failed": "skipped"}
    assert extract["asset_events"] == []
    assert sorted(_query(data, "SELECT stage, status FROM runs")) == [("extract", "success"), ("ingest", "success")]
