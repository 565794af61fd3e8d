"""The scheduled ingest DAG against a feed served over HTTP on 127.0.0.1: the first run loads the articles, the
second makes only a conditional request for the unchanged feed and adds no rows."""

from __future__ import annotations

import threading
from email.utils import format_datetime
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = [pytest.mark.airflow, pytest.mark.network_local]

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ETAG = '"feed-v1"'


class _Site(BaseHTTPRequestHandler):
    requests: list[tuple[str, str | None]] = []
    feed = b""

    def do_GET(self):  # noqa: N802 - http.server's naming
        path = self.path.split("?", 1)[0]
        type(self).requests.append((path, self.headers.get("If-None-Match")))
        if path == "/feed.xml":
            if self.headers.get("If-None-Match") == ETAG:
                self.send_response(304)
                self.send_header("ETag", ETAG)
                self.end_headers()
                return
            self._send(200, self.feed, "application/rss+xml; charset=utf-8", etag=ETAG)
        elif path.startswith("/articles/") and (SEEDS / path.rsplit("/", 1)[1]).is_file():
            self._send(200, (SEEDS / path.rsplit("/", 1)[1]).read_bytes(), "text/plain; charset=utf-8")
        else:
            self._send(404, b"not found", "text/plain")

    def _send(self, status, body, content_type, etag=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _rss(base: str) -> bytes:
    items = []
    for name, title, when in (
        ("000_868f1a1e4cdcbb71.txt", "US and China Navigate Tensions", datetime(2024, 5, 31, 16, 15, tzinfo=timezone.utc)),
        ("001_3bb466336d50e8be.txt", "US, China hold talks in Washington", datetime(2024, 5, 30, tzinfo=timezone.utc)),
    ):
        items.append(f"<item><title>{title}</title><link>{base}/articles/{name}?utm_source=rss</link>"
                     f"<pubDate>{format_datetime(when)}</pubDate></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>local</title>'
            f"<link>{base}/</link><description>test</description>{''.join(items)}</channel></rss>").encode()


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    base = f"http://127.0.0.1:{server.server_port}"
    _Site.requests = []
    _Site.feed = _rss(base)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base
    server.shutdown()


def test_ingest_dag_fetches_over_http_then_only_revalidates(run_dags, site, tmp_path):
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nurl = "{site}/feed.xml"\nname = "local http feed"\n')
    env = {"MEETWIRE_FEEDS": str(feeds), "MEETWIRE_ALLOW_PRIVATE_HOSTS": "127.0.0.1",
           "MEETWIRE_HTTP_MIN_INTERVAL": "0"}

    report, data = run_dags("meetwire_ingest", extra_env=env)
    (first,) = report["runs"]
    assert first["state"] == "success", report["log"]
    assert first["xcom"]["load_articles"]["articles_new"] == 2
    import duckdb

    def counts():
        con = duckdb.connect(str(data / "meetwire.duckdb"), read_only=True)
        try:
            return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                    for t in ("articles", "raw_documents", "stg_entries", "quarantine")}
        finally:
            con.close()

    after_first = counts()
    assert after_first["articles"] == 2 and after_first["quarantine"] == 0
    con = duckdb.connect(str(data / "meetwire.duckdb"), read_only=True)
    urls = sorted(r[0] for r in con.execute("SELECT canonical_url FROM articles").fetchall())
    etag = con.execute("SELECT etag FROM feeds").fetchone()[0]
    con.close()
    assert all("utm_source" not in u for u in urls), urls  # tracking parameters stripped
    assert etag == ETAG

    fetched_pages = [p for p, _ in _Site.requests if p.startswith("/articles/")]
    assert ("/robots.txt", None) in _Site.requests, "robots.txt is consulted before fetching"
    _Site.requests = []
    report, _ = run_dags("meetwire_ingest", extra_env=env)
    (second,) = report["runs"]
    assert second["state"] == "success", report["log"]
    assert second["xcom"]["load_articles"]["articles_new"] == 0
    assert [p for p, _ in _Site.requests if p == "/feed.xml"] == ["/feed.xml"]
    assert ("/feed.xml", ETAG) in _Site.requests, "the second fetch is conditional (If-None-Match)"
    assert not [p for p, _ in _Site.requests if p.startswith("/articles/")], "no page is fetched twice"
    assert len(fetched_pages) == 2
    assert counts() == after_first
    assert second["asset_events"] == [], "nothing new: extract is not triggered"
