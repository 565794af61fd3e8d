"""A small smoke run of `meetwire bench e2e`: the loopback site, both sides, the rerun and the query timing all
run, and the JSON carries its contract keys. Never the timings: those belong to the bench, not to a test."""

import json

from typer.testing import CliRunner

from meetwire.bench_e2e import RESULT_KEYS, vary_html
from meetwire.cli import app


def test_bench_e2e_smoke_run_writes_every_key(shared_dir, tmp_path):
    out = tmp_path / "bench.json"
    res = CliRunner().invoke(app, ["bench", "e2e", "--size", "6", "--query-events", "300", "--out", str(out),
                                   "--workdir", str(tmp_path / "work")])
    assert res.exit_code == 0, res.output
    result = json.loads(out.read_text())
    assert set(RESULT_KEYS) <= set(result)
    assert result["size"] == 6 and result["http_requests"] >= 6
    assert set(result["stage_seconds"]) >= {"ingest", "extract", "dq", "rerun_ingest", "rerun_extract"}
    assert set(result["peak_rss_mb"]) == {"baseline", "meetwire"}
    assert result["counts"]["articles"] + result["counts"]["quarantine"] >= 6  # every page stored or quarantined
    assert 0 < result["clean_f1"] <= 1 and 0 < result["baseline_clean_f1"] <= 1
    assert result["query_p95_ms"] is not None and result["query_events"] == 300


def test_copies_are_distinct_articles_but_keep_the_page():
    html = "<html><body><p>The minister met the envoy in <b>Paris</b> on Monday to discuss trade.</p></body></html>"
    assert vary_html(html, 0) == html
    one, two = vary_html(html, 1), vary_html(html, 2)
    assert one != html and two != one
    assert one.count("<p>") == 1 and "<b>Paris</b>" in one
