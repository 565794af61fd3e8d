"""Data-quality suites: a healthy database passes, each kind of corruption fails the right expectation."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from meetwire import quality, store
from meetwire.ids import stable_id

from dq_support import NOW


def dq_rows(settings, run_id):
    with store.connect(settings) as con:
        return con.execute(
            "SELECT suite, expectation, success, observed_value, severity, details FROM dq_results WHERE run_id = ?"
            " ORDER BY suite, expectation", [run_id],
        ).fetchall()


def failing(settings, run_id):
    return {(s, e) for s, e, ok, *_ in dq_rows(settings, run_id) if not ok}


def test_suites_are_declared_with_severities():
    names = quality.list_suites()
    assert {"articles", "actors", "events", "event_participants", "event_articles", "event_topics",
            "pipeline"} <= set(names)
    for name in names:
        suite = quality.SUITES[name]
        assert suite.checks
        for check in suite.checks:
            assert check.severity in ("warn", "fail")
            assert check.name.startswith("expect_") and check.name.endswith(")")
    events = {c.name: c.severity for c in quality.SUITES["events"].checks}
    assert events["expect_column_values_to_not_be_null(event_id)"] == "fail"
    assert events["expect_column_values_to_be_in_set(mode)"] == "fail"
    assert events["expect_column_values_to_be_between(n_participants)"] == "warn"
    assert all(c.severity == "warn" for c in quality.SUITES["pipeline"].checks)


def test_healthy_database_passes_and_records(healthy_db, receiver, monkeypatch):
    settings, _ = healthy_db
    monkeypatch.setenv("MEETWIRE_ALERT_WEBHOOK", receiver.url())
    from meetwire.settings import get_settings

    settings = get_settings()
    report = quality.run_quality(settings)

    assert report.success, [(r.suite, r.expectation, r.observed_value) for r in report.failed]
    assert report.failed == []
    rows = dq_rows(settings, report.run_id)
    assert len(rows) == len(report.results) > 50
    assert {r[0] for r in rows} == set(quality.list_suites())
    names = {(r[0], r[1]) for r in rows}
    assert ("events", "expect_column_values_to_not_be_null(event_id)") in names
    assert ("articles", "expect_column_values_to_be_unique(article_id)") in names
    assert ("event_participants", "expect_column_values_to_be_null(actor_id_not_in_actors)") in names
    details = json.loads(rows[0][5])
    assert "why" in details and "kwargs" in details
    assert receiver.bodies == []
    with store.connect(settings) as con:
        assert con.execute("SELECT count(*) FROM alerts").fetchone()[0] == 0
        assert con.execute("SELECT stage, status FROM runs WHERE run_id = ?", [report.run_id]).fetchone() == (
            "quality", "success")
    assert report.docs_path and report.docs_path.exists()
    index = (settings.docs_dir / "quality" / "index.html").read_text()
    assert report.docs_path.name in index


def test_seed_like_old_publication_dates_are_fresh(healthy_db):
    """Articles published in 2024 but fetched an hour ago: freshness is about fetching, not publishing."""
    settings, _ = healthy_db
    report = quality.run_quality(settings, suites=["pipeline"])
    assert report.failed == []


def test_stale_feed_warns_without_failing_the_run(healthy_db, receiver, monkeypatch):
    settings, _ = healthy_db
    old = NOW - timedelta(hours=settings.freshness_hours + 10)
    with store.connect(settings) as con:
        con.execute("UPDATE feeds SET last_fetched_at = ?", [old])
        con.execute("UPDATE articles SET fetched_at = ?", [old])
    monkeypatch.setenv("MEETWIRE_ALERT_WEBHOOK", receiver.url())
    from meetwire.settings import get_settings

    report = quality.run_quality(get_settings(), suites=["pipeline"])
    assert report.success  # warn severity only
    assert failing(settings, report.run_id) == {
        ("pipeline", "expect_column_values_to_be_between(hours_since_fetch)"),
        ("pipeline", "expect_column_values_to_be_between(hours_since_new_article)"),
    }
    [body] = receiver.json_at("/hook")
    assert body["severity"] == "warn" and body["suite"] == "pipeline"


def test_failed_feed_fetch_warns(healthy_db):
    settings, _ = healthy_db
    with store.connect(settings) as con:
        con.execute("UPDATE feeds SET last_status = 503")
    report = quality.run_quality(settings, suites=["pipeline"])
    assert failing(settings, report.run_id) == {("pipeline", "expect_column_values_to_be_in_set(last_fetch_ok)")}


def _add_runs(settings, counts, current=None):
    with store.connect(settings) as con:
        start = NOW - timedelta(days=len(counts) + 1)
        for i, n in enumerate(counts):
            con.execute("INSERT INTO runs (run_id, stage, started_at, finished_at, status, n_articles)"
                        " VALUES (?, 'run', ?, ?, 'success', ?)",
                        [f"run-{i}", start + timedelta(days=i), start + timedelta(days=i, minutes=5), n])
        if current is not None:
            con.execute("INSERT INTO runs (run_id, stage, started_at, finished_at, status, n_articles)"
                        " VALUES ('run-current', 'run', ?, ?, 'success', ?)",
                        [NOW - timedelta(minutes=10), NOW - timedelta(minutes=1), current])


def test_volume_drop_against_history_warns(healthy_db):
    settings, _ = healthy_db
    _add_runs(settings, [100, 90, 110, 95, 105, 100], current=3)
    report = quality.run_quality(settings, run_id="run-current", suites=["pipeline"])
    assert failing(settings, "run-current") == {("pipeline", "expect_column_values_to_be_between(volume_ratio)")}
    [r] = [r for r in report.failed]
    assert r.observed_value == "0.03"


def test_volume_passes_without_enough_history(healthy_db):
    settings, _ = healthy_db
    _add_runs(settings, [100, 90], current=3)
    quality.run_quality(settings, run_id="run-current", suites=["pipeline"])
    assert failing(settings, "run-current") == set()


def test_duplicate_and_quarantine_rates(healthy_db):
    settings, ids = healthy_db
    with store.connect(settings) as con:
        for i in range(12):
            url = f"https://example.org/dup/{i}"
            con.execute(
                "INSERT INTO articles (article_id, url, canonical_url, fetched_at, content_sha256, duplicate_of,"
                " text_source, text, cleaned_at) VALUES (?, ?, ?, ?, 'x', ?, 'feed', 'same text', ?)",
                [stable_id(url), url, url, NOW, ids["articles"][0], NOW])
        for i in range(10):
            store.quarantine(con, url=f"https://example.org/bad/{i}", stage="fetch", reason="http_500")
    report = quality.run_quality(settings, suites=["pipeline"])
    assert failing(settings, report.run_id) == {
        ("pipeline", "expect_column_values_to_be_between(duplicate_rate)"),
        ("pipeline", "expect_column_values_to_be_between(quarantine_rate)"),
    }


def test_repeated_and_reprocess_quarantine_rows_do_not_raise_the_quarantine_rate(healthy_db):
    settings, _ = healthy_db
    with store.connect(settings) as con:
        for _ in range(3):  # one lost archive seen by three reprocess runs, one old failure seen again
            for i in range(10):
                store.quarantine(con, url=f"https://example.org/old/{i}", stage="reprocess", reason="archive_missing")
        con.execute("INSERT INTO quarantine (url, stage, reason, seen_at, first_seen_at, n_seen)"
                    " VALUES ('https://example.org/x', 'fetch', 'http_500', now(), now() - INTERVAL 30 DAY, 5)")
        assert con.execute("SELECT count(*), sum(n_seen) FROM quarantine").fetchone() == (11, 35)
    report = quality.run_quality(settings, suites=["pipeline"])
    assert ("pipeline", "expect_column_values_to_be_between(quarantine_rate)") not in failing(settings, report.run_id)


def test_event_dates_out_of_range_and_after_publication(healthy_db):
    settings, ids = healthy_db
    with store.connect(settings) as con:
        con.execute("UPDATE events SET event_date = DATE '2999-01-01' WHERE event_id = ?", [ids["events"][0]])
        # occurred a month after the newest article reporting it: impossible
        con.execute("UPDATE events SET event_date = DATE '2024-07-01' WHERE event_id = ?", [ids["events"][1]])
    report = quality.run_quality(settings, suites=["events"])
    assert not report.success
    assert failing(settings, report.run_id) == {
        ("events", "expect_column_values_to_be_between(event_date)"),
        ("events", "expect_column_values_to_be_in_set(date_not_after_publication)"),
    }


def test_duplicate_actor_id_fails_uniqueness():
    """The PRIMARY KEY keeps duplicates out of DuckDB, so validate a frame directly: the check itself works."""
    frame = pd.DataFrame({
        "actor_id": ["a1", "a1", "a2"], "name": ["Ada", "Ada", "Bo"], "title": [None] * 3,
        "organization": [None] * 3, "country": ["FR", "FR", "DE"],
        "updated_at": pd.to_datetime([datetime.now(timezone.utc)] * 3),
    })
    results = quality.evaluate({"actors": frame}, params={}, suites=["actors"])
    failed = {r.expectation for r in results if not r.success}
    assert failed == {"expect_column_values_to_be_unique(actor_id)"}
    [r] = [r for r in results if not r.success]
    assert r.severity == "fail" and "a1" in r.observed_value


def test_empty_database_passes(mw_env):
    report = quality.run_quality(mw_env)
    assert report.success, [(r.suite, r.expectation, r.observed_value) for r in report.failed]


def test_missing_column_fails_schema_check():
    frame = pd.DataFrame({"actor_id": ["a1"], "name": ["Ada"]})
    results = quality.evaluate({"actors": frame}, params={}, suites=["actors"])
    assert {r.expectation for r in results if not r.success} == {"expect_table_columns_to_match_set(actors)"}


def test_unknown_suite_is_an_error(mw_env):
    with pytest.raises(ValueError):
        quality.run_quality(mw_env, suites=["nope"])


def test_rerun_with_same_run_id_replaces_rows(healthy_db):
    settings, _ = healthy_db
    quality.run_quality(settings, run_id="r1", suites=["actors"])
    quality.run_quality(settings, run_id="r1", suites=["actors"])
    n = len(quality.SUITES["actors"].checks)
    assert len(dq_rows(settings, "r1")) == n


def test_run_page_lists_expectations(healthy_db):
    settings, _ = healthy_db
    report = quality.run_quality(settings, suites=["events"])
    page = report.docs_path.read_text()
    assert "expect_column_values_to_be_in_set(mode)" in page and "passed" in page


def test_event_yield_near_zero_warns(healthy_db):
    """Many extracted articles and none yields an event: the extractor or the loader broke."""
    settings, _ = healthy_db
    with store.connect(settings) as con:
        has_ledger = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'article_extractions'").fetchone()[0]
        for i in range(150):
            url = f"https://example.org/quiet/{i}"
            con.execute(
                "INSERT INTO articles (article_id, url, canonical_url, fetched_at, content_sha256, text_source,"
                " text, cleaned_at) VALUES (?, ?, ?, ?, ?, 'feed', 'No meeting here.', ?)",
                [stable_id(url), url, url, NOW, stable_id("c", i), NOW])
            if has_ledger:
                con.execute("INSERT INTO article_extractions (article_id, extractor_version, n_mentions, extracted_at)"
                            " VALUES (?, 'test-1', 0, ?)", [stable_id(url), NOW])
    report = quality.run_quality(settings, suites=["pipeline"])
    assert failing(settings, report.run_id) == {("pipeline", "expect_column_values_to_be_between(event_yield)")}
    [r] = report.failed
    assert float(r.observed_value) < 0.01


def test_docs_list_every_expectation():
    from pathlib import Path

    doc = (Path(quality.__file__).resolve().parents[2] / "docs" / "quality.md").read_text(encoding="utf-8")
    section = doc.split("<!-- expectations:start", 1)[1].split("-->", 1)[1].split("<!-- expectations:end -->")[0]
    assert section.strip() == quality.expectations_markdown().strip()
    for suite in quality.SUITES.values():
        for check in suite.checks:
            assert f"| `{check.name}` | {check.severity} |" in section, (suite.name, check.name)


def test_volume_of_a_running_run_counts_its_articles(healthy_db):
    """The pipeline checks before it closes its run (n_articles still NULL): count what the run fetched so far."""
    settings, _ = healthy_db
    _add_runs(settings, [100] * 6)
    with store.connect(settings) as con:
        con.execute("INSERT INTO runs (run_id, stage, started_at, status) VALUES ('run-live', 'run', ?, 'running')",
                    [NOW - timedelta(hours=2)])
    report = quality.run_quality(settings, run_id="run-live", suites=["pipeline"])
    [r] = report.failed
    assert r.expectation == "expect_column_values_to_be_between(volume_ratio)" and r.observed_value == "0.03"
    assert r.details["row"]["volume_current"] == 3 and r.details["row"]["volume_history"] == 6


def test_unreadable_frame_fails_every_check_of_it():
    results = quality.evaluate({}, params={}, suites=["event_topics"])
    assert results and all(not r.success and r.observed_value == "error" for r in results)
    assert {r.expectation for r in results} == {c.name for c in quality.SUITES["event_topics"].checks}


def test_day_precision_without_a_date_fails(healthy_db):
    settings, ids = healthy_db
    with store.connect(settings) as con:
        con.execute("UPDATE events SET event_date = NULL, date_precision = 'day' WHERE event_id = ?",
                    [ids["events"][0]])
    report = quality.run_quality(settings, suites=["events"])
    assert not report.success
    assert ("events", "expect_column_values_to_be_in_set(date_matches_precision)") in failing(settings, report.run_id)


def test_unmarked_copy_of_an_article_fails(healthy_db):
    settings, _ = healthy_db
    with store.connect(settings) as con:
        a, b = [r[0] for r in con.execute("SELECT article_id FROM articles ORDER BY article_id LIMIT 2").fetchall()]
        # the same content hash, and neither marked as the other's duplicate
        con.execute("UPDATE articles SET content_sha256 = (SELECT content_sha256 FROM articles WHERE article_id = ?),"
                    " duplicate_of = NULL WHERE article_id = ?", [a, b])
    report = quality.run_quality(settings, suites=["articles"])
    assert ("articles", "expect_column_values_to_be_between(n_unmarked_copies)") in failing(settings, report.run_id)
