"""Alerts: one per failing suite per run, summarised while failing, a recovery message, then silence."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from meetwire import alerts, quality, store
from meetwire.ids import stable_id
from meetwire.settings import get_settings

from dq_support import NOW, Receiver, free_port


def corrupt(settings, ids):
    """An event with mode 'telepathy', a participant pointing to a missing actor, an event with no article."""
    with store.connect(settings) as con:
        con.execute("UPDATE events SET mode = 'telepathy' WHERE event_id = ?", [ids["events"][0]])
        con.execute("INSERT INTO event_participants (event_id, actor_id, role) VALUES (?, 'ghost-actor', 'guest')",
                    [ids["events"][1]])
        orphan = stable_id("event", "orphan")
        con.execute(
            "INSERT INTO events (event_id, event_date, date_precision, mode, status, confidence, evidence,"
            " extractor_version, first_seen_at, updated_at)"
            " VALUES (?, DATE '2024-05-01', 'day', 'phone', 'occurred', 0.8, 'They spoke by phone.', 't', ?, ?)",
            [orphan, NOW, NOW])
        con.execute("INSERT INTO event_participants (event_id, actor_id, role) VALUES (?, ?, 'host')",
                    [orphan, ids["actors"][0]])
    return orphan


def repair(settings, ids, orphan):
    with store.connect(settings) as con:
        con.execute("UPDATE events SET mode = 'in_person' WHERE event_id = ?", [ids["events"][0]])
        con.execute("DELETE FROM event_participants WHERE actor_id = 'ghost-actor'")
        con.execute("DELETE FROM event_participants WHERE event_id = ?", [orphan])
        con.execute("DELETE FROM events WHERE event_id = ?", [orphan])


def test_alert_lifecycle(healthy_db, receiver, monkeypatch):
    _, ids = healthy_db
    monkeypatch.setenv("MEETWIRE_ALERT_WEBHOOK", receiver.url("/hook"))
    settings = get_settings()
    orphan = corrupt(settings, ids)

    # run 1: the two broken suites fail, each alerts exactly once
    r1 = quality.run_quality(settings, run_id="run-1")
    assert not r1.success
    with store.connect(settings) as con:
        failed = set(con.execute(
            "SELECT suite, expectation FROM dq_results WHERE run_id = 'run-1' AND NOT success AND severity = 'fail'"
        ).fetchall())
    assert failed == {
        ("events", "expect_column_values_to_be_in_set(mode)"),
        ("events", "expect_column_values_to_be_between(n_articles)"),
        ("events", "expect_column_values_to_be_in_set(rollups_fresh)"),  # rows written past the loader
        ("event_participants", "expect_column_values_to_be_null(actor_id_not_in_actors)"),
    }
    bodies = receiver.json_at("/hook")
    assert sorted(b["suite"] for b in bodies) == ["event_participants", "events"]
    by_suite = {b["suite"]: b for b in bodies}
    events = by_suite["events"]
    assert set(events) >= {"suite", "severity", "run_id", "failed_expectations", "docs", "state",
                           "consecutive_failures"}
    assert events["state"] == "failing" and events["consecutive_failures"] == 1 and events["severity"] == "fail"
    assert events["run_id"] == "run-1"
    names = {f["expectation"] for f in events["failed_expectations"]}
    assert names == {"expect_column_values_to_be_in_set(mode)", "expect_column_values_to_be_between(n_articles)",
                     "expect_column_values_to_be_in_set(rollups_fresh)"}
    mode = next(f for f in events["failed_expectations"] if f["expectation"].endswith("(mode)"))
    assert "telepathy" in mode["observed_value"] and mode["severity"] == "fail"
    ep = by_suite["event_participants"]["failed_expectations"]
    assert ep == [{"expectation": "expect_column_values_to_be_null(actor_id_not_in_actors)",
                   "observed_value": ep[0]["observed_value"], "severity": "fail"}]
    assert "ghost-actor" in ep[0]["observed_value"]
    page = Path(events["docs"])
    assert page.exists() and "telepathy" in page.read_text()
    gx_page = page.parent / "gx" / "run-1" / "events.events.html"  # GX's own rendering, linked from our page
    assert gx_page.exists() and "gx/run-1/events.events.html" in page.read_text()
    assert "Unsuccessful Expectations" in gx_page.read_text() and "run-1" in gx_page.read_text()

    # run 2: still failing: one summary per suite, counting
    quality.run_quality(settings, run_id="run-2")
    bodies = receiver.json_at("/hook")[2:]
    assert sorted(b["suite"] for b in bodies) == ["event_participants", "events"]
    assert all(b["state"] == "failing" and b["consecutive_failures"] == 2 for b in bodies)

    # the same run again (an Airflow retry): nothing new is sent
    quality.run_quality(settings, run_id="run-2")
    assert len(receiver.json_at("/hook")) == 4

    # run 3: repaired: one recovery message per suite
    repair(settings, ids, orphan)
    r3 = quality.run_quality(settings, run_id="run-3")
    assert r3.success and r3.failed == []
    bodies = receiver.json_at("/hook")[4:]
    assert sorted(b["suite"] for b in bodies) == ["event_participants", "events"]
    assert all(b["state"] == "recovered" and b["failed_expectations"] == [] for b in bodies)

    # run 4: healthy and nothing open: silence
    quality.run_quality(settings, run_id="run-4")
    assert len(receiver.json_at("/hook")) == 6

    with store.connect(settings) as con:
        states = con.execute(
            "SELECT run_id, suite, state, consecutive_failures, sinks FROM alerts ORDER BY run_id, suite").fetchall()
    assert [(r, s, st, n) for r, s, st, n, _ in states] == [
        ("run-1", "event_participants", "failing", 1), ("run-1", "events", "failing", 1),
        ("run-2", "event_participants", "failing", 2), ("run-2", "events", "failing", 2),
        ("run-3", "event_participants", "recovered", 0), ("run-3", "events", "recovered", 0),
    ]
    assert all(sinks == ["log", "webhook"] for *_, sinks in states)


def test_slack_payload_shape(healthy_db, receiver, monkeypatch):
    _, ids = healthy_db
    monkeypatch.setenv("MEETWIRE_SLACK_WEBHOOK", receiver.url("/slack"))
    settings = get_settings()
    corrupt(settings, ids)
    quality.run_quality(settings, run_id="slack-1", suites=["events"])
    [body] = receiver.json_at("/slack")
    assert set(body) == {"text", "blocks"}
    assert "events" in body["text"] and "FAIL" in body["text"]
    assert [b["type"] for b in body["blocks"]] == ["section", "section", "context"]
    assert body["blocks"][0]["text"]["type"] == "mrkdwn"
    assert "expect_column_values_to_be_in_set(mode)" in body["blocks"][1]["text"]["text"]
    assert body["blocks"][2]["elements"][0]["type"] == "mrkdwn"


def test_slack_body_escapes_and_truncates():
    payload = {"suite": "s<x>", "severity": "warn", "run_id": "r", "state": "failing", "consecutive_failures": 3,
               "failed_expectations": [{"expectation": f"e{i}", "observed_value": "v" * 500, "severity": "warn"}
                                       for i in range(20)], "docs": None}
    body = alerts.slack_body(payload)
    assert "<x>" not in json.dumps(body["blocks"])
    text = body["blocks"][1]["text"]["text"]
    assert len(text) < 3000 and text.endswith("more") and "… and " in text
    assert "3 consecutive runs" in body["text"]


def test_sink_down_does_not_raise(healthy_db, monkeypatch):
    _, ids = healthy_db
    monkeypatch.setenv("MEETWIRE_ALERT_WEBHOOK", f"http://127.0.0.1:{free_port()}/hook")
    monkeypatch.setenv("MEETWIRE_SLACK_WEBHOOK", f"http://127.0.0.1:{free_port()}/slack")
    settings = get_settings()
    corrupt(settings, ids)
    report = quality.run_quality(settings, run_id="down-1", suites=["events"])
    assert not report.success
    with store.connect(settings) as con:
        rows = con.execute("SELECT suite, state, sinks FROM alerts WHERE run_id = 'down-1'").fetchall()
    assert rows == [("events", "failing", ["log"])]


def test_server_error_is_retried_then_given_up(mw_env):
    bad = Receiver(status=500)
    try:
        settings = mw_env
        with pytest.raises(RuntimeError, match="HTTP 500"):
            alerts.post_json(settings, bad.url("/hook"), {"x": 1})
        assert len(bad.bodies) == alerts.HTTP_ATTEMPTS
        delivered = alerts.send(
            settings.__class__(alert_webhook=bad.url("/hook")),
            {"suite": "s", "severity": "fail", "run_id": "r", "state": "failing", "consecutive_failures": 1,
             "failed_expectations": []})
        assert delivered == ["log"]
    finally:
        bad.close()


def test_repeats_of_identical_failures_are_suppressed_with_backoff(mw_env, receiver, monkeypatch):
    monkeypatch.setenv("MEETWIRE_ALERT_WEBHOOK", receiver.url())
    settings = get_settings()
    same = [{"expectation": "expect_x(a)", "observed_value": "1", "severity": "fail"}]
    sent = []
    for i in range(1, 7):
        out = alerts.process_suites(settings, f"r{i}", [alerts.SuiteStatus("s", same)])
        assert len(out) == 1 and out[0]["consecutive_failures"] == i
        sent.append(not out[0]["suppressed"])
    assert sent == [True, True, False, False, True, False]  # 1, 2, then backoff: 5
    assert [b["consecutive_failures"] for b in receiver.json_at("/hook")] == [1, 2, 5]
    # a changed failure set is always sent
    changed = same + [{"expectation": "expect_y(b)", "observed_value": "2", "severity": "warn"}]
    out = alerts.process_suites(settings, "r7", [alerts.SuiteStatus("s", changed)])
    assert not out[0]["suppressed"] and out[0]["changed"]
    assert receiver.json_at("/hook")[-1]["consecutive_failures"] == 7
    # a pass after it: recovered, then silence
    assert alerts.process_suites(settings, "r8", [alerts.SuiteStatus("s", [])])[0]["state"] == "recovered"
    assert alerts.process_suites(settings, "r9", [alerts.SuiteStatus("s", [])]) == []


def test_min_severity_fail_ignores_warnings(mw_env, receiver, monkeypatch):
    monkeypatch.setenv("MEETWIRE_ALERT_WEBHOOK", receiver.url())
    monkeypatch.setenv("MEETWIRE_ALERT_MIN_SEVERITY", "fail")
    warn_only = [{"expectation": "expect_x(a)", "observed_value": "1", "severity": "warn"}]
    assert alerts.process_suites(get_settings(), "r1", [alerts.SuiteStatus("s", warn_only)]) == []
    assert receiver.bodies == []


def test_email_through_airflow_smtp_settings(mw_env, smtp_server, monkeypatch):
    monkeypatch.setenv("MEETWIRE_ALERT_EMAIL", "ops@example.org, data@example.org")
    monkeypatch.setenv("AIRFLOW__SMTP__SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("AIRFLOW__SMTP__SMTP_PORT", str(smtp_server.port))
    monkeypatch.setenv("AIRFLOW__SMTP__SMTP_STARTTLS", "False")
    monkeypatch.setenv("AIRFLOW__SMTP__SMTP_MAIL_FROM", "meetwire@example.org")
    payload = {"suite": "events", "severity": "fail", "run_id": "r1", "state": "failing", "consecutive_failures": 1,
               "failed_expectations": [{"expectation": "expect_column_values_to_be_in_set(mode)",
                                        "observed_value": "1 of 5 unexpected", "severity": "fail"}],
               "docs": "/tmp/x.html"}
    assert alerts.send(get_settings(), payload) == ["log", "email"]
    [msg] = smtp_server.messages
    assert sorted(msg["to"]) == ["<data@example.org>", "<ops@example.org>"]
    assert "Subject: [meetwire] meetwire data quality FAIL: events" in msg["data"]
    assert "expect_column_values_to_be_in_set(mode)" in msg["data"]


def test_notify_task_failure(mw_env, receiver, monkeypatch):
    monkeypatch.setenv("MEETWIRE_ALERT_WEBHOOK", receiver.url())
    ti = SimpleNamespace(dag_id="meetwire_pipeline", task_id="extract", run_id="manual__1", try_number=2,
                         log_url="http://airflow/log")
    delivered = alerts.notify_task_failure({"ti": ti, "run_id": "manual__1", "exception": ValueError("boom")})
    assert delivered == ["log", "webhook"]
    [body] = receiver.json_at("/hook")
    assert body["dag_id"] == "meetwire_pipeline" and body["task_id"] == "extract"
    assert body["run_id"] == "manual__1" and body["exception"] == "ValueError: boom"
    assert body["state"] == "failing" and body["severity"] == "fail"
    assert body["suite"] == "airflow:meetwire_pipeline.extract"


def test_notify_task_failure_never_raises(mw_env, monkeypatch):
    monkeypatch.setenv("MEETWIRE_ALERT_WEBHOOK", f"http://127.0.0.1:{free_port()}/hook")
    assert alerts.notify_task_failure({}) == ["log"]
    assert alerts.notify_task_failure(None) == []  # type: ignore[arg-type]


def test_quality_task_failure_is_not_alerted_twice(mw_env, receiver, monkeypatch):
    """The quality task fails because suites failed; those were alerted per suite, so the callback only logs."""
    monkeypatch.setenv("MEETWIRE_ALERT_WEBHOOK", receiver.url())
    ti = SimpleNamespace(dag_id="meetwire_quality", task_id="quality", run_id="scheduled__1", try_number=1)
    exc = RuntimeError("data quality failed: ['expect_column_values_to_be_in_set(mode)']; data docs: /x.html")
    assert alerts.notify_task_failure({"ti": ti, "exception": exc}) == ["log"]
    assert receiver.bodies == []


def test_docs_link_under_base_url(healthy_db, receiver, monkeypatch):
    _, ids = healthy_db
    monkeypatch.setenv("MEETWIRE_ALERT_WEBHOOK", receiver.url())
    monkeypatch.setenv("MEETWIRE_DOCS_BASE_URL", "https://dq.example.org/docs/")
    settings = get_settings()
    corrupt(settings, ids)
    quality.run_quality(settings, run_id="manual__2026-01-01T00:00:00+00:00", suites=["events"])
    [body] = receiver.json_at("/hook")
    assert body["docs"] == "https://dq.example.org/docs/quality/manual__2026-01-01T00_00_00_00_00.html"


def test_sink_errors_never_show_credentials_or_paths():
    import logging

    from meetwire.alerts import _mask

    masked = _mask("https://user:s3cret@hooks.example.org:8443/services/T000/B000/XXXX?token=abc")
    assert masked == "https://hooks.example.org:8443/***"
    assert "s3cret" not in masked and "user" not in masked and "token" not in masked
    assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING
