"""Acceptance: the whole pipeline on the two seed articles, checked field by field through v_events."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from meetwire import pipeline, store

DATA_TABLES = ("feeds", "raw_documents", "articles", "actors", "actor_aliases", "events", "event_participants",
               "event_topics", "event_articles", "stg_mentions", "quarantine")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """One full run on the seeds into a temporary DuckDB file (module scope: spaCy and the run cost seconds)."""
    mp = pytest.MonkeyPatch()
    data = tmp_path_factory.mktemp("seeded")
    mp.setenv("MEETWIRE_DB", str(data / "meetwire.duckdb"))
    mp.setenv("MEETWIRE_ARCHIVE_DIR", str(data / "raw"))
    mp.setenv("MEETWIRE_DOCS_DIR", str(data / "docs"))
    for name in ("MEETWIRE_ALERT_WEBHOOK", "MEETWIRE_SLACK_WEBHOOK", "MEETWIRE_ALERT_EMAIL", "MEETWIRE_FEEDS"):
        mp.delenv(name, raising=False)
    from meetwire.settings import get_settings

    settings = get_settings()
    result = pipeline.run_all(settings)
    yield settings, result
    mp.undo()


def _events(settings) -> list[dict]:
    with store.connect(settings) as con:
        cur = con.execute("SELECT * FROM v_events")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]


def _norm(topics) -> set[str]:
    return {t.lower().replace(" ", "_").replace("-", "_") for t in topics}


def _with(events, *surnames) -> list[dict]:
    """Events whose participants include every given surname (as a word of a participant's name)."""
    def has(ev, surname):
        return any(surname.lower() in name.lower().split() for name in ev["participants"])
    return [ev for ev in events if all(has(ev, s) for s in surnames)]


def test_articles_loaded_from_the_seed_feed(seeded):
    settings, result = seeded
    with store.connect(settings) as con:
        rows = con.execute(
            "SELECT title, source, published_at, text_source, raw_ref IS NOT NULL, text FROM articles ORDER BY published_at"
        ).fetchall()
    assert len(rows) == 2
    (title1, _, pub1, kind1, has_raw1, text1), (title0, source0, pub0, kind0, has_raw0, text0) = rows
    assert title0 == "US and China Navigate Tensions Amid Global Security Concerns"
    assert source0 == "PTI"
    # "Updated: 31-05-2024 21:45 IST" in the byline, with its zone.
    assert pub0 == datetime(2024, 5, 31, 21, 45, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    assert pub1.date() == date(2024, 5, 30)
    assert has_raw0 and has_raw1
    assert "Give Feedback" not in text0 and "leave a reply" not in text1


def test_campbell_ma_is_one_event_reported_by_both(seeded):
    settings, _ = seeded
    matches = _with(_events(settings), "Campbell", "Zhaoxu")
    assert len(matches) == 1, matches
    ev = matches[0]
    assert ev["event_date"] == date(2024, 5, 30)
    assert ev["date_precision"] == "day"
    assert "Washington" in (ev["location"] or "")
    assert ev["mode"] == "in_person"
    assert ev["status"] == "occurred"
    assert ev["n_articles"] == 2
    topics = _norm(ev["topics"])
    assert "taiwan" in topics
    assert any("ukraine" in t or "russia" in t for t in topics)
    assert "south_china_sea" in topics
    assert "human_rights" in topics
    assert ev["extractor_version"]
    assert ev["evidence"]


def test_finer_ma_is_a_separate_event_the_same_day(seeded):
    settings, _ = seeded
    events = _events(settings)
    finer = _with(events, "Finer", "Zhaoxu")
    assert len(finer) == 1
    assert finer[0]["event_date"] == date(2024, 5, 30)
    assert finer[0]["status"] == "occurred"
    assert finer[0]["event_id"] not in {ev["event_id"] for ev in _with(events, "Campbell", "Zhaoxu")}
    assert not any("Campbell" in name for name in finer[0]["participants"])


def test_lambert_hong_virtual(seeded):
    settings, _ = seeded
    (ev,) = _with(_events(settings), "Lambert", "Liang")
    assert (ev["event_date"], ev["date_precision"], ev["mode"], ev["status"]) == (date(2024, 5, 23), "day", "virtual", "occurred")


def test_woodside_summit_month_precision(seeded):
    settings, _ = seeded
    (ev,) = _with(_events(settings), "Biden", "Xi")
    assert (ev["event_date"], ev["date_precision"], ev["status"]) == (date(2023, 11, 1), "month", "occurred")


def test_defence_chiefs_meeting_is_planned(seeded):
    settings, _ = seeded
    planned = [ev for ev in _events(settings) if ev["status"] == "planned"]
    assert any("defen" in " ".join(ev["participants"]).lower() or "Singapore" in (ev["location"] or "")
               for ev in planned), planned
    # ... and nothing about the defence chiefs is recorded as having happened.
    assert not [ev for ev in _events(settings) if ev["status"] == "occurred"
                and "defen" in " ".join(ev["participants"]).lower()]


def test_press_briefing_is_not_a_meeting(seeded):
    settings, _ = seeded
    assert not _with(_events(settings), "Patel")


def test_campbell_is_one_actor_with_his_title(seeded):
    settings, _ = seeded
    with store.connect(settings) as con:
        actors = con.execute("SELECT actor_id, name, title, country FROM actors WHERE name ILIKE '%Campbell%'").fetchall()
        aliases = {r[0] for r in con.execute(
            "SELECT alias FROM actor_aliases WHERE actor_id = ?", [actors[0][0]]).fetchall()} if actors else set()
    assert len(actors) == 1, actors
    assert "Deputy Secretary" in (actors[0][2] or "")
    assert {"Kurt M Campbell", "Kurt Campbell"} <= aliases | {actors[0][1]}


def test_checks_pass_on_the_seeds(seeded):
    _, result = seeded
    assert result["quality"]["success"], result["quality"]
    assert result["quality"]["n_checks"] >= 10


def test_rerun_adds_no_rows(seeded):
    settings, _ = seeded
    with store.connect(settings) as con:
        before = store.table_counts(con, DATA_TABLES)
        events_before = con.execute("SELECT * EXCLUDE (updated_at) FROM v_events ORDER BY event_id").fetchall()
    pipeline.run_all(settings)
    with store.connect(settings) as con:
        assert store.table_counts(con, DATA_TABLES) == before
        assert con.execute("SELECT * EXCLUDE (updated_at) FROM v_events ORDER BY event_id").fetchall() == events_before


class _Receiver(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_broken_row_fails_the_check_and_alerts(seeded, monkeypatch, tmp_path):
    import shutil

    from typer.testing import CliRunner

    from meetwire.cli import app

    settings, _ = seeded
    # Work on a copy: the other tests read the healthy database.
    db = tmp_path / "broken.duckdb"
    shutil.copy(settings.db, db)
    monkeypatch.setenv("MEETWIRE_DB", str(db))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    _Receiver.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("MEETWIRE_ALERT_WEBHOOK", f"http://127.0.0.1:{server.server_port}/hook")
    try:
        with store.connect(settings.__class__()) as con:
            con.execute("UPDATE events SET mode = 'telepathy' WHERE event_id = (SELECT min(event_id) FROM events)")
        result = CliRunner().invoke(app, ["dq"])
    finally:
        server.shutdown()
    assert result.exit_code == 1, result.output
    assert "mode" in result.output
    assert len(_Receiver.received) >= 1
    payload = json.dumps(_Receiver.received)
    assert "mode" in payload and "telepathy" in payload


# --- the analyst examples, through the CLI, on the seed database ------------------------------------------------

def _example(settings, name: str) -> list:
    """Each statement's rows of sql/examples/<name> as printed by `meetwire sql --format json`."""
    from pathlib import Path

    from typer.testing import CliRunner

    from meetwire.cli import app

    path = next((Path(__file__).parents[2] / "sql" / "examples").glob(f"{name}*.sql"))
    mp = pytest.MonkeyPatch()
    mp.setenv("MEETWIRE_DB", str(settings.db))
    try:
        res = CliRunner().invoke(app, ["sql", "--file", str(path), "--format", "json"])
    finally:
        mp.undo()
    assert res.exit_code == 0, res.output
    chunks = [c for c in res.output.split("\n-- ") if c.strip()]
    if len(chunks) == 1 and res.output.lstrip().startswith("["):
        return [json.loads(res.output)]
    return [json.loads(c.split("\n", 1)[1]) for c in chunks]  # one "-- statement" header per result


def test_examples_answer_the_questions_on_the_seeds(seeded):
    settings, _ = seeded
    [pairs] = _example(settings, "01_")
    assert {"country_1": "China", "country_2": "United States"}.items() <= pairs[0].items()
    assert pairs[0]["meetings"] >= 3
    [timeline] = _example(settings, "02_")
    assert [(r["participants"], r["n_articles"]) for r in timeline] == [(["Kurt M Campbell", "Ma Zhaoxu"], 2)]
    [evidence] = _example(settings, "03_")
    assert {r["source"] for r in evidence if "Kurt M Campbell" in r["participants"]} == {"PTI", "VOA"}
    [planned] = _example(settings, "04_")
    assert len(planned) == 1 and planned[0]["happened_on"] is None
    runs, quarantined, failures = _example(settings, "05_")
    assert runs and {r["status"] for r in runs} == {"success"}  # the run, and the rerun of test_rerun_adds_no_rows
    assert quarantined == [] and failures == []
    [most] = _example(settings, "06_")
    assert {"actor_1": "Kurt M Campbell", "actor_2": "Ma Zhaoxu", "meetings": 1}.items() <= next(
        r for r in most if r["actor_1"] == "Kurt M Campbell").items()
    [person] = _example(settings, "07_")
    assert [(r["actor"], r["other_side"], r["location"]) for r in person] == [
        ("Kurt M Campbell", ["Ma Zhaoxu"], "Washington")]
    [monthly] = _example(settings, "08_")
    assert {"event_month": "2024-05-01", "country_a": "China", "country_b": "United States"}.items() <= \
        monthly[0].items()
    [soon] = _example(settings, "09_")
    assert soon == []  # the seeds' one plan is undated and two years old
    [single] = _example(settings, "10_")
    assert len(single) == 6 and all(r["n_sources"] == 1 for r in single)
    assert not any("Kurt M Campbell" in r["participants"] for r in single)  # reported by PTI and VOA
    [hosts] = _example(settings, "11_")
    assert "Kurt M Campbell" in {r["actor"] for r in hosts}
    [dq_failures] = _example(settings, "12_")
    assert dq_failures == []
    [by_mode] = _example(settings, "13_")
    assert {(r["event_month"], r["mode"]): r["meetings"] for r in by_mode}[("2024-05-01", "in_person")] >= 2
