"""Alerts for failing data-quality suites and failed Airflow tasks: log, generic webhook, Slack, email.

One alert per suite per run, never a storm:

* the `alerts` table holds the state of every suite (one row per suite per run in which it was failing or recovered);
* a suite that starts failing sends `state="failing"`, `consecutive_failures=1`;
* while it keeps failing, each run sends at most one summary with the running `consecutive_failures` count; from the
  third consecutive failure on, an *identical* set of failed expectations is only re-sent at counts
  5, 10, 20, 50, 100, ... (a row is still recorded, with `suppressed: true`, so the count keeps going);
  a changed set of failures is always sent;
* the first passing run after a failure sends `state="recovered"`; a healthy suite with no open failure sends nothing;
* the same (run_id, suite) is never alerted twice (an Airflow retry of the quality task stays quiet).

Sinks: the log (always), `MEETWIRE_ALERT_WEBHOOK` (JSON), `MEETWIRE_SLACK_WEBHOOK` (Slack incoming webhook),
`MEETWIRE_ALERT_EMAIL` (comma-separated recipients, sent through Airflow's SMTP settings, `AIRFLOW__SMTP__*`).
A failing sink is logged and skipped: alerting never crashes the run. Airflow is imported lazily.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
import ssl
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from meetwire import store
from meetwire.settings import Settings, get_settings

log = logging.getLogger(__name__)
# httpx logs every request's full URL at INFO, and a webhook URL is a secret: keep it to warnings wherever the
# alerts run (CLI, Airflow task or library use).
logging.getLogger("httpx").setLevel(logging.WARNING)

SEVERITY_RANK = {"warn": 1, "fail": 2}
# From the third consecutive identical failure on, re-send only at these counts (and every 100 after 100).
RESEND_AT = (5, 10, 20, 50, 100)
HTTP_ATTEMPTS = 3
RETRY_BACKOFF = 0.5  # seconds, doubled per attempt
# The quality task raises with a message starting with this when a fail-severity expectation failed
# (dags/meetwire_common.py); notify_task_failure does not re-alert those.
QUALITY_FAILURE_PREFIX = "data quality failed"


def min_severity() -> str:
    """MEETWIRE_ALERT_MIN_SEVERITY: `warn` (default: warn-only failures alert too) or `fail`."""
    value = get_settings().alert_min_severity.strip() or "warn"
    return value if value in SEVERITY_RANK else "warn"


@dataclass
class SuiteStatus:
    """One suite's outcome in one run: its failed expectations as {expectation, observed_value, severity}."""

    suite: str
    failed: list[dict[str, Any]] = field(default_factory=list)

    def alerting_failures(self, threshold: str | None = None) -> list[dict[str, Any]]:
        rank = SEVERITY_RANK[threshold or min_severity()]
        return [f for f in self.failed if SEVERITY_RANK.get(f.get("severity"), 2) >= rank]


def _severity(failed: Iterable[Mapping[str, Any]]) -> str:
    return "fail" if any(f.get("severity") == "fail" for f in failed) else "warn"


def _should_resend(consecutive: int) -> bool:
    return consecutive <= 2 or consecutive in RESEND_AT or (consecutive > 100 and consecutive % 100 == 0)


# --- deciding ----------------------------------------------------------------------------------------------------

def _last_state(con, suite: str) -> tuple | None:
    return con.execute(
        "SELECT run_id, state, consecutive_failures, payload FROM alerts WHERE suite = ?"
        " ORDER BY sent_at DESC LIMIT 1", [suite],
    ).fetchone()


def decide(con, run_id: str, status: SuiteStatus, docs: str | None) -> dict[str, Any] | None:
    """The alert payload for this suite in this run, or None when nothing is to be said."""
    already = con.execute("SELECT count(*) FROM alerts WHERE run_id = ? AND suite = ?",
                          [run_id, status.suite]).fetchone()[0]
    if already:
        return None
    last = _last_state(con, status.suite)
    was_failing = last is not None and last[1] == "failing"
    failures = status.alerting_failures()
    if failures:
        consecutive = (last[2] + 1) if was_failing else 1
        names = sorted(f["expectation"] for f in failures)
        previous_names = sorted(json.loads(last[3]).get("failed_names", [])) if was_failing and last[3] else None
        suppressed = previous_names == names and not _should_resend(consecutive)
        return {
            "suite": status.suite,
            "severity": _severity(failures),
            "run_id": run_id,
            "state": "failing",
            "consecutive_failures": consecutive,
            "failed_expectations": [
                {"expectation": f["expectation"], "observed_value": f.get("observed_value"),
                 "severity": f.get("severity")} for f in failures
            ],
            "failed_names": names,
            "changed": previous_names != names if was_failing else True,
            "suppressed": suppressed,
            "docs": docs,
        }
    if was_failing:
        return {
            "suite": status.suite,
            "severity": json.loads(last[3]).get("severity", "fail") if last[3] else "fail",
            "run_id": run_id,
            "state": "recovered",
            "consecutive_failures": 0,
            "failed_runs": last[2],
            "failed_expectations": [],
            "failed_names": [],
            "suppressed": False,
            "docs": docs,
        }
    return None


def process_suites(settings: Settings, run_id: str, statuses: Iterable[SuiteStatus], docs: str | None = None,
                   ) -> list[dict[str, Any]]:
    """Decide per suite, send through the configured sinks, record the state in `alerts`; return the payloads."""
    statuses = list(statuses)
    with store.connect(settings) as con:
        decisions = [d for d in (decide(con, run_id, s, docs) for s in statuses) if d is not None]
    if not decisions:
        return []
    records = []
    for payload in decisions:
        if payload["suppressed"]:
            log.warning("data quality suite %s still failing (%d consecutive runs, same failures): not re-sent",
                        payload["suite"], payload["consecutive_failures"])
            delivered = ["log"]
        else:
            delivered = send(settings, payload)
        records.append((payload, delivered))
    with store.connect(settings) as con:
        with store.transaction(con):
            for payload, delivered in records:
                con.execute(
                    "INSERT INTO alerts (run_id, suite, state, severity, n_failed, consecutive_failures, sinks,"
                    " payload, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [run_id, payload["suite"], payload["state"], payload["severity"],
                     len(payload["failed_expectations"]), payload["consecutive_failures"], delivered,
                     json.dumps(payload, default=str), store.utcnow()],
                )
    return [dict(p, sinks=d) for p, d in records]


# --- sinks -------------------------------------------------------------------------------------------------------

def summary_line(payload: Mapping[str, Any]) -> str:
    suite = payload.get("suite")
    if payload.get("state") == "recovered":
        return f"meetwire data quality: {suite} recovered after {payload.get('failed_runs', '?')} failing run(s)"
    failed = payload.get("failed_expectations") or []
    n = payload.get("consecutive_failures", 1)
    again = f", failing for {n} consecutive runs" if n and n > 1 else ""
    return f"meetwire data quality {str(payload.get('severity', 'fail')).upper()}: {suite}: {len(failed)} " \
           f"expectation(s) failed in run {payload.get('run_id')}{again}"


def webhook_body(payload: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("suite", "severity", "run_id", "failed_expectations", "docs", "state", "consecutive_failures")
    body = {k: payload.get(k) for k in keys}
    for extra in ("dag_id", "task_id", "exception", "try_number", "failed_runs"):
        if extra in payload:
            body[extra] = payload[extra]
    body["summary"] = summary_line(payload)
    return body


def slack_body(payload: Mapping[str, Any]) -> dict[str, Any]:
    text = summary_line(payload)
    emoji = ":white_check_mark:" if payload.get("state") == "recovered" else (
        ":rotating_light:" if payload.get("severity") == "fail" else ":warning:")
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"{emoji} *{_slack_escape(text)}*"}},
    ]
    failed = payload.get("failed_expectations") or []
    if failed:
        # Slack caps a section's text at 3000 characters: list what fits, then say how many more there are.
        lines: list[str] = []
        size = 0
        for f in failed[:15]:
            line = (f"• `{_slack_escape(str(f.get('expectation')))[:150]}` ({f.get('severity')}): "
                    f"{_slack_escape(str(f.get('observed_value')))[:200]}")
            if size + len(line) > 2700:
                break
            lines.append(line)
            size += len(line) + 1
        if len(failed) > len(lines):
            lines.append(f"… and {len(failed) - len(lines)} more")
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}})
    context = [f"run `{_slack_escape(str(payload.get('run_id')))}`"]
    if payload.get("docs"):
        context.append(f"docs: {_slack_escape(str(payload['docs']))}")
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": " | ".join(context)[:2900]}]})
    return {"text": text, "blocks": blocks}


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def email_message(payload: Mapping[str, Any], recipients: list[str], sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = f"[meetwire] {summary_line(payload)}"[:200]
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    lines = [summary_line(payload), ""]
    for f in payload.get("failed_expectations") or []:
        lines.append(f"- {f.get('expectation')} [{f.get('severity')}]: {f.get('observed_value')}")
    if payload.get("exception"):
        lines += ["", f"exception: {payload['exception']}"]
    if payload.get("docs"):
        lines += ["", f"docs: {payload['docs']}"]
    msg.set_content("\n".join(lines))
    return msg


def post_json(settings: Settings, url: str, body: Mapping[str, Any]) -> None:
    """POST with connect/read timeouts and a couple of retries on transport errors, 429 and 5xx."""
    import httpx

    timeout = httpx.Timeout(settings.http_read_timeout, connect=settings.http_connect_timeout)
    last_error: Exception | None = None
    with httpx.Client(timeout=timeout, headers={"User-Agent": settings.user_agent}) as client:
        for attempt in range(HTTP_ATTEMPTS):
            try:
                response = client.post(url, json=body)
                if response.status_code < 400:
                    return
                last_error = RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")
                if response.status_code != 429 and response.status_code < 500:
                    break  # a 4xx will not get better by retrying
            except httpx.HTTPError as exc:
                last_error = exc
            if attempt < HTTP_ATTEMPTS - 1:
                time.sleep(RETRY_BACKOFF * (2 ** attempt))
    raise RuntimeError(f"POST {_mask(url)} failed: {last_error}")


def _mask(url: str) -> str:
    """Scheme and host only: a webhook's path, query and any user:password@ are secrets."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or "?"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme or '?'}://{host}{port}/***"


def _smtp_settings() -> dict[str, Any]:
    """Airflow's [smtp] section: AIRFLOW__SMTP__* environment first, else Airflow's configuration if installed."""
    def env(key: str, default: str | None = None) -> str | None:
        return os.environ.get(f"AIRFLOW__SMTP__{key.upper()}", default)

    if env("smtp_host") is None:
        try:
            from airflow.configuration import conf  # lazy: only when email is configured

            def env(key: str, default: str | None = None) -> str | None:  # noqa: F811
                return conf.get("smtp", key, fallback=default)
        except Exception:  # pragma: no cover - Airflow missing or not configured
            pass
    truthy = {"1", "true", "yes", "on"}
    return {
        "host": env("smtp_host", "localhost"),
        "port": int(env("smtp_port", "25") or 25),
        "starttls": (env("smtp_starttls", "True") or "").lower() in truthy,
        "ssl": (env("smtp_ssl", "False") or "").lower() in truthy,
        "user": env("smtp_user"),
        "password": env("smtp_password"),
        "sender": env("smtp_mail_from", "airflow@example.com"),
        "timeout": float(env("smtp_timeout", "30") or 30),
    }


def send_email(settings: Settings, payload: Mapping[str, Any]) -> None:
    recipients = [r.strip() for r in settings.alert_email.replace(";", ",").split(",") if r.strip()]
    cfg = _smtp_settings()
    msg = email_message(payload, recipients, cfg["sender"])
    smtp_cls = smtplib.SMTP_SSL if cfg["ssl"] else smtplib.SMTP
    with smtp_cls(cfg["host"], cfg["port"], timeout=cfg["timeout"]) as smtp:
        if cfg["starttls"] and not cfg["ssl"]:
            smtp.starttls(context=ssl.create_default_context())
        if cfg["user"] and cfg["password"]:
            smtp.login(cfg["user"], cfg["password"])
        smtp.send_message(msg, to_addrs=recipients)


def configured_sinks(settings: Settings) -> dict[str, Callable[[Settings, Mapping[str, Any]], None]]:
    sinks: dict[str, Callable[[Settings, Mapping[str, Any]], None]] = {}
    if settings.alert_webhook:
        sinks["webhook"] = lambda s, p: post_json(s, s.alert_webhook, webhook_body(p))
    if settings.slack_webhook:
        sinks["slack"] = lambda s, p: post_json(s, s.slack_webhook, slack_body(p))
    if settings.alert_email:
        sinks["email"] = send_email
    return sinks


def send(settings: Settings, payload: Mapping[str, Any]) -> list[str]:
    """Deliver through every configured sink; return the names of those that succeeded ('log' always does)."""
    level = logging.INFO if payload.get("state") == "recovered" else (
        logging.ERROR if payload.get("severity") == "fail" else logging.WARNING)
    failed = payload.get("failed_expectations") or []
    log.log(level, "%s%s", summary_line(payload),
            "".join(f"\n  {f.get('expectation')} [{f.get('severity')}]: {f.get('observed_value')}" for f in failed))
    delivered = ["log"]
    for name, sink in configured_sinks(settings).items():
        try:
            sink(settings, payload)
            delivered.append(name)
        except Exception as exc:
            log.error("alert sink %s failed for %s: %s", name, payload.get("suite"), exc)
    return delivered


# --- Airflow ------------------------------------------------------------------------------------------------------

def notify_task_failure(context: Mapping[str, Any]) -> list[str]:
    """`on_failure_callback` for DAGs and tasks: alert the failed task through the same sinks. Never raises."""
    try:
        ti = context.get("task_instance") or context.get("ti")
        dag = context.get("dag")
        dag_id = getattr(ti, "dag_id", None) or getattr(dag, "dag_id", None) or "?"
        task_id = getattr(ti, "task_id", None) or getattr(context.get("task"), "task_id", None) or "?"
        run_id = context.get("run_id") or getattr(ti, "run_id", None) or "?"
        exception = context.get("exception")
        exc_text = f"{type(exception).__name__}: {exception}" if exception is not None else "task failed"
        if exception is not None and str(exception).startswith(QUALITY_FAILURE_PREFIX):
            # The quality task fails *because* suites failed, and those were alerted per suite already (with
            # de-duplication); a second, task-level alert for the same thing would be the storm we avoid.
            log.warning("task %s.%s failed on data quality (already alerted per suite): %s", dag_id, task_id,
                        exc_text[:500])
            return ["log"]
        payload = {
            "suite": f"airflow:{dag_id}.{task_id}",
            "severity": "fail",
            "run_id": str(run_id),
            "state": "failing",
            "consecutive_failures": 1,
            "failed_expectations": [{"expectation": f"task_succeeded({task_id})",
                                     "observed_value": exc_text[:1000], "severity": "fail"}],
            "docs": getattr(ti, "log_url", None),
            "dag_id": dag_id,
            "task_id": task_id,
            "exception": exc_text[:4000],
            "try_number": getattr(ti, "try_number", None),
        }
        return send(get_settings(), payload)
    except Exception:  # a callback that raises hides the original failure
        log.exception("notify_task_failure failed")
        return []
