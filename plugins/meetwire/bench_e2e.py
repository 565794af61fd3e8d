"""`meetwire bench e2e`: the whole pipeline against the naive loop it must beat, side by side in one run.

The article-extraction benchmark's real pages are served from loopback addresses (several 127.x hosts, ETags,
robots.txt) behind generated RSS feeds, replicated to `size` articles with distinct URLs. Copies after the first
round get a few words inserted at seeded positions, so every copy is its own article to the near-duplicate check
(a byte-identical copy would be skipped by dedupe and flatter meetwire).

Two child processes of this one, run one after the other on the same machine:
- baseline: a bare single-process loop of `trafilatura.extract` + spaCy `nlp.pipe` (the extractor's model) over
  the same HTML, read from disk (no fetching: the cheapest form of the naive loop);
- meetwire: `ingest` (fetch through the real HTTP path, archive, clean, dedupe, load), `extract`, `dq`, then
  `ingest` + `extract` again on the unchanged feeds (the incremental rerun).
Each child reports its own peak RSS. Then the `sql/examples/` queries run on a generated database of
`query_events` events (read-only connection, as an analyst's) for their p95 latency.
Timings are for reading as ratios; the test suite checks only the JSON keys.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import json
import logging
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

from meetwire.bench import load_benchmark_pages, token_f1
from meetwire.settings import PROJECT_ROOT

log = logging.getLogger(__name__)

HOSTS = ("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4")
FEED_ENTRIES = 500  # per generated feed: MEETWIRE_FEED_MAX_ENTRIES' default, so no entry is capped away
INSERTED_WORDS = ("also", "then", "now", "still", "indeed", "again", "meanwhile", "later", "further", "reportedly")
EXAMPLES_DIR = PROJECT_ROOT / "sql" / "examples"

# The keys `meetwire bench e2e` always writes (a contract: scripts read them).
RESULT_KEYS = (
    "size", "baseline_docs_per_s", "meetwire_docs_per_s", "ratio_vs_baseline", "stage_seconds", "rerun_fraction",
    "peak_rss_mb", "clean_f1", "baseline_clean_f1", "dq_seconds", "query_p95_ms",
)


# --- the corpus --------------------------------------------------------------------------------------------------

_P_BLOCK = re.compile(r"(<p\b[^>]*>)(.*?)(</p>)", re.I | re.S)
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)|([^<]+)")


def vary_html(html: str, copy: int) -> str:
    """Copy `copy` of a page: after about one word in eight of each paragraph's text a word is inserted, at
    positions seeded by the copy number. The page stays English and keeps its structure; its text no longer
    shares most word shingles with the original or any other copy."""
    if copy == 0:
        return html
    rng = random.Random(copy)
    word = INSERTED_WORDS[copy % len(INSERTED_WORDS)]

    def text_part(text: str) -> str:
        words = text.split(" ")
        return " ".join(w + (" " + word if w.isalpha() and rng.random() < 0.125 else "") for w in words)

    def block(m: re.Match) -> str:
        inner = "".join(t[0] or text_part(t[1]) for t in _TAG_OR_TEXT.findall(m.group(2)))
        return m.group(1) + inner + m.group(3)

    return _P_BLOCK.sub(block, html)


def build_corpus(size: int, directory: Path, limit_pages: int | None = None) -> dict:
    """Write the `size` pages under directory/pages and a manifest; returns the manifest."""
    pages = load_benchmark_pages(limit_pages)
    if not pages:
        raise RuntimeError("the article-extraction benchmark (../shared/data/article-extraction-benchmark) is missing")
    (directory / "pages").mkdir(parents=True, exist_ok=True)
    base = datetime(2024, 6, 1, tzinfo=timezone.utc)
    items = []
    for i in range(size):
        k, copy = i % len(pages), i // len(pages)
        html, url, _ = pages[k]
        host = HOSTS[i % len(HOSTS)]
        path = f"/news/{copy}/{k}.html"
        (directory / "pages" / f"{i}.html").write_text(vary_html(html, copy), encoding="utf-8")
        items.append({"i": i, "page": k, "copy": copy, "host": host, "path": path,
                      "published": (base - timedelta(minutes=i)).isoformat()})
    manifest = {"size": size, "items": items, "gold": [body for _, _, body in pages]}
    (directory / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return manifest


def _feed_xml(host_port: str, items: list[dict], port: int) -> bytes:
    parts = ['<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>',
             f"<title>bench feed</title><link>http://{host_port}/</link><description>generated</description>"]
    for it in items:
        link = f"http://{it['host']}:{port}{it['path']}"
        stamp = email.utils.format_datetime(datetime.fromisoformat(it["published"]))
        parts.append(f"<item><title>page {it['page']} copy {it['copy']}</title><link>{escape(link)}</link>"
                     f"<guid>{escape(link)}</guid><pubDate>{stamp}</pubDate></item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


# --- the loopback site -------------------------------------------------------------------------------------------

class _Site:
    """Pages and feeds by (host, path), served with ETags (a rerun gets 304 for unchanged feeds)."""

    def __init__(self, directory: Path, manifest: dict):
        self.directory = directory
        self.paths = {(it["host"], it["path"]): it["i"] for it in manifest["items"]}
        self.feeds: dict[str, bytes] = {}
        self.requests = 0

    def body(self, host: str, path: str) -> tuple[bytes, str] | None:
        if path in self.feeds and host == HOSTS[0]:
            return self.feeds[path], "application/rss+xml; charset=utf-8"
        i = self.paths.get((host, path))
        if i is None:
            return None
        return (self.directory / "pages" / f"{i}.html").read_bytes(), "text/html; charset=utf-8"


def _handler(site: _Site):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 - the stdlib's name
            site.requests += 1
            host = self.server.server_address[0]
            found = site.body(host, self.path.split("?", 1)[0])
            if found is None:
                self._send(404, b"not found", "text/plain")
                return
            body, ctype = found
            etag = '"' + hashlib.sha1(body).hexdigest() + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self._send(200, body, ctype, etag)

        def _send(self, status, body, ctype, etag=None):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # quiet: the bench prints its own summary
            pass

    return Handler


@contextlib.contextmanager
def serve(directory: Path, manifest: dict):
    """Serve the corpus on every loopback host of HOSTS (one port for all); yields (site, port, feed urls)."""
    site = _Site(directory, manifest)
    servers = []
    port = 0
    for host in HOSTS:
        server = ThreadingHTTPServer((host, port), _handler(site))
        server.daemon_threads = True
        port = server.server_address[1]
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
    items = manifest["items"]
    feed_urls = []
    for n, start in enumerate(range(0, len(items), FEED_ENTRIES)):
        path = f"/feeds/{n}.xml"
        site.feeds[path] = _feed_xml(f"{HOSTS[0]}:{port}", items[start : start + FEED_ENTRIES], port)
        feed_urls.append(f"http://{HOSTS[0]}:{port}{path}")
    try:
        yield site, port, feed_urls
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


# --- the two sides -------------------------------------------------------------------------------------------

def _peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux; the children's figure covers worker processes this one started and waited for
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + kids) / 1024, 1)


def _round0_f1(texts: dict[int, str], manifest: dict) -> float | None:
    """Mean token F1 against the hand-checked bodies, over the unaltered first round of pages."""
    scores = [token_f1(texts[it["i"]], manifest["gold"][it["page"]])[2]
              for it in manifest["items"] if it["copy"] == 0 and it["i"] in texts]
    return round(sum(scores) / len(scores), 4) if scores else None


def child_baseline(directory: Path) -> dict:
    import spacy
    import trafilatura

    from meetwire.extract.nlp import MODEL_NAME

    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    nlp = spacy.load(MODEL_NAME)
    start = time.perf_counter()
    texts: dict[int, str] = {}

    def extracted():
        for it in manifest["items"]:
            html = (directory / "pages" / f"{it['i']}.html").read_text(encoding="utf-8")
            text = trafilatura.extract(html, url=f"http://{it['host']}{it['path']}") or ""
            if it["copy"] == 0:
                texts[it["i"]] = text
            yield text

    n_tokens = sum(len(doc) for doc in nlp.pipe(extracted()))
    seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 3), "docs": manifest["size"], "tokens": n_tokens,
            "clean_f1": _round0_f1(texts, manifest), "peak_rss_mb": _peak_rss_mb()}


def child_meetwire(directory: Path) -> dict:
    from meetwire import pipeline, store
    from meetwire.settings import get_settings

    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    settings = get_settings()
    settings.ensure_dirs()
    stages: dict[str, float] = {}
    out: dict = {}

    def timed(name, fn):
        start = time.perf_counter()
        result = fn()
        stages[name] = round(time.perf_counter() - start, 3)
        return result

    out["ingest"] = timed("ingest", lambda: pipeline.ingest(settings))
    out["extract"] = timed("extract", lambda: pipeline.extract(settings))
    out["dq"] = timed("dq", lambda: pipeline.quality(settings))
    out["rerun_ingest"] = timed("rerun_ingest", lambda: pipeline.ingest(settings))
    out["rerun_extract"] = timed("rerun_extract", lambda: pipeline.extract(settings))
    with store.connect(settings, read_only=True) as con:
        rows = con.execute("SELECT url, text FROM articles").fetchall()
        counts = store.table_counts(con, ("articles", "events", "quarantine"))
    by_path = {(it["host"], it["path"]): it["i"] for it in manifest["items"]}
    texts = {}
    for url, text in rows:
        m = re.match(r"https?://([^:/]+)(?::\d+)?(/.*)", url)
        if m and (m.group(1), m.group(2)) in by_path:
            texts[by_path[(m.group(1), m.group(2))]] = text
    dq = out["dq"]
    return {"stage_seconds": stages, "counts": counts, "clean_f1": _round0_f1(texts, manifest),
            "dq_checks": dq.get("n_checks"), "dq_failed": dq.get("n_failed"),
            "ingest": out["ingest"], "extract": out["extract"], "peak_rss_mb": _peak_rss_mb()}


def _run_child(kind: str, directory: Path, env: dict | None = None) -> dict:
    result_path = directory / f"{kind}.json"
    cmd = [sys.executable, "-m", "meetwire.bench_e2e", kind, str(directory), str(result_path)]
    proc = subprocess.run(cmd, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"bench {kind} process failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return json.loads(result_path.read_text(encoding="utf-8"))


# --- queries on a large database -------------------------------------------------------------------------------

def generate_events_db(path: Path, n_events: int) -> None:
    """A database with the real schema and views, filled with `n_events` generated events (two or three
    participants each from 20k actors, one to three articles each), for query latency only. One actor is named
    as the seeds' Campbell, whom the one-person examples look for, so those queries return rows as they would."""
    import duckdb

    from meetwire import store
    from meetwire.pipeline import refresh_event_rollups

    con = duckdb.connect(str(path))
    try:
        con.execute("SET enable_progress_bar = false")
        store.migrate(con)
        store.create_views(con)
        n_actors, n_articles = 20_000, max(n_events // 2, 1)
        countries = "['United States','China','Russia','France','Germany','India','Japan','Brazil','Iran','Turkey']"
        modes = "['in_person','phone','virtual','visit','multilateral']"
        con.execute(f"""
            INSERT INTO actors (actor_id, name, title, country, updated_at)
            SELECT 'a' || i, CASE i WHEN 0 THEN 'Kurt Campbell' ELSE 'Person ' || i END, 'Minister',
                   {countries}[1 + i % 10], now() FROM range({n_actors}) t(i);
            INSERT INTO actor_aliases SELECT name, actor_id FROM actors;
            INSERT INTO articles (article_id, url, canonical_url, source, published_at, fetched_at, language,
                                  content_sha256, text_source, text, cleaned_at)
            SELECT 'r' || i, 'https://news.example/' || i, 'https://news.example/' || i, 'Outlet ' || (i % 50),
                   TIMESTAMPTZ '2020-01-01' + to_minutes(i), now(), 'en', md5(i::VARCHAR), 'page', 'text', now()
            FROM range({n_articles}) t(i);
            INSERT INTO events (event_id, event_date, date_precision, date_from, date_to, location, mode, status,
                                scope, confidence, evidence, extractor_version, first_seen_at, updated_at)
            SELECT 'e' || i, DATE '2020-01-01' + (i % 2500)::INTEGER, 'day',
                   DATE '2020-01-01' + (i % 2500)::INTEGER, DATE '2020-01-01' + (i % 2500)::INTEGER,
                   'City ' || (i % 300), {modes}[1 + i % 5], CASE WHEN i % 7 = 0 THEN 'planned' ELSE 'occurred' END,
                   CASE WHEN i % 5 = 4 THEN 'multilateral' ELSE 'bilateral' END, 0.5 + (i % 50) / 100,
                   'A met B.', 'bench', now(), now()
            FROM range({n_events}) t(i);
            INSERT INTO event_participants (event_id, actor_id, role)
            SELECT 'e' || i, 'a' || ((i * 7 + k * 7919) % {n_actors}), CASE k WHEN 0 THEN 'host' ELSE 'guest' END
            FROM range({n_events}) t(i), range(3) s(k) WHERE k < 2 OR i % 5 = 4;
            INSERT INTO event_topics SELECT 'e' || i, ['trade','security','climate'][1 + i % 3] FROM range({n_events}) t(i);
            INSERT INTO event_articles (event_id, article_id, evidence)
            SELECT 'e' || i, 'r' || ((i + k * 104729) % {n_articles}), 'A met B.'
            FROM range({n_events}) t(i), range(3) s(k) WHERE k <= i % 3;
        """)
        refresh_event_rollups(con)  # as every load does
    finally:
        con.close()


def query_latencies(path: Path, repeat: int = 5) -> dict:
    """Each example file's statements timed `repeat` times (after one warm-up) on a read-only connection."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    timings: dict[str, list[float]] = {}
    try:
        for file in sorted(EXAMPLES_DIR.glob("*.sql")):
            from meetwire.store import split_statements

            statements = split_statements(con, file.read_text(encoding="utf-8"))
            for n in range(repeat + 1):
                start = time.perf_counter()
                for sql in statements:
                    con.execute(sql).fetchall()
                if n:
                    timings.setdefault(file.name, []).append((time.perf_counter() - start) * 1000)
    finally:
        con.close()
    every = sorted(t for ts in timings.values() for t in ts)
    p95 = every[min(len(every) - 1, int(round(0.95 * (len(every) - 1))))] if every else None
    return {"p95_ms": round(p95, 1) if p95 is not None else None,
            "per_query_median_ms": {k: round(sorted(v)[len(v) // 2], 1) for k, v in timings.items()}}


# --- the whole bench ---------------------------------------------------------------------------------------------

def run_e2e(size: int = 1000, query_events: int = 1_000_000, workdir: Path | None = None,
            limit_pages: int | None = None) -> dict:
    from meetwire.feeds_config import save_feeds

    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="meetwire-bench-")))
        workdir.mkdir(parents=True, exist_ok=True)
        manifest = build_corpus(size, workdir, limit_pages)
        baseline = _run_child("baseline", workdir)
        with serve(workdir, manifest) as (site, port, feed_urls):
            feeds_toml = workdir / "feeds.toml"
            save_feeds(feeds_toml, [{"url": u, "name": f"bench {n}", "enabled": True}
                                    for n, u in enumerate(feed_urls)])
            env = {
                "MEETWIRE_DB": str(workdir / "meetwire.duckdb"), "MEETWIRE_ARCHIVE_DIR": str(workdir / "raw"),
                "MEETWIRE_DOCS_DIR": str(workdir / "docs"), "MEETWIRE_FEEDS": str(feeds_toml),
                "MEETWIRE_ALLOW_PRIVATE_HOSTS": "127.0.0.0/8", "MEETWIRE_HTTP_MIN_INTERVAL": "0",
                "MEETWIRE_HTTP_PER_HOST": "8", "MEETWIRE_FEED_MAX_ENTRIES": str(FEED_ENTRIES),
                "MEETWIRE_ALERT_WEBHOOK": "", "MEETWIRE_SLACK_WEBHOOK": "", "MEETWIRE_ALERT_EMAIL": "",
            }
            ours = _run_child("meetwire", workdir, env)
            requests = site.requests
        stages = ours["stage_seconds"]
        first = stages["ingest"] + stages["extract"] + stages["dq"]
        rerun = stages["rerun_ingest"] + stages["rerun_extract"]
        query = {"p95_ms": None}
        if query_events:
            db = workdir / "queries.duckdb"
            start = time.perf_counter()
            generate_events_db(db, query_events)
            query = {**query_latencies(db), "generate_seconds": round(time.perf_counter() - start, 1)}
    baseline_rate = size / baseline["seconds"] if baseline["seconds"] else None
    ours_rate = size / first if first else None
    return {
        "size": size,
        "baseline_docs_per_s": round(baseline_rate, 2) if baseline_rate else None,
        "meetwire_docs_per_s": round(ours_rate, 2) if ours_rate else None,
        "ratio_vs_baseline": round(ours_rate / baseline_rate, 3) if baseline_rate and ours_rate else None,
        "stage_seconds": stages,
        "rerun_fraction": round(rerun / (stages["ingest"] + stages["extract"]), 4),
        "peak_rss_mb": {"baseline": baseline["peak_rss_mb"], "meetwire": ours["peak_rss_mb"]},
        "clean_f1": ours["clean_f1"],
        "baseline_clean_f1": baseline["clean_f1"],
        "dq_seconds": stages["dq"],
        "query_p95_ms": query["p95_ms"],
        "query_events": query_events,
        "query_detail": query,
        "baseline_seconds": baseline["seconds"],
        "meetwire_seconds": round(first, 3),
        "http_requests": requests,
        "counts": ours["counts"],
        "dq_checks": ours["dq_checks"],
        "dq_failed": ours["dq_failed"],
        "ingest_counts": ours["ingest"],
        "extract_counts": ours["extract"],
        "cpu_count": os.cpu_count(),
        "machine_note": "ratios are measured side by side in this one run; absolute seconds vary by machine",
    }


def _main(argv: list[str]) -> int:
    kind, directory, result_path = argv[0], Path(argv[1]), Path(argv[2])
    logging.basicConfig(level=logging.WARNING)
    result = child_baseline(directory) if kind == "baseline" else child_meetwire(directory)
    result_path.write_text(json.dumps(result, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
