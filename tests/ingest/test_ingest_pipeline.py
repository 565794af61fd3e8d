"""ingest_feeds / ingest_urls / reprocess_articles against a local server and a temp DuckDB: what is stored, what
is quarantined, and that reruns add nothing."""

from __future__ import annotations

import gzip
from datetime import datetime, timedelta, timezone

import pytest

from ingest_support import Reply, article_html, article_text, rss, with_settings
from meetwire import archive, ingest, store
from meetwire.ids import stable_id
from meetwire.settings import PROJECT_ROOT

pytestmark = pytest.mark.network_local

TABLES = ("feeds", "raw_documents", "stg_entries", "articles", "quarantine")


def configure(settings, *urls, extra: str = "") -> list[str]:
    settings.feeds.write_text(
        "".join(f'[[feeds]]\nurl = "{u}"\nname = "feed {i}"\ntags = ["t{i}"]\n\n' for i, u in enumerate(urls)) + extra
    )
    with store.connect(settings) as con:
        ingest.sync_feeds(con, settings)
    return [stable_id(u) for u in urls]


def rows(settings, sql, params=()):
    with store.connect(settings) as con:
        return con.execute(sql, list(params)).fetchall()


def counts(settings):
    with store.connect(settings) as con:
        return store.table_counts(con, TABLES)


def quarantined(settings) -> set[tuple[str, str, str]]:
    return {(u, s, r) for u, s, r in rows(settings, "SELECT url, stage, reason FROM quarantine")}


def etag_feed(body: bytes, etag: str = '"v1"', last_modified: str | None = None):
    """A feed route that answers 304 to a matching conditional request."""

    def reply(handler):
        if etag and handler.headers.get("If-None-Match") == etag:
            return Reply(304, b"", {"ETag": etag})
        if last_modified and handler.headers.get("If-Modified-Since") == last_modified:
            return Reply(304, b"")
        headers = {"Content-Type": "application/rss+xml; charset=utf-8"}
        if etag:
            headers["ETag"] = etag
        if last_modified:
            headers["Last-Modified"] = last_modified
        return Reply(200, body, headers)

    return reply


def html_reply(body: bytes) -> Reply:
    return Reply(200, body, {"Content-Type": "text/html; charset=utf-8"})


# --- the seeds, with the real cleaner -----------------------------------------------------------------------


def test_seed_feed_end_to_end(settings):
    pytest.importorskip("meetwire.clean")
    s = with_settings(settings, feeds=PROJECT_ROOT / "seeds" / "feeds.toml")
    with store.connect(s) as con:
        assert ingest.sync_feeds(con, s) == 1
        [feed_id] = ingest.enabled_feed_ids(con)
    first = ingest.ingest_feeds(s, run_id="r1")
    assert first["articles_new"] == 2 and first["quarantined"] == 0
    arts = rows(s, "SELECT title, source, published_at, text_source, language, url, raw_ref, feed_id FROM articles"
                   " ORDER BY published_at DESC")
    assert [a[0] for a in arts] == ["US and China Navigate Tensions Amid Global Security Concerns",
                                    "US, China hold talks in Washington to defuse tensions"]
    assert arts[0][2] == datetime(2024, 5, 31, 16, 15, tzinfo=timezone.utc)
    assert arts[1][2].date().isoformat() == "2024-05-30"
    assert all(a[3] == "file" and a[4] == "en" and a[7] == feed_id for a in arts)
    assert arts[0][5] == (PROJECT_ROOT / "seeds" / "000_868f1a1e4cdcbb71.txt").as_uri()
    assert arts[1][1] == "VOA"
    assert archive.read(arts[0][6], s) == (PROJECT_ROOT / "seeds" / "000_868f1a1e4cdcbb71.txt").read_bytes()
    before = counts(s)
    second = ingest.ingest_feeds(s, run_id="r2")
    assert second["not_modified"] == 1 and second["articles_new"] == 0 and second["entries"] == 0
    assert counts(s) == before
    assert ingest.reprocess_articles(s) == {"articles": 2, "updated": 0, "unchanged": 2, "failed": 0,
                                            "archive_missing": 0}


# --- feeds ---------------------------------------------------------------------------------------------------


def _site(server, n=2, etag='"v1"', last_modified=None):
    items = [{"title": f"Story {i}", "link": server.url(f"/a{i}")} for i in range(n)]
    server.route("/feed.xml", etag_feed(rss(items), etag=etag, last_modified=last_modified))
    for i in range(n):
        server.route(f"/a{i}", html_reply(article_html(f"Story {i}", topic=f"Country{i}x" * (i + 1))))
    return server.url("/feed.xml")


@pytest.mark.parametrize("validators", ["etag", "last_modified"])
def test_second_run_is_conditional_and_adds_nothing(settings, server, fake_clean, validators):
    lm = "Fri, 31 May 2024 16:15:00 GMT"
    url = _site(server, etag='"v1"' if validators == "etag" else None,
                last_modified=lm if validators == "last_modified" else None)
    [feed_id] = configure(settings, url)
    first = ingest.ingest_feeds(settings)
    assert first["fetched"] == 1 and first["entries_new"] == 2 and first["articles_new"] == 2
    assert first["quarantined"] == 0
    before = counts(settings)
    assert before["articles"] == 2 and before["raw_documents"] == 3  # the feed and two pages
    server.log.clear()
    second = ingest.ingest_feeds(settings)
    assert second["not_modified"] == 1 and second["articles_new"] == 0
    assert counts(settings) == before
    assert server.paths() == ["/feed.xml"]  # no page was fetched again
    _, _, headers = server.requests("/feed.xml")[0]
    if validators == "etag":
        assert headers["if-none-match"] == '"v1"'
    else:
        assert headers["if-modified-since"] == lm
    assert rows(settings, "SELECT last_status FROM feeds WHERE feed_id = ?", [feed_id]) == [(304,)]


def test_changed_feed_adds_only_new_entries(settings, server, fake_clean):
    url = _site(server, n=2, etag='"v1"')
    configure(settings, url)
    ingest.ingest_feeds(settings)
    items = [{"title": f"Story {i}", "link": server.url(f"/a{i}")} for i in range(3)]
    server.route("/feed.xml", etag_feed(rss(items), etag='"v2"'))
    server.route("/a2", html_reply(article_html("Story 2", topic="Zembla")))
    server.log.clear()
    out = ingest.ingest_feeds(settings)
    assert out["entries"] == 3 and out["entries_new"] == 1 and out["articles_new"] == 1
    assert server.paths() == ["/feed.xml", "/a2"]
    assert rows(settings, "SELECT count(*) FROM articles") == [(3,)]


def test_feed_500_then_200_retries_and_stores(settings, server, fake_clean):
    items = [{"title": "Story", "link": server.url("/a0")}]
    server.route("/feed.xml", Reply(500, b"oops"), Reply(200, rss(items), {"Content-Type": "application/rss+xml"}))
    server.route("/a0", html_reply(article_html("Story")))
    configure(settings, server.url("/feed.xml"))
    out = ingest.ingest_feeds(settings)
    assert out["articles_new"] == 1 and out["quarantined"] == 0
    assert server.paths().count("/feed.xml") == 2


def test_410_disables_the_feed(settings, server, fake_clean):
    server.route("/gone.xml", Reply(410, b"gone"))
    [feed_id] = configure(settings, server.url("/gone.xml"))
    out = ingest.ingest_feeds(settings)
    assert out["feed_errors"] == 1
    assert rows(settings, "SELECT is_enabled, disabled_reason, last_status FROM feeds") == \
        [(False, "gone (HTTP 410)", 410)]
    assert quarantined(settings) == {(server.url("/gone.xml"), "fetch", "http_410")}
    with store.connect(settings) as con:
        assert ingest.enabled_feed_ids(con) == []
        ingest.sync_feeds(con, settings)  # the config still lists it: it stays disabled
        assert ingest.enabled_feed_ids(con) == []
    server.log.clear()
    ingest.ingest_feeds(settings, feed_ids=[feed_id])
    assert server.log == []


def test_301_updates_the_stored_url(settings, server, fake_clean):
    server.route("/old.xml", Reply(301, b"", {"Location": "/new.xml"}))
    server.route("/new.xml", etag_feed(rss([{"title": "S", "link": server.url("/a0")}])))
    server.route("/a0", html_reply(article_html("S")))
    [feed_id] = configure(settings, server.url("/old.xml"))
    ingest.ingest_feeds(settings)
    assert rows(settings, "SELECT url FROM feeds WHERE feed_id = ?", [feed_id]) == [(server.url("/new.xml"),)]
    server.log.clear()
    out = ingest.ingest_feeds(settings)
    assert out["not_modified"] == 1
    assert server.paths() == ["/new.xml"]
    with store.connect(settings) as con:  # a resync keeps the redirected url and the feed id
        ingest.sync_feeds(con, settings)
    assert rows(settings, "SELECT feed_id, url FROM feeds") == [(feed_id, server.url("/new.xml"))]


def test_302_does_not_update_the_url(settings, server, fake_clean):
    server.route("/tmp.xml", Reply(302, b"", {"Location": "/new.xml"}))
    server.route("/new.xml", Reply(200, rss([]), {"Content-Type": "application/rss+xml"}))
    configure(settings, server.url("/tmp.xml"))
    ingest.ingest_feeds(settings)
    assert rows(settings, "SELECT url FROM feeds") == [(server.url("/tmp.xml"),)]


@pytest.mark.parametrize("status", [503, 429])
def test_retry_after_is_respected(settings, server, fake_clean, status):
    server.route("/busy.xml", Reply(status, b"busy", {"Retry-After": "3600"}))
    [feed_id] = configure(settings, server.url("/busy.xml"))
    t0 = datetime.now(timezone.utc)
    ingest.ingest_feeds(settings)
    [(retry_at, last_status)] = rows(settings, "SELECT retry_after_at, last_status FROM feeds")
    assert last_status == status
    assert t0 + timedelta(minutes=59) < retry_at < t0 + timedelta(minutes=61)
    assert quarantined(settings) == {(server.url("/busy.xml"), "fetch", f"http_{status}")}
    assert server.paths().count("/busy.xml") == 1  # not hammered with retries either
    server.log.clear()
    out = ingest.ingest_feeds(settings)
    assert out["skipped_retry_after"] == 1
    assert server.log == []


def test_bad_feeds_are_quarantined_and_do_not_stop_the_good_one(settings, server, fake_clean):
    big = b"<rss>" + b"x" * (2 * 1024 * 1024)
    server.route("/good.xml", Reply(200, rss([{"title": "S", "link": server.url("/a0")}]),
                                    {"Content-Type": "application/rss+xml"}))
    server.route("/a0", html_reply(article_html("S")))
    server.route("/err.xml", Reply(500, b"down"))
    server.route("/html.xml", html_reply(b"<!doctype html><html><body>not a feed</body></html>"))
    server.route("/broken.xml", Reply(200, b"<rss><channel><item><title>unclosed", {"Content-Type": "text/xml"}))
    server.route("/big.xml", Reply(200, big, {"Content-Type": "text/xml"}))
    server.route("/xxe.xml", Reply(200, b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss>&x;</rss>',
                                   {"Content-Type": "text/xml"}))
    server.route("/bomb.xml", Reply(200, gzip.compress(b" " * (20 * 1024 * 1024)),
                                    {"Content-Type": "text/xml", "Content-Encoding": "gzip"}))
    server.route("/slow.xml", Reply(200, b"<rss/>", delay=2.5))
    paths = ["/good.xml", "/err.xml", "/html.xml", "/broken.xml", "/big.xml", "/xxe.xml", "/bomb.xml", "/slow.xml"]
    configure(settings, *[server.url(p) for p in paths], extra='[[feeds]]\nurl = "ftp://127.0.0.1/x"\n')
    out = ingest.ingest_feeds(with_settings(settings, http_retries=1))
    assert out["feeds"] == 9 and out["articles_new"] == 1
    q = quarantined(settings)
    broken = {row for row in q if row[0] == server.url("/broken.xml")}
    # feedparser recovers an entry without a link (no_link) or gives up (bad_xml): either way it is recorded
    assert broken and {r for _, _, r in broken} <= {"bad_xml", "no_link"}
    assert q - broken == {
        (server.url("/err.xml"), "fetch", "http_500"),
        (server.url("/html.xml"), "feed", "not_a_feed"),
        (server.url("/big.xml"), "fetch", "too_large"),
        (server.url("/xxe.xml"), "feed", "xml_unsafe"),
        (server.url("/bomb.xml"), "fetch", "decompression_bomb"),
        (server.url("/slow.xml"), "fetch", "timeout"),
        ("ftp://127.0.0.1/x", "fetch", "bad_scheme"),
    }
    assert rows(settings, "SELECT count(*) FROM articles") == [(1,)]
    # the failures are recorded on the feeds too, and they stay enabled (only 410 disables)
    assert rows(settings, "SELECT count(*) FROM feeds WHERE is_enabled") == [(9,)]


# --- article pages -------------------------------------------------------------------------------------------


def test_page_fault_matrix(settings, server, fake_clean):
    long_feed_text = "<p>" + article_text("Feedland") + "</p>"
    server.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"}))
    pages = {
        "/ok": html_reply(article_html("OK story", topic="Okland")),
        "/missing": Reply(404, b"no"),
        "/big": Reply(200, b"<p>" + b"y" * (3 * 1024 * 1024), {"Content-Type": "text/html"}),
        "/bomb": Reply(200, gzip.compress(b"a" * (20 * 1024 * 1024)), {"Content-Type": "text/html",
                                                                         "Content-Encoding": "gzip"}),
        "/german": html_reply(("<p>" + "Der Minister und die Delegation trafen sich in der Stadt. " * 10 + "</p>")
                              .encode()),
        "/private/x": html_reply(article_html("Hidden")),
        "/to-metadata": Reply(302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"}),
        "/pdf": Reply(200, b"%PDF-1.4", {"Content-Type": "application/pdf"}),
        "/stub": html_reply(b"<html><body><p>Subscribe to read.</p></body></html>"),
        "/latin1": Reply(200, ("<html><head><meta charset='iso-8859-1'></head><body><p>"
                               + article_text("Caf\u00e9land") + "</p></body></html>").encode("latin-1"),
                         {"Content-Type": "text/html"}),
    }
    for path, reply in pages.items():
        server.route(path, reply)
    items = [{"title": p.strip("/"), "link": server.url(p)} for p in pages]
    items[1]["content"] = long_feed_text  # /missing falls back to the feed's own text
    items[2]["description"] = "Read more."  # /big's feed text is too short to stand in: still one problem, one row
    items.append({"title": "local file", "link": "file:///etc/passwd"})
    server.route("/feed.xml", Reply(200, rss(items), {"Content-Type": "application/rss+xml"}))
    configure(settings, server.url("/feed.xml"))
    out = ingest.ingest_feeds(settings)

    arts = dict(rows(settings, "SELECT url, text_source FROM articles"))
    assert arts == {server.url("/ok"): "page", server.url("/missing"): "feed", server.url("/latin1"): "page"}
    [latin] = rows(settings, "SELECT text FROM articles WHERE url = ?", [server.url("/latin1")])
    assert "Caf\u00e9land" in latin[0]
    q = {(u if not u.startswith("file:") else "file:", st, r) for u, st, r in quarantined(settings)}
    assert q == {
        (server.url("/missing"), "fetch", "http_404"),
        (server.url("/big"), "fetch", "too_large"),
        (server.url("/bomb"), "fetch", "decompression_bomb"),
        (server.url("/german"), "clean", "not_english"),
        (server.url("/private/x"), "fetch", "robots_disallowed"),
        (server.url("/to-metadata"), "fetch", "ssrf_blocked"),
        (server.url("/pdf"), "fetch", "unsupported_type"),
        (server.url("/stub"), "clean", "empty_text"),
        ("file:", "fetch", "bad_scheme"),  # a web feed may not point into the local disk
    }
    assert out["articles_new"] == 3 and out["quarantined"] == 9
    [(big_detail,)] = rows(settings, "SELECT detail FROM quarantine WHERE url = ?", [server.url("/big")])
    assert "feed text: empty_text" in big_detail
    assert "/private/x" not in server.paths()
    # every entry is finished (stored or quarantined): a rerun fetches no page again
    assert rows(settings, "SELECT count(*) FROM stg_entries WHERE NOT is_processed") == [(0,)]
    # the feed-text article is archived too (kind text) and reprocessable
    [(ref,)] = rows(settings, "SELECT raw_ref FROM articles WHERE text_source = 'feed'")
    assert rows(settings, "SELECT kind FROM raw_documents WHERE raw_ref = ?", [ref]) == [("text",)]
    # every page that came back is archived and recorded, also those that did not clean
    recorded = {u for (u,) in rows(settings, "SELECT url FROM raw_documents WHERE kind = 'page'")}
    assert recorded == {server.url(p) for p in ("/ok", "/german", "/stub", "/latin1")}


def test_fetch_articles_off_uses_feed_text(settings, server, fake_clean):
    items = [{"title": "S", "link": server.url("/a0"), "content": "<p>" + article_text() + "</p>"}]
    server.route("/feed.xml", Reply(200, rss(items), {"Content-Type": "application/rss+xml"}))
    configure(settings, server.url("/feed.xml"))
    out = ingest.ingest_feeds(with_settings(settings, fetch_articles=False))
    assert out["articles_new"] == 1
    assert "/a0" not in server.paths()
    assert rows(settings, "SELECT text_source FROM articles") == [("feed",)]


# --- duplicates ----------------------------------------------------------------------------------------------


def test_duplicates_exact_and_near(settings, server, fake_clean):
    story = article_html("Original", topic="Ruritania")
    server.route("/orig", html_reply(story))
    server.route("/copy", html_reply(story.replace(b"<title>Original", b"<title>Copy")))  # same text
    server.route("/synd", html_reply(article_html("Syndicated", topic="Ruritania",
                                                  extra="<p>Reporting by a wire agency.</p>")))
    server.route("/other", html_reply(article_html("Other", topic="Elbonia").replace(b"trade", b"music festivals")
                                      .replace(b"frank", b"lively").replace(b"navy", b"orchestra")))
    items = [
        {"title": "o", "link": server.url("/orig")},
        {"title": "o again", "link": server.url("/orig?utm_source=rss&utm_medium=feed")},  # same canonical URL
        {"title": "c", "link": server.url("/copy")},
        {"title": "s", "link": server.url("/synd")},
    ]
    server.route("/f1.xml", Reply(200, rss(items), {"Content-Type": "application/rss+xml"}))
    # a second feed carrying the same original: no second row
    server.route("/f2.xml", Reply(200, rss([{"title": "o", "link": server.url("/orig#top")},
                                            {"title": "x", "link": server.url("/other")}]),
                                  {"Content-Type": "application/rss+xml"}))
    configure(settings, server.url("/f1.xml"), server.url("/f2.xml"))
    ingest.ingest_feeds(settings)
    arts = {u: d for u, d in rows(settings, "SELECT url, duplicate_of FROM articles")}
    orig_id = stable_id(server.url("/orig"))
    assert set(arts) == {server.url(p) for p in ("/orig", "/copy", "/synd", "/other")}
    assert arts[server.url("/orig")] is None and arts[server.url("/other")] is None
    assert arts[server.url("/copy")] == orig_id  # exact text
    assert arts[server.url("/synd")] == orig_id  # near duplicate
    assert server.paths().count("/orig") == 1
    [(sim,)] = rows(settings, "SELECT simhash FROM articles WHERE url = ?", [server.url("/orig")])
    assert sim is not None and sim > 0


def test_same_site_canonical_link_is_used(settings, server, fake_clean):
    server.route("/amp/story", html_reply(article_html("S", canonical=server.url("/story?utm_campaign=x"))))
    server.route("/story", html_reply(article_html("S")))
    server.route("/feed.xml", Reply(200, rss([{"title": "a", "link": server.url("/amp/story")},
                                              {"title": "b", "link": server.url("/story")}]),
                                    {"Content-Type": "application/rss+xml"}))
    configure(settings, server.url("/feed.xml"))
    out = ingest.ingest_feeds(settings)
    assert rows(settings, "SELECT canonical_url FROM articles") == [(server.url("/story"),)]
    assert out["articles_new"] == 1 and out["duplicates"] == 1


# --- killed runs ---------------------------------------------------------------------------------------------


def test_killed_run_leaves_no_partial_rows_and_restart_finishes_the_work(settings, server, fake_clean, monkeypatch):
    url = _site(server, n=3, etag='"v1"')
    configure(settings, url)
    real_upsert = store.upsert

    def dying_upsert(con, table, rows_, key, update=None):
        n = real_upsert(con, table, rows_, key, update)
        if table == "articles":
            raise KeyboardInterrupt("killed mid-transaction")  # after the insert, before the commit
        return n

    monkeypatch.setattr(store, "upsert", dying_upsert)
    with pytest.raises(KeyboardInterrupt):
        ingest.ingest_feeds(settings)
    monkeypatch.setattr(store, "upsert", real_upsert)
    # the chunk's load was rolled back entirely: no article, no raw_documents row of a page, every entry pending;
    # the fetched and cleaned pages wait in the staging folder
    assert rows(settings, "SELECT count(*) FROM articles") == [(0,)]
    assert rows(settings, "SELECT count(*) FROM raw_documents WHERE kind = 'page'") == [(0,)]
    assert rows(settings, "SELECT count(*) FROM stg_entries WHERE NOT is_processed") == [(3,)]
    assert len(ingest.staged_files(settings)) == 1
    server.log.clear()
    out = ingest.ingest_feeds(settings)
    assert out["not_modified"] == 1 and out["articles_new"] == 3
    # the restart loads the staged pages without fetching them again
    assert sorted(server.paths()) == ["/feed.xml"] and ingest.staged_files(settings) == []
    assert rows(settings, "SELECT count(*), count(DISTINCT canonical_url) FROM articles") == [(3, 3)]
    assert rows(settings, "SELECT count(*) FROM raw_documents WHERE kind = 'page'") == [(3,)]


# --- batches, direct URLs, sync ------------------------------------------------------------------------------


def test_ingest_per_batch_of_feed_ids(settings, server, fake_clean):
    server.route("/f1.xml", Reply(200, rss([]), {"Content-Type": "application/rss+xml"}))
    server.route("/f2.xml", Reply(200, rss([]), {"Content-Type": "application/rss+xml"}))
    ids = configure(settings, server.url("/f1.xml"), server.url("/f2.xml"))
    with store.connect(settings) as con:
        assert ingest.enabled_feed_ids(con) == sorted(ids)
    out = ingest.ingest_feeds(settings, feed_ids=[ids[1]])
    assert out["feeds"] == 1
    assert server.paths() == ["/f2.xml"]


def test_ingest_urls_pages_feeds_and_files(settings, server, fake_clean):
    server.route("/page", html_reply(article_html("Direct", topic="Directland")))
    server.route("/f.xml", Reply(200, rss([{"title": "fe", "link": server.url("/fe")}]),
                                 {"Content-Type": "text/xml"}))  # sniffed as a feed
    server.route("/fe", html_reply(article_html("From feed", topic="Feedistan")))
    seed = "seeds/000_868f1a1e4cdcbb71.txt"
    out = ingest.ingest_urls(settings, [server.url("/page"), server.url("/f.xml"), server.url("/nope"), seed])
    assert out["articles_new"] == 3
    urls = {u for (u,) in rows(settings, "SELECT url FROM articles")}
    assert urls == {server.url("/page"), server.url("/fe"), (PROJECT_ROOT / seed).as_uri()}
    assert quarantined(settings) == {(server.url("/nope"), "fetch", "http_404")}
    # the feed is remembered but not scheduled
    assert rows(settings, "SELECT url, is_enabled, disabled_reason FROM feeds") == \
        [(server.url("/f.xml"), False, "adhoc")]
    # again: nothing new
    before = counts(settings)
    again = ingest.ingest_urls(settings, [server.url("/page"), seed])
    assert again["articles_new"] == 0 and again["duplicates"] == 2
    assert counts(settings)["articles"] == before["articles"]


def test_sync_feeds(settings):
    configure(settings, "https://a.example/rss", "https://b.example/rss",
              extra='[[feeds]]\nurl = "https://c.example/rss"\nenabled = false\n\n[[feeds]]\nname = "no url"\n')
    got = rows(settings, "SELECT url, name, tags, is_enabled, disabled_reason FROM feeds ORDER BY url")
    assert got == [("https://a.example/rss", "feed 0", ["t0"], True, None),
                   ("https://b.example/rss", "feed 1", ["t1"], True, None),
                   ("https://c.example/rss", None, [], False, "config")]
    assert quarantined(settings) == {(None, "feed", "bad_config")}
    with store.connect(settings) as con:
        con.execute("UPDATE feeds SET etag = 'e' WHERE url = 'https://a.example/rss'")
    configure(settings, "https://a.example/rss", extra='[[feeds]]\nurl = "https://c.example/rss"\n')
    got = rows(settings, "SELECT url, etag, is_enabled, disabled_reason FROM feeds ORDER BY url")
    assert got == [("https://a.example/rss", "e", True, None),  # state kept
                   ("https://b.example/rss", None, False, "not_in_config"),
                   ("https://c.example/rss", None, True, None)]


# --- reprocessing --------------------------------------------------------------------------------------------


def test_reprocess_rebuilds_text_from_the_archive_without_network(settings, server, fake_clean, monkeypatch):
    url = _site(server, n=2)
    configure(settings, url)
    ingest.ingest_feeds(settings)
    server.close()  # no network from here on
    original = fake_clean.clean_document

    def shouting(body, **kw):
        doc = original(body, **kw)
        doc.text = doc.text.upper()
        return doc

    monkeypatch.setattr(fake_clean, "clean_document", shouting)
    out = ingest.reprocess_articles(settings)
    assert out == {"articles": 2, "updated": 2, "unchanged": 0, "failed": 0, "archive_missing": 0}
    texts = [t for (t,) in rows(settings, "SELECT text FROM articles")]
    assert all(t == t.upper() for t in texts)
    # a window that holds nothing; then a lost archive file is quarantined, the row kept
    assert ingest.reprocess_articles(settings, since="2100-01-01")["articles"] == 0
    [(ref,)] = rows(settings, "SELECT raw_ref FROM articles LIMIT 1")
    archive.path_for(ref, settings).unlink()
    out = ingest.reprocess_articles(settings)
    assert out["failed"] == 1 and out["unchanged"] == 1 and out["archive_missing"] == 1
    assert ("archive_missing" in {r for (_, _, r) in quarantined(settings)})
    assert rows(settings, "SELECT count(*) FROM articles") == [(2,)]
    # the command says so and exits non-zero: a lost archive is not a quiet success
    from typer.testing import CliRunner

    from meetwire.cli import app

    for name, value in (("MEETWIRE_DB", settings.db), ("MEETWIRE_ARCHIVE_DIR", settings.archive_dir),
                        ("MEETWIRE_FEEDS", settings.feeds), ("MEETWIRE_DOCS_DIR", settings.docs_dir)):
        monkeypatch.setenv(name, str(value))
    res = CliRunner().invoke(app, ["reprocess"])
    assert res.exit_code == 1 and "no raw bytes in the archive" in res.output
    # seen on every reprocess, the lost archive stays one quarantine row whose count grows
    assert rows(settings, "SELECT n_seen, first_seen_at < seen_at FROM quarantine WHERE reason = 'archive_missing'"
                ) == [(2, True)]


def test_archive_roundtrip(settings):
    ref = archive.put(b"hello", settings)
    assert archive.put(b"hello", settings) == ref
    assert archive.read(ref, settings) == b"hello"
    path = archive.path_for(ref, settings)
    path.write_bytes(gzip.compress(b"tampered"))
    with pytest.raises(archive.ArchiveError):
        archive.read(ref, settings)
    with pytest.raises(archive.ArchiveError):
        archive.path_for("../../etc/passwd", settings)


def test_ingest_urls_refuses_unsupported_types(settings, server, fake_clean):
    server.route("/doc.pdf", Reply(200, b"%PDF-1.4 " + b"x" * 500, {"Content-Type": "application/pdf"}))
    out = ingest.ingest_urls(settings, [server.url("/doc.pdf")])
    assert out["articles_new"] == 0
    assert quarantined(settings) == {(server.url("/doc.pdf"), "fetch", "unsupported_type")}
    assert rows(settings, "SELECT count(*) FROM articles") == [(0,)]


def _story_feed(server, n: int, extra: list[dict] = ()) -> None:
    """A feed of n dated stories (/a0 ... /a<n-1>, newest last), their pages, and any extra items."""
    items = [{"title": f"Story {i}", "link": server.url(f"/a{i}"),
              "date": f"Fri, 31 May 2024 {10 + i // 60:02d}:{i % 60:02d}:00 GMT"} for i in range(n)]
    server.route("/feed.xml", Reply(200, rss(items + list(extra)), {"Content-Type": "application/rss+xml"}))
    for i in range(n):
        server.route(f"/a{i}", html_reply(article_html(f"Story {i}", topic=f"Country{i}x")))


def test_pages_per_run_are_capped_and_the_rest_wait_for_the_next_run(settings, server, fake_clean):
    _story_feed(server, 7)
    capped = with_settings(settings, run_max_pages=3)
    configure(capped, server.url("/feed.xml"))
    first = ingest.ingest_feeds(capped)
    assert first["articles_new"] == 3 and first["pages_deferred"] == 4
    assert rows(capped, "SELECT count(*) FROM stg_entries WHERE NOT is_processed") == [(4,)]
    assert ingest.ingest_feeds(capped)["articles_new"] == 3
    last = ingest.ingest_feeds(capped)
    assert last["articles_new"] == 1 and last["pages_deferred"] == 0
    assert rows(capped, "SELECT count(*) FROM articles") == [(7,)]


def test_a_huge_feed_is_capped_newest_first_and_summarised(settings, server, fake_clean):
    """MEETWIRE_FEED_MAX_ENTRIES: only the newest entries are taken; one quarantine row per feed and reason."""
    _story_feed(server, 30, extra=[{"title": f"No link {i}"} for i in range(25)])
    capped = with_settings(settings, feed_max_entries=10)
    configure(capped, server.url("/feed.xml"))
    out = ingest.ingest_feeds(capped)
    assert out["entries"] == 10 and out["articles_new"] == 10
    taken = {r[0] for r in rows(capped, "SELECT url FROM stg_entries")}
    assert taken == {server.url(f"/a{i}") for i in range(20, 30)}  # the newest ten
    q = rows(capped, "SELECT reason, detail FROM quarantine WHERE stage = 'feed' ORDER BY reason")
    assert [r for r, _ in q] == ["entries_capped", "no_link"]
    assert q[1][1].startswith("25 entries")
