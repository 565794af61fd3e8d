"""The CLI contracts: `extract --jsonl` (stdout is JSON lines only), `sql`, `settings`."""

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from meetwire.cli import app

SENTENCE = ("Indian Prime Minister Narendra Modi met Japanese Prime Minister Fumio Kishida in Tokyo on Monday "
            "to discuss trade and security.")


def _meetwire(args, stdin: str, env=None):
    exe = Path(sys.executable).with_name("meetwire")
    return subprocess.run([str(exe), *args], input=stdin, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


def test_extract_jsonl_contract():
    lines = [
        {"id": "a", "text": SENTENCE, "published_at": "2024-05-29"},
        {"id": 2, "text": "The central bank left interest rates unchanged on Thursday."},
    ]
    proc = _meetwire(["extract", "--jsonl"], "\n".join(json.dumps(x) for x in lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]  # every stdout line is JSON
    assert [o["id"] for o in out] == ["a", 2]
    assert out[1]["events"] == []
    (event,) = out[0]["events"]
    for key in ("participants", "date", "date_precision", "location", "mode", "status", "topics", "evidence",
                "confidence"):
        assert key in event
    names = {p["name"] for p in event["participants"]}
    assert any("Modi" in n for n in names) and any("Kishida" in n for n in names)
    assert event["date"] == "2024-05-27" and event["date_precision"] == "day"
    assert event["status"] == "occurred"
    assert event["location"] == "Tokyo"
    from meetwire.extract import EXTRACTOR_VERSION

    assert event["extractor_version"] == EXTRACTOR_VERSION


def test_extract_jsonl_bad_line_gets_an_error_line_and_exit_2():
    proc = _meetwire(["extract", "--jsonl"], 'not json\n{"id": 1, "text": "Nothing happened here."}\n')
    assert proc.returncode == 2
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert out[0]["error"] == "bad_input" and out[1] == {"id": 1, "events": []}
    assert "line 1" in proc.stderr


def test_sql_formats(mw_env):
    runner = CliRunner()
    result = runner.invoke(app, ["sql", "SELECT 1 AS one, 'x' AS two", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"one": 1, "two": "x"}]
    result = runner.invoke(app, ["sql", "SELECT count(*) AS n FROM v_events", "--format", "csv"])
    assert result.stdout.splitlines() == ["n", "0"]
    result = runner.invoke(app, ["sql", "SELECT * FROM v_events"])
    assert "event_id" in result.output and "(0 rows)" in result.output


def test_settings_show_env(mw_env, monkeypatch):
    monkeypatch.setenv("MEETWIRE_ALERT_WEBHOOK", "https://hooks.example/secret-token")
    result = CliRunner().invoke(app, ["settings"])
    assert f"MEETWIRE_DB={mw_env.db}" in result.output
    assert "secret-token" not in result.output  # secrets are masked


def test_ingest_urls_from_the_command_line(mw_env, monkeypatch, httpserver):
    from meetwire import store

    body = ("<html><head><title>Ministers meet</title></head><body><article><h1>Ministers meet</h1>"
            + "".join(f"<p>The foreign ministers of Chile and Peru met in Lima on Monday for round {i} of talks on "
                      f"the border, trade and migration, officials said after the session ended.</p>" for i in range(4))
            + "</article></body></html>")
    httpserver.expect_request("/news/1").respond_with_data(body, content_type="text/html; charset=utf-8")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    monkeypatch.setenv("MEETWIRE_ALLOW_PRIVATE_HOSTS", "127.0.0.1,localhost")
    monkeypatch.setenv("MEETWIRE_HTTP_MIN_INTERVAL", "0")
    url = httpserver.url_for("/news/1")
    result = CliRunner().invoke(app, ["ingest", url])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["articles_new"] == 1
    with store.connect(mw_env) as con:
        assert con.execute("SELECT title, text_source FROM articles").fetchall() == [("Ministers meet", "page")]
    # Refused without the allowance: loopback is a private address (SSRF guard).
    monkeypatch.delenv("MEETWIRE_ALLOW_PRIVATE_HOSTS")
    result = CliRunner().invoke(app, ["ingest", httpserver.url_for("/news/2")])
    with store.connect(mw_env) as con:
        assert con.execute("SELECT reason FROM quarantine").fetchall() == [("ssrf_blocked",)]
