"""The seeds through ingest and extract on the DuckDB file and on DuckLake: the same rows in every table."""

from __future__ import annotations

import dataclasses
import time

from meetwire import pipeline, store

# what the clock, the run or a random id decides, not the data
VOLATILE = {"quarantine_id", "run_id"}
TABLES = ("feeds", "raw_documents", "stg_entries", "articles", "article_extractions", "actors", "actor_aliases",
          "events", "event_participants", "event_topics", "event_articles", "stg_mentions", "quarantine")


def _rows(settings) -> dict[str, list[tuple]]:
    out = {}
    with store.connect(settings, read_only=True) as con:
        for table in (*TABLES, "v_events", "v_actor_meetings", "v_pairs"):
            cols = [name for name, dtype in con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?"
                " AND table_catalog = current_database() ORDER BY ordinal_position", [table]).fetchall()
                if name not in VOLATILE and not dtype.startswith("TIMESTAMP") or name == "first_reported_at"]
            rows = con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
            out[table] = sorted((tuple(map(repr, r)) for r in rows))
    return out


def _load(settings) -> dict:
    t0 = time.monotonic()
    ingested = pipeline.ingest(settings)
    extracted = pipeline.extract(settings)
    print(f"{settings.store}: ingest + extract in {time.monotonic() - t0:.1f} s")
    return {"articles_new": ingested["articles_new"], "events": extracted["events"]}


def test_the_seeds_give_the_same_rows_on_both_backends(lake_env, tmp_path):
    lake = lake_env
    data = tmp_path / "file"
    file = dataclasses.replace(lake, store="duckdb", db=data / "meetwire.duckdb", archive_dir=data / "raw",
                               docs_dir=data / "docs", staging_dir=data / "staging")
    first = {s.store: _load(s) for s in (file, lake)}
    assert first["duckdb"] == first["ducklake"] and first["duckdb"]["events"] >= 5
    rows = {s.store: _rows(s) for s in (file, lake)}
    for table in rows["duckdb"]:
        assert rows["duckdb"][table] == rows["ducklake"][table], table
    assert len(rows["ducklake"]["v_events"]) == first["duckdb"]["events"]
    # a second run adds nothing on either (the feed answers 304 this time: only its row changes, alike)
    again = {s.store: (_load(s), _rows(s)) for s in (file, lake)}
    assert again["duckdb"] == again["ducklake"]
    assert again["ducklake"][0] == {"articles_new": 0, "events": 0}
    assert {t: r for t, r in again["ducklake"][1].items() if t != "feeds"} == {
        t: r for t, r in rows["duckdb"].items() if t != "feeds"}
