"""The fanned-out ingest (what the Airflow DAGs run): a plan under the database, batches fetched and cleaned without
it into staged Parquet files, one load. A retried batch replaces its file, so nothing is loaded twice; pages an
earlier entry already brought in are not fetched again."""

from __future__ import annotations

import pytest

from ingest_support import Reply, article_html, rss
from meetwire import fanout, ingest, staging, store
from test_ingest_pipeline import configure, html_reply, rows

pytestmark = pytest.mark.network_local


def serve(server, feed: str, topics: list[str]) -> None:
    items = []
    for topic in topics:
        slug = topic.replace(" ", "-")
        server.route(f"/{feed}/{slug}", html_reply(article_html(f"Talks in {topic}", topic=topic)))
        items.append({"title": f"Talks in {topic}", "link": server.url(f"/{feed}/{slug}")})
    server.route(f"/{feed}.xml", Reply(200, rss(items), {"Content-Type": "application/rss+xml"}))


def test_batches_staged_apart_load_once_even_when_a_batch_is_retried(settings, server, fake_clean, monkeypatch):
    serve(server, "f1", ["Freedonia", "Sylvania"])
    serve(server, "f2", ["Latveria", "Genovia", "Elbonia"])
    configure(settings, server.url("/f1.xml"), server.url("/f2.xml"))
    batches = fanout.plan_ingest(settings, "ingest-run-1", batch_size=1)
    assert len(batches) == 2 and fanout.plan_path(settings, "ingest-run-1").exists()

    def no_database(*args, **kwargs):
        raise AssertionError("a fetch batch opened the database")

    with monkeypatch.context() as m:
        m.setattr(store, "connect", no_database)
        results = [fanout.fetch_batch(settings, "ingest-run-1", batch) for batch in batches]
        retried = fanout.fetch_batch(settings, "ingest-run-1", batches[1])  # a worker died after writing
    assert retried["staged_file"] == results[1]["staged_file"], "a retry writes the same file"
    assert sorted(r["pages_staged"] for r in results) == [2, 3]
    assert len(ingest.staged_files(settings)) == 2
    assert not list(settings.staging_dir.rglob("*.tmp")), "no temporary file is left"

    counts = fanout.load_ingested(settings, "ingest-run-1")
    assert counts["articles_new"] == 5 and counts["duplicates"] == 0
    assert counts["feeds"] == 2 and counts["pages_fetched"] == 5, "fetch-side counts travel in the files, once"
    assert rows(settings, "SELECT count(*), count(DISTINCT canonical_url) FROM articles") == [(5, 5)]
    assert rows(settings, "SELECT count(*) FROM stg_entries WHERE NOT is_processed") == [(0,)]
    assert ingest.staged_files(settings) == [] and not fanout.plan_path(settings, "ingest-run-1").exists()

    # a new entry in f1: the next run fetches only its page (the plan lists the processed entries)
    serve(server, "f1", ["Freedonia", "Sylvania", "Grand Fenwick"])
    server.log.clear()
    for batch in fanout.plan_ingest(settings, "ingest-run-2", batch_size=1):
        fanout.fetch_batch(settings, "ingest-run-2", batch)
    assert sorted(p for p in server.paths() if not p.endswith((".xml", "robots.txt"))) == ["/f1/Grand-Fenwick"]
    second = fanout.load_ingested(settings, "ingest-run-2")
    assert second["articles_new"] == 1 and second["quarantined"] == 0, second
    assert rows(settings, "SELECT count(*) FROM articles") == [(6,)]


def test_a_staged_page_survives_the_parquet_round_trip(settings, server, fake_clean):
    serve(server, "f1", ["Freedonia"])
    configure(settings, server.url("/f1.xml"))
    (batch,) = fanout.plan_ingest(settings, "ingest-run-1")
    name = fanout.fetch_batch(settings, "ingest-run-1", batch)["staged_file"]
    feeds, pages, extra = staging.read_outcomes(settings.staging_dir / name)
    assert [f.feed.url for f in feeds] == [server.url("/f1.xml")] and feeds[0].result.status == 200
    assert len(feeds[0].parsed.entries) == 1
    (page,) = pages
    assert page.doc is not None and "Freedonia" in page.doc.text and page.raw_ref and page.job.entry_id
    assert [d["kind"] for d in page.raw_docs] == ["page"]
    assert extra == {"feeds": 1, "pages_fetched": 1, "pages_deferred": 0}
