"""Cleaning across processes gives the same articles as cleaning in one; fetched and cleaned pages are staged
before loading, so a run that cannot get the database loses nothing and the next run loads them unfetched."""

from __future__ import annotations

import pytest

from ingest_support import Reply, article_html, rss, with_settings
from meetwire import ingest, store
from test_ingest_pipeline import configure, html_reply, rows

pytestmark = pytest.mark.network_local

TOPICS = ("Freedonia", "Sylvania", "Grand Fenwick", "Latveria", "Genovia", "Elbonia")


def serve_feed(server) -> None:
    items = []
    for i, topic in enumerate(TOPICS):
        server.route(f"/a/{i}", html_reply(article_html(f"Talks in {topic}", topic=topic)))
        items.append({"title": f"Talks in {topic}", "link": server.url(f"/a/{i}")})
    server.route("/feed.xml", Reply(200, rss(items), {"Content-Type": "application/rss+xml"}))


def articles(settings):
    return rows(settings, "SELECT url, title, text, published_at, duplicate_of FROM articles ORDER BY url")


def test_a_worker_pool_cleans_exactly_what_one_process_does(settings, server, tmp_path):
    pytest.importorskip("trafilatura")
    serve_feed(server)
    one = with_settings(settings, workers=1)
    pool = with_settings(settings, db=tmp_path / "pool.duckdb", staging_dir=tmp_path / "pool.staging",
                         workers=2, parallel_min=1)
    from meetwire.workers import pool_size

    assert pool_size(pool, len(TOPICS)) == 2 and pool_size(one, len(TOPICS)) == 1
    for s in (one, pool):
        configure(s, server.url("/feed.xml"))
        assert ingest.ingest_feeds(s)["articles_new"] == len(TOPICS)
    assert articles(one) == articles(pool)


def test_pages_staged_before_a_lock_give_up_are_loaded_by_the_next_run_without_refetching(
        settings, server, fake_clean, monkeypatch):
    serve_feed(server)
    configure(settings, server.url("/feed.xml"))
    real_load = ingest.load_staged

    def locked(s, counts, run_id, paths=None):
        if paths:  # the chunk just staged: the database is held by someone else
            raise store.DatabaseLocked(f"{s.db} is held by another process")
        return real_load(s, counts, run_id, paths)

    monkeypatch.setattr(ingest, "load_staged", locked)
    with pytest.raises(store.DatabaseLocked):
        ingest.ingest_feeds(settings)
    assert len(ingest.staged_files(settings)) == 1 and articles(settings) == []
    fetched = [p for p in server.paths() if p.startswith("/a/")]
    assert sorted(fetched) == sorted(f"/a/{i}" for i in range(len(TOPICS)))

    monkeypatch.setattr(ingest, "load_staged", real_load)
    out = ingest.ingest_feeds(settings)
    assert out["articles_new"] == len(TOPICS) and ingest.staged_files(settings) == []
    assert len(articles(settings)) == len(TOPICS)
    assert [p for p in server.paths() if p.startswith("/a/")] == fetched  # nothing fetched twice
    assert rows(settings, "SELECT count(*) FROM stg_entries WHERE NOT is_processed") == [(0,)]


def test_a_page_the_database_refuses_is_quarantined_and_the_rest_of_its_chunk_loads(
        settings, server, fake_clean, monkeypatch):
    import duckdb

    serve_feed(server)
    configure(settings, server.url("/feed.xml"))
    real_upsert = store.upsert

    def picky(con, table, rows_, key, update=None):
        if table == "articles" and any(r["url"].endswith("/a/1") for r in rows_):
            raise duckdb.ConstraintException("Constraint Error: refused for the test")
        return real_upsert(con, table, rows_, key, update)

    monkeypatch.setattr(store, "upsert", picky)
    out = ingest.ingest_feeds(settings)
    assert out["articles_new"] == len(TOPICS) - 1 and out["quarantined"] == 1
    assert rows(settings, "SELECT stage, reason FROM quarantine") == [("load", "load_error")]
    assert ingest.staged_files(settings) == []  # not retried forever
