"""Structured logs: `MEETWIRE_LOG_FORMAT=json` / `--log-format json` give one JSON object per line with the run id."""

from __future__ import annotations

import io
import json
import logging

from typer.testing import CliRunner

from meetwire import logs
from meetwire.cli import app


def test_json_lines_carry_the_bound_run_id_and_extras():
    stream = io.StringIO()
    handler = logs.configure(logging.INFO, fmt="json", stream=stream)
    token = logs.bind_run(None)  # start_run binds its run for the rest of a process: start from none
    try:
        log = logging.getLogger("meetwire.test")
        log.info("before")
        with logs.run_context("ingest-1"):
            log.info("fetched %d pages", 3, extra={"feed_id": "f1"})
            try:
                raise ValueError("boom")
            except ValueError:
                log.exception("failed")
        log.info("after")
    finally:
        logs.reset_run(token)
        logging.getLogger().removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [r["run_id"] for r in lines] == [None, "ingest-1", "ingest-1", None]
    assert lines[1]["message"] == "fetched 3 pages" and lines[1]["feed_id"] == "f1"
    assert lines[1]["level"] == "INFO" and lines[1]["logger"] == "meetwire.test" and lines[1]["ts"].endswith("+00:00")
    assert "ValueError: boom" in lines[2]["exception"]


def test_text_lines_name_the_run():
    stream = io.StringIO()
    handler = logs.configure(logging.INFO, fmt="text", stream=stream)
    try:
        with logs.run_context("run-7"):
            logging.getLogger("meetwire.test").warning("slow feed")
    finally:
        logging.getLogger().removeHandler(handler)
    assert "WARNING meetwire.test [run run-7]: slow feed" in stream.getvalue()


def test_cli_run_logs_json_with_its_run_id(mw_env, monkeypatch):
    monkeypatch.setenv("MEETWIRE_GX_DOCS", "0")
    res = CliRunner().invoke(app, ["--log-format", "json", "ingest"])
    assert res.exit_code == 0, res.output
    records = [json.loads(line) for line in res.stderr.splitlines() if line.startswith("{")]
    assert records, res.stderr
    ingest = [r for r in records if r["logger"] == "meetwire.ingest"]
    assert ingest and all(r["run_id"] and r["run_id"].startswith("ingest-") for r in ingest)


def test_a_wrong_log_format_is_refused(mw_env, monkeypatch):
    res = CliRunner().invoke(app, ["--log-format", "xml", "settings"])
    assert res.exit_code == 2 and "text or json" in res.stderr
    monkeypatch.setenv("MEETWIRE_LOG_FORMAT", "yaml")
    res = CliRunner().invoke(app, ["settings"])
    assert res.exit_code == 2 and "MEETWIRE_LOG_FORMAT" in res.stderr
