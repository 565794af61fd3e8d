"""Ingestion: feeds and article pages in, `articles` rows out. Nothing lost, nothing twice.

One call of `ingest_feeds` works in four phases, so the single-writer DuckDB file is held only briefly:

A. network: fetch every selected feed (conditional GET with the stored ETag/Last-Modified), archive the raw bytes,
   parse them (no DB connection open);
B. DB: per feed, one transaction stores the feed's new state (validators, status, Retry-After, disabled on 410,
   new url on 301/308), the raw document row and the new entries in `stg_entries`, or a quarantine row;
   then the unprocessed entries of these feeds are read (including those left over by a killed run);
C. network: fetch and clean each pending entry's article page (falling back to the feed's own text);
D. DB: per article, one transaction inserts the article (deduplicated) and marks the entry processed, or
   quarantines the failure and marks the entry processed.

A run killed anywhere leaves either complete rows or none; the next run skips feeds that answer 304 and fetches
only entries still marked unprocessed.
"""

from __future__ import annotations

import logging
import time
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from meetwire import archive, dedupe, feeds_config, store
from meetwire.feeds import FeedError, ParsedFeed, canonical_url, looks_like_feed, parse_feed
from meetwire.http import Fetcher, FetchError, FetchResult, decode_body, parse_content_type
from meetwire.ids import stable_id
from meetwire.settings import PROJECT_ROOT, Settings
from meetwire.workers import parallel_map

log = logging.getLogger(__name__)

MAX_WORKERS = 8
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, application/json;q=0.5, */*;q=0.1"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, text/plain;q=0.8, */*;q=0.1"
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")

COUNT_KEYS = (
    "feeds", "fetched", "not_modified", "skipped_retry_after", "feed_errors", "entries", "entries_new",
    "pages_fetched", "articles_new", "duplicates", "quarantined", "pages_deferred",
)


def _new_counts() -> dict[str, int]:
    return {k: 0 for k in COUNT_KEYS}


# --- locations -------------------------------------------------------------------------------------------------


def resolve_location(url: str, *, base: Path = PROJECT_ROOT) -> tuple[str, Path | None]:
    """(fetchable URL, directory file: URLs may come from) for a configured feed or CLI URL.

    http(s) URLs are returned as they are, with no file root. A `file:` URL or a plain path (relative paths are
    relative to the project root) becomes a `file:` URL; its directory is the root its entries may point into.
    """
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return url, None
    if scheme == "file":
        path = Path(urllib.request.url2pathname(parts.path))
    elif scheme == "" or (len(scheme) == 1 and url[1:2] == ":"):
        path = Path(url).expanduser()
        if not path.is_absolute():
            path = base / path
    else:
        return url, None  # an unsupported scheme: the fetcher refuses it with bad_scheme
    path = path.resolve()
    return path.as_uri(), path.parent


def _is_local(url: str) -> bool:
    return urllib.parse.urlsplit(url).scheme.lower() not in ("http", "https")


# --- feeds config ----------------------------------------------------------------------------------------------


def sync_feeds(con, settings: Settings) -> int:
    """Upsert the feeds file into `feeds`; return how many feeds it lists.

    Name, tags and schedule follow the file. The url is the key (feed_id = stable_id(configured url)); a url
    changed by a permanent redirect is kept. `enabled = false` disables a feed; a feed that left the file is
    disabled (`not_in_config`); a feed disabled by the server (410 Gone) stays disabled until someone clears it.
    """
    path = settings.feeds
    if not path.exists():
        log.warning("feeds file %s does not exist", path)
        return 0
    configured, problems = feeds_config.read_feeds(path)  # a file that is not TOML raises FeedsFileError
    now = store.utcnow()
    existing = {
        r[0]: (r[1], r[2])
        for r in con.execute("SELECT feed_id, is_enabled, disabled_reason FROM feeds").fetchall()
    }
    seen: set[str] = set()
    with store.transaction(con):
        for problem in problems:
            store.quarantine(con, url=None, stage="feed", reason="bad_config", detail=problem)
        for item in configured:
            url = item["url"]
            feed_id = stable_id(url)
            seen.add(feed_id)
            tags, enabled, name, schedule = item["tags"], item["enabled"], item["name"], item["schedule"]
            if feed_id not in existing:
                con.execute(
                    "INSERT INTO feeds (feed_id, url, name, tags, schedule_hint, is_enabled, disabled_reason,"
                    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [feed_id, url, name, tags, schedule, enabled, None if enabled else "config", now],
                )
                continue
            was_enabled, reason = existing[feed_id]
            if not enabled:
                new_enabled, new_reason = False, reason if (not was_enabled and reason not in (None, "not_in_config", "adhoc")) else "config"
            elif not was_enabled and reason in ("config", "not_in_config", "adhoc", None):
                new_enabled, new_reason = True, None
            else:
                new_enabled, new_reason = was_enabled, reason
            con.execute(
                "UPDATE feeds SET name = ?, tags = ?, schedule_hint = ?, is_enabled = ?, disabled_reason = ?"
                " WHERE feed_id = ?",
                [name, tags, schedule, new_enabled, new_reason, feed_id],
            )
        for feed_id, (was_enabled, _reason) in existing.items():
            if feed_id not in seen and was_enabled:
                con.execute(
                    "UPDATE feeds SET is_enabled = false, disabled_reason = 'not_in_config' WHERE feed_id = ?",
                    [feed_id],
                )
    return len(seen)


def enabled_feed_ids(con) -> list[str]:
    return [r[0] for r in con.execute("SELECT feed_id FROM feeds WHERE is_enabled ORDER BY feed_id").fetchall()]


# --- work items ------------------------------------------------------------------------------------------------


@dataclass
class FeedRow:
    feed_id: str
    url: str
    name: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    retry_after_at: datetime | None = None


@dataclass
class FeedOutcome:
    feed: FeedRow
    fetched_at: datetime
    result: FetchResult | None = None
    error: FetchError | None = None
    skipped: bool = False
    raw_ref: str | None = None
    parsed: ParsedFeed | None = None
    feed_error: FeedError | None = None
    n_bytes: int | None = None  # the body's size when the body itself stayed behind (a staged outcome)


@dataclass
class PageJob:
    entry_id: str | None  # None for a URL given directly
    feed_id: str | None
    url: str
    canonical_url: str
    title: str | None = None
    summary: str | None = None
    content: str | None = None
    published_at: datetime | None = None
    source: str | None = None
    file_root: Path | None = None
    prefetched: FetchResult | None = None


@dataclass
class PageOutcome:
    job: PageJob
    fetched_at: datetime
    doc: Any = None  # meetwire.clean.CleanedDocument
    raw_ref: str | None = None
    raw_docs: list[dict] = field(default_factory=list)  # archive.record arguments, one per archived body
    final_url: str | None = None
    failures: list[tuple[str, str, str, str]] = field(default_factory=list)  # (url, stage, reason, detail)
    # between the fetch and the clean: (body, content-type header, media type, final url, raw_ref)
    fetched: tuple | None = None


# --- phase A: feeds over the network ---------------------------------------------------------------------------


def _fetch_feed(fetcher: Fetcher, settings: Settings, feed: FeedRow, now: datetime) -> FeedOutcome:
    out = FeedOutcome(feed=feed, fetched_at=now)
    if feed.retry_after_at is not None and feed.retry_after_at > now:
        out.skipped = True
        return out
    url, root = resolve_location(feed.url)
    try:
        result = fetcher.fetch(url, etag=feed.etag, last_modified=feed.last_modified, accept=FEED_ACCEPT,
                               file_root=root)
    except FetchError as exc:
        out.error = exc
        return out
    out.result = result
    if result.not_modified:
        return out
    out.raw_ref = archive.put(result.body, settings)
    try:
        out.parsed = parse_feed(result.body, url=result.final_url, content_type=result.content_type_header)
    except FeedError as exc:
        out.feed_error = exc
    return out


# --- phase B: feed state and staged entries --------------------------------------------------------------------


def _retry_at(now: datetime, seconds: float | None) -> datetime | None:
    return now + timedelta(seconds=seconds) if seconds else None


def _write_feed_outcome(con, out: FeedOutcome, counts: dict, run_id: str, max_entries: int = 500) -> None:
    feed, now = out.feed, out.fetched_at
    if out.skipped:
        counts["skipped_retry_after"] += 1
        return
    with store.transaction(con):
        if out.error is not None:
            exc = out.error
            counts["feed_errors"] += 1
            counts["quarantined"] += 1
            store.quarantine(con, url=feed.url, stage="fetch", reason=exc.reason, detail=exc.detail, run_id=run_id)
            if exc.status == 410:
                con.execute(
                    "UPDATE feeds SET last_status = 410, last_fetched_at = ?, is_enabled = false,"
                    " disabled_reason = 'gone (HTTP 410)' WHERE feed_id = ?",
                    [now, feed.feed_id],
                )
            else:
                con.execute(
                    "UPDATE feeds SET last_status = ?, last_fetched_at = ?, retry_after_at = ? WHERE feed_id = ?",
                    [exc.status, now, _retry_at(now, exc.retry_after), feed.feed_id],
                )
            return
        result = out.result
        assert result is not None
        counts["fetched"] += 1
        new_url = result.permanent_url if (result.permanent_url and not _is_local(feed.url)) else feed.url
        if result.not_modified:
            counts["not_modified"] += 1
            con.execute(
                "UPDATE feeds SET last_status = 304, last_fetched_at = ?, retry_after_at = NULL, url = ?,"
                " etag = coalesce(?, etag), last_modified = coalesce(?, last_modified) WHERE feed_id = ?",
                [now, new_url, result.etag, result.last_modified, feed.feed_id],
            )
            return
        archive.record(
            con, raw_ref=out.raw_ref, url=feed.url, final_url=result.final_url, kind="feed",
            status_code=result.status, content_type=result.content_type_header,
            n_bytes=out.n_bytes if out.n_bytes is not None else len(result.body), feed_id=feed.feed_id, fetched_at=now,
        )
        con.execute(
            "UPDATE feeds SET last_status = ?, last_fetched_at = ?, retry_after_at = NULL, url = ?, etag = ?,"
            " last_modified = ? WHERE feed_id = ?",
            [result.status, now, new_url, result.etag, result.last_modified, feed.feed_id],
        )
        if out.feed_error is not None:
            counts["feed_errors"] += 1
            counts["quarantined"] += 1
            store.quarantine(con, url=feed.url, stage="feed", reason=out.feed_error.reason,
                             detail=out.feed_error.detail, run_id=run_id)
            return
        parsed = out.parsed
        assert parsed is not None
        # one row per feed and reason, however many entries it concerns (a broken feed is not 50,000 rows)
        by_reason: dict[str, list[str]] = {}
        for reason, detail in parsed.skipped:
            by_reason.setdefault(reason, []).append(detail or "")
        for reason, details in by_reason.items():
            counts["quarantined"] += 1
            head = "; ".join(d[:80] for d in details[:3])
            store.quarantine(con, url=feed.url, stage="feed", reason=reason,
                             detail=f"{len(details)} entries, e.g. {head}" if len(details) > 1 else head, run_id=run_id)
        entries = capped_entries(parsed, max_entries)
        if len(entries) < len(parsed.entries):
            counts["quarantined"] += 1
            store.quarantine(con, url=feed.url, stage="feed", reason="entries_capped",
                             detail=f"{len(parsed.entries)} entries, the newest {max_entries} taken "
                                    f"(MEETWIRE_FEED_MAX_ENTRIES)", run_id=run_id)
        rows = entries_by_id(entries)
        counts["entries"] += len(rows)
        if not rows:
            return
        known = {
            r[0]
            for r in con.execute(
                "SELECT entry_id FROM stg_entries WHERE entry_id IN (SELECT unnest(?::VARCHAR[]))", [list(rows)]
            ).fetchall()
        }
        new = [
            {
                "entry_id": entry_id, "feed_id": feed.feed_id, "url": e.url, "canonical_url": e.canonical_url,
                "title": e.title, "summary": e.summary, "content": e.content, "published_at": e.published_at,
                "seen_at": now, "is_processed": False, "guid": e.guid, "source": e.source,
            }
            for entry_id, e in rows.items()
            if entry_id not in known
        ]
        counts["entries_new"] += len(new)
        store.upsert(con, "stg_entries", new, key=["entry_id"], update=[])


def capped_entries(parsed: ParsedFeed, max_entries: int) -> list:
    """All entries, or the newest `max_entries` (the rest wait for a later run while they stay in the feed)."""
    entries = parsed.entries
    if max_entries and len(entries) > max_entries:
        newest = sorted(entries, key=lambda e: (e.published_at is not None, e.published_at or 0), reverse=True)
        entries = newest[:max_entries]
    return entries


def entries_by_id(entries: list) -> dict:
    rows = {}
    for e in entries:
        rows.setdefault(stable_id(e.canonical_url), e)
    return rows


def _pending_jobs(con, feeds: dict[str, FeedRow]) -> list[PageJob]:
    if not feeds:
        return []
    rows = con.execute(
        "SELECT entry_id, feed_id, url, canonical_url, title, summary, content, published_at, source"
        " FROM stg_entries WHERE NOT is_processed AND feed_id IN (SELECT unnest(?::VARCHAR[]))"
        " ORDER BY seen_at, published_at NULLS LAST, entry_id",  # oldest first: the original of a copy
        [list(feeds)],
    ).fetchall()
    jobs = []
    for entry_id, feed_id, url, canon, title, summary, content, published, source in rows:
        feed = feeds[feed_id]
        _, root = resolve_location(feed.url)
        jobs.append(PageJob(entry_id, feed_id, url, canon, title, summary, content, published, source, root))
    return jobs


# --- phase C: article pages ------------------------------------------------------------------------------------


def _clean_module():
    from meetwire import clean  # a sibling module, imported late so ingest loads without it

    return clean


def _page_type_ok(result: FetchResult) -> bool:
    media = result.content_type
    if media is None or media in ("application/octet-stream", "binary/octet-stream"):
        return True  # unlabelled: let the cleaner sniff it
    return media in PAGE_TYPES or media.endswith("+xml") and "html" in media


def _feed_fallback_text(job: PageJob) -> str | None:
    candidates = [t for t in (job.content, job.summary) if t]
    return max(candidates, key=len) if candidates else None


def _fetch_page(fetcher: Fetcher, settings: Settings, job: PageJob, now: datetime) -> PageOutcome:
    """The I/O half (threads): fetch the page and archive its bytes; cleaning is `_clean_page`."""
    out = PageOutcome(job=job, fetched_at=now)
    result = job.prefetched
    if result is None and settings.fetch_articles:
        try:
            result = fetcher.fetch(job.url, accept=PAGE_ACCEPT, file_root=job.file_root)
        except FetchError as exc:
            out.failures.append((job.url, "fetch", exc.reason, exc.detail))
    if result is not None and not _page_type_ok(result):
        out.failures.append((job.url, "fetch", "unsupported_type", str(result.content_type)))
        result = None
    job.prefetched = None  # the bytes travel once, in `fetched`, not with the job (which is staged)
    if result is not None:
        raw_ref = archive.put(result.body, settings)
        out.raw_docs.append(dict(
            raw_ref=raw_ref, url=job.url, final_url=result.final_url, kind="page", status_code=result.status,
            content_type=result.content_type_header, n_bytes=len(result.body), feed_id=job.feed_id,
            fetched_at=now,
        ))
        out.fetched = (result.body, result.content_type_header, result.content_type, result.final_url, raw_ref)
    return out


def _clean_page(settings: Settings, out: PageOutcome) -> PageOutcome:
    """The CPU half (worker processes): clean the fetched page, or fall back to the feed's own text."""
    clean = _clean_module()
    job = out.job
    fetched, out.fetched = out.fetched, None
    if fetched is not None:
        body, content_type_header, content_type, final_url, raw_ref = fetched
        try:
            text = decode_body(body, content_type_header)
            out.doc = clean.clean_document(
                text, url=final_url, content_type=content_type,
                fallback_title=job.title, fallback_published=job.published_at,
            )
            out.raw_ref = raw_ref
            out.final_url = final_url
            return out
        except clean.CleanError as exc:
            out.failures.append((final_url, "clean", exc.reason, exc.detail))
        except Exception as exc:  # a cleaner bug must not stop the run
            out.failures.append((final_url, "clean", "clean_crash", f"{type(exc).__name__}: {exc}"))
    fallback = _feed_fallback_text(job) if job.entry_id else None
    if fallback:
        body = fallback.encode("utf-8")
        raw_ref = archive.put(body, settings)
        try:
            out.doc = clean.clean_document(
                fallback, url=job.url, content_type="text/plain", fallback_title=job.title,
                fallback_published=job.published_at, text_source="feed",
            )
        except clean.CleanError as exc:
            _fallback_failed(out, job.url, exc.reason, exc.detail)
        except Exception as exc:
            _fallback_failed(out, job.url, "clean_crash", f"{type(exc).__name__}: {exc}")
        else:
            out.raw_ref = raw_ref
            out.final_url = job.url
            out.raw_docs.append(dict(
                raw_ref=raw_ref, url=job.url, final_url=job.url, kind="text", status_code=None,
                content_type="text/plain; charset=utf-8", n_bytes=len(body), feed_id=job.feed_id,
                fetched_at=out.fetched_at,
            ))
    return out


def _warm_cleaner() -> None:
    """Import the cleaner's heavy libraries once, before a pool forks (the workers share them)."""
    import py3langid  # noqa: F401
    import trafilatura  # noqa: F401

    _clean_module()


def _clean_task(item: tuple[Settings, PageOutcome]) -> PageOutcome:
    """One page for a worker process; a bug becomes a quarantine row, never a dead pool."""
    settings, out = item
    try:
        return _clean_page(settings, out)
    except Exception as exc:  # noqa: BLE001 - isolation is the point
        log.exception("cleaning %s failed", out.job.url)
        out.fetched = None
        out.failures.append((out.job.url, "clean", "clean_crash", f"{type(exc).__name__}: {exc}"))
        return out


def _fallback_failed(out: PageOutcome, url: str, reason: str, detail: str) -> None:
    """The feed's own text could not stand in for the page. When the page already failed, that is one problem
    (the page's), told in one quarantine row; a short feed summary is not a second bad input."""
    note = f"feed text: {reason}: {detail}"
    if out.failures:
        first_url, stage, first_reason, first_detail = out.failures[0]
        out.failures[0] = (first_url, stage, first_reason, f"{first_detail}; {note}"[:4000])
    else:
        out.failures.append((url, "clean", reason, f"feed text: {detail}"))


def _same_site(a: str, b: str) -> bool:
    ha = (urllib.parse.urlsplit(a).hostname or "").lower().removeprefix("www.")
    hb = (urllib.parse.urlsplit(b).hostname or "").lower().removeprefix("www.")
    return bool(ha) and ha == hb


def _article_canonical(out: PageOutcome) -> str:
    """The page's own canonical link when it stays on the same site, else the fetched URL, normalised."""
    job, doc = out.job, out.doc
    final = out.final_url or job.url
    if getattr(doc, "canonical_url", None) and not _is_local(final):
        declared = urllib.parse.urljoin(final, doc.canonical_url)
        if _same_site(declared, final) and urllib.parse.urlsplit(declared).scheme in ("http", "https"):
            return canonical_url(declared)
    return canonical_url(final) if final != job.url else job.canonical_url


# --- phase D: articles -----------------------------------------------------------------------------------------


class _ChunkIndex:
    """The articles of the chunk being loaded, for duplicates among themselves (they are not in the table yet)."""

    def __init__(self) -> None:
        self.by_url: dict[str, str] = {}
        self.by_hash: dict[str, str] = {}
        self.sims: list[tuple[int, str]] = []

    def find(self, canon: str, text_hash: str, sim: int, kind: str) -> tuple[str, str] | None:
        if kind == "url":
            return ("url", self.by_url[canon]) if canon in self.by_url else None
        if text_hash in self.by_hash:
            return "content", self.by_hash[text_hash]
        near = [(dedupe.hamming(sim, s), i) for s, i in self.sims if dedupe.hamming(sim, s) <= dedupe.NEAR_DISTANCE]
        return ("near", min(near)[1]) if near else None

    def add(self, article_id: str, canon: str, text_hash: str, sim: int, original: str) -> None:
        self.by_url[canon] = article_id
        self.by_hash.setdefault(text_hash, original)
        self.sims.append((sim, original))


def _find_duplicate(con, chunk: _ChunkIndex, canon: str, text_hash: str, sim: int) -> tuple[str, str] | None:
    # the table's rows came first, so they win each kind of match; a URL match beats any other
    stored = dedupe.find_duplicate(con, canonical_url=canon, content_sha256=text_hash, simhash_value=sim)
    if stored and stored[0] == "url":
        return stored
    return chunk.find(canon, text_hash, sim, "url") or stored or chunk.find(canon, text_hash, sim, "text")


def _load_chunk(con, outcomes: list[PageOutcome], counts: dict, run_id: str) -> list[str | None]:
    """The chunk in one transaction; if the database refuses it, page by page, so one bad row is quarantined
    (stage load) instead of blocking the chunk on every run. Counts are added only for what was committed."""
    import duckdb

    done = _new_counts()
    try:
        ids = _write_outcomes(con, outcomes, done, run_id)
    except duckdb.Error:
        log.exception("loading a chunk of %d pages failed; loading them one by one", len(outcomes))
        ids, done = [], _new_counts()
        for out in outcomes:
            one = _new_counts()
            try:
                ids.extend(_write_outcomes(con, [out], one, run_id))
            except duckdb.Error as exc:
                one = _new_counts()
                one["quarantined"] = 1
                store.quarantine(con, url=out.final_url or out.job.url, stage="load", reason="load_error",
                                 detail=f"{type(exc).__name__}: {exc}", run_id=run_id)
                ids.append(None)
            for k, v in one.items():
                done[k] += v
    for k, v in done.items():
        counts[k] += v
    return ids


def _write_outcomes(con, outcomes: list[PageOutcome], counts: dict, run_id: str) -> list[str | None]:
    """Load a chunk of cleaned pages in one transaction (all or nothing) with one statement per table."""
    ids: list[str | None] = []
    raw_rows: list[dict] = []
    article_rows: list[dict] = []
    entry_ids: list[str] = []
    chunk = _ChunkIndex()
    now = store.utcnow()
    with store.transaction(con):
        for out in outcomes:
            job = out.job
            for url, stage, reason, detail in out.failures:
                counts["quarantined"] += 1
                store.quarantine(con, url=url, stage=stage, reason=reason, detail=detail, run_id=run_id)
            raw_rows.extend(out.raw_docs)
            article_id = None
            doc = out.doc
            if doc is not None:
                canon = _article_canonical(out)
                article_id = stable_id(canon)
                text_hash = dedupe.content_hash(doc.text)
                sim = dedupe.simhash(doc.text)
                dup = _find_duplicate(con, chunk, canon, text_hash, sim)
                if dup is not None and dup[0] == "url":
                    counts["duplicates"] += 1
                    article_id = dup[1]
                else:
                    duplicate_of = dup[1] if dup else None
                    counts["duplicates" if duplicate_of else "articles_new"] += 1
                    chunk.add(article_id, canon, text_hash, sim, duplicate_of or article_id)
                    article_rows.append({
                        "article_id": article_id, "url": out.final_url or job.url, "canonical_url": canon,
                        "feed_id": job.feed_id, "title": doc.title or job.title,
                        "source": doc.source or job.source, "published_at": doc.published_at or job.published_at,
                        "fetched_at": out.fetched_at, "language": doc.language, "content_sha256": text_hash,
                        "simhash": sim, "duplicate_of": duplicate_of, "raw_ref": out.raw_ref,
                        "text_source": doc.text_source, "text": doc.text, "cleaned_at": now,
                    })
            if job.entry_id:
                entry_ids.append(job.entry_id)
            ids.append(article_id)
        archive.record_many(con, raw_rows)
        store.upsert(con, "articles", article_rows, key=["article_id"])
        if entry_ids:
            con.execute("UPDATE stg_entries SET is_processed = true WHERE entry_id IN (SELECT unnest(?))",
                        [entry_ids])
    return ids


# --- runners ---------------------------------------------------------------------------------------------------


def _map(fn, items: list) -> list:
    if len(items) <= 1:
        return [fn(i) for i in items]
    with ThreadPoolExecutor(max_workers=min(MAX_WORKERS, len(items)), thread_name_prefix="meetwire-fetch") as pool:
        return list(pool.map(fn, items))


def _safe(fn, fallback):
    """Run one work item; a bug in it becomes a quarantine-able failure, not a dead run."""

    def run(item):
        try:
            return fn(item)
        except Exception as exc:  # noqa: BLE001 - isolation is the point
            log.exception("ingest work item failed: %r", item)
            return fallback(item, exc)

    return run


# Pages are fetched, cleaned, staged and loaded in chunks: memory stays flat however long the run, and each load
# holds the database for a moment only.
PAGE_CHUNK = 200


def fetch_clean_chunks(fetcher: Fetcher, settings: Settings, jobs: list[PageJob], counts: dict):
    """Fetch (threads) and clean (processes) PAGE_CHUNK pages at a time; yields each chunk's outcomes."""
    now = store.utcnow()

    def crashed(job: PageJob, exc: Exception) -> PageOutcome:
        return PageOutcome(job=job, fetched_at=now, failures=[(job.url, "fetch", "crash", f"{type(exc).__name__}: {exc}")])

    for start in range(0, len(jobs), PAGE_CHUNK):
        t0 = time.monotonic()
        fetched = _map(_safe(lambda j: _fetch_page(fetcher, settings, j, now), crashed), jobs[start : start + PAGE_CHUNK])
        counts["pages_fetched"] += sum(1 for o in fetched for r in o.raw_docs if r["kind"] == "page")
        t1 = time.monotonic()
        outcomes = parallel_map(_clean_task, [(settings, o) for o in fetched], settings, prepare=_warm_cleaner)
        log.info("pages %d-%d of %d: fetched in %.1f s, cleaned in %.1f s", start + 1, start + len(fetched),
                 len(jobs), t1 - t0, time.monotonic() - t1)
        yield outcomes


def _process_pages(fetcher: Fetcher, settings: Settings, jobs: list[PageJob], counts: dict, run_id: str) -> list:
    ids: list = []
    for outcomes in fetch_clean_chunks(fetcher, settings, jobs, counts):
        t0 = time.monotonic()
        ids.extend(load_staged(settings, counts, run_id, [stage_outcomes(settings, outcomes)]))
        log.info("%d pages staged and loaded in %.1f s", len(outcomes), time.monotonic() - t0)
    return ids


# --- staging: fetched and cleaned work survives a database it cannot get ----------------------------------------


def stage_outcomes(settings: Settings, outcomes: list[PageOutcome], name: str | None = None,
                   feeds: list[FeedOutcome] = (), extra_counts: dict | None = None) -> Path:
    """Stage pages (and their feeds' outcomes) before loading: a run that gives up on the database lock, or dies,
    leaves the file for the next load. A fan-out batch's `name` makes its retry replace the file."""
    from meetwire import staging

    name = name or f"{datetime.utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
    return staging.write_outcomes(settings.staging_dir / f"{name}.pages.parquet", outcomes, feeds, extra_counts)


def staged_files(settings: Settings) -> list[Path]:
    from meetwire.staging import STAGED_PATTERNS

    if not settings.staging_dir.exists():
        return []
    found = {p for pattern in STAGED_PATTERNS for p in settings.staging_dir.glob(pattern)}
    return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name))


def _load_file(con, settings: Settings, path: Path, counts: dict, run_id: str, stepwise: bool) -> list:
    from meetwire.staging import read_outcomes

    feeds, pages, extra = read_outcomes(path)
    for out in feeds:
        _write_feed_outcome(con, out, counts, run_id, settings.feed_max_entries)
    ids = (_load_chunk if stepwise else _write_outcomes)(con, pages, counts, run_id) if pages else []
    for k, v in extra.items():
        counts[k] = counts.get(k, 0) + v
    return ids


def load_staged(settings: Settings, counts: dict, run_id: str, paths: list[Path] | None = None) -> list:
    """Load staged files (default: all), oldest first, in one transaction, then remove them. If the database
    refuses a row: file by file, each feed and each file's pages in their own transaction, a refused page
    quarantined (stage load). Loading twice is harmless: every write is an upsert."""
    import duckdb

    paths = staged_files(settings) if paths is None else paths
    if not paths:
        return []
    done = _new_counts()
    with store.connect(settings) as con:
        try:
            ids: list = []
            with store.transaction(con):
                for path in paths:
                    ids.extend(_load_file(con, settings, path, done, run_id, stepwise=False))
            for path in paths:
                path.unlink(missing_ok=True)
        except duckdb.Error:
            log.exception("loading %d staged files at once failed; one by one now", len(paths))
            ids, done = [], _new_counts()
            for path in paths:
                ids.extend(_load_file(con, settings, path, done, run_id, stepwise=True))
                path.unlink(missing_ok=True)
    for k, v in done.items():
        counts[k] = counts.get(k, 0) + v
    return ids


def _feed_rows(con, feed_ids: list[str] | None) -> list[FeedRow]:
    sql = "SELECT feed_id, url, name, etag, last_modified, retry_after_at FROM feeds WHERE is_enabled"
    params: list = []
    if feed_ids is not None:
        sql += " AND feed_id IN (SELECT unnest(?::VARCHAR[]))"
        params.append(list(feed_ids))
    return [FeedRow(*r) for r in con.execute(sql + " ORDER BY feed_id", params).fetchall()]


def _run_feeds(settings: Settings, fetcher: Fetcher, feeds: list[FeedRow], counts: dict, run_id: str,
               prefetched: dict[str, FetchResult] | None = None) -> None:
    now = store.utcnow()
    prefetched = prefetched or {}

    def fetch_one(feed: FeedRow) -> FeedOutcome:
        if feed.feed_id in prefetched:
            result = prefetched[feed.feed_id]
            out = FeedOutcome(feed=feed, fetched_at=now, result=result, raw_ref=archive.put(result.body, settings))
            try:
                out.parsed = parse_feed(result.body, url=result.final_url, content_type=result.content_type_header)
            except FeedError as exc:
                out.feed_error = exc
            return out
        return _fetch_feed(fetcher, settings, feed, now)

    def crashed(feed: FeedRow, exc: Exception) -> FeedOutcome:
        return FeedOutcome(feed=feed, fetched_at=now, error=FetchError("crash", f"{type(exc).__name__}: {exc}"))

    outcomes = _map(_safe(fetch_one, crashed), feeds)
    counts["feeds"] += len(feeds)
    with store.connect(settings) as con:
        for out in outcomes:
            _write_feed_outcome(con, out, counts, run_id, settings.feed_max_entries)
        jobs = _pending_jobs(con, {f.feed_id: f for f in feeds})
    if len(jobs) > settings.run_max_pages:  # the rest stay pending, oldest first, for the next runs
        counts["pages_deferred"] += len(jobs) - settings.run_max_pages
        log.warning("%d pages pending; %d fetched this run (MEETWIRE_RUN_MAX_PAGES), the rest next time",
                    len(jobs), settings.run_max_pages)
        jobs = jobs[: settings.run_max_pages]
    if jobs:
        _process_pages(fetcher, settings, jobs, counts, run_id)


def ingest_feeds(settings: Settings, feed_ids: list[str] | None = None, run_id: str | None = None) -> dict:
    """Fetch the given enabled feeds (all enabled feeds when None) and their new articles. Returns counts."""
    run_id = run_id or f"ingest-{uuid.uuid4().hex[:12]}"
    settings.ensure_dirs()
    counts = _new_counts()
    load_staged(settings, counts, run_id)  # what an earlier run fetched but could not load
    with store.connect(settings) as con:
        feeds = _feed_rows(con, feed_ids)
    with Fetcher(settings) as fetcher:
        _run_feeds(settings, fetcher, feeds, counts, run_id)
    log.info("ingest %s: %s", run_id, counts)
    return counts


def ingest_urls(settings: Settings, urls: list[str], run_id: str | None = None) -> dict:
    """Fetch URLs given directly (CLI). A feed URL is ingested as a feed (kept in `feeds`, not scheduled)."""
    run_id = run_id or f"ingest-{uuid.uuid4().hex[:12]}"
    settings.ensure_dirs()
    counts = _new_counts()
    now = store.utcnow()
    load_staged(settings, counts, run_id)
    with Fetcher(settings) as fetcher:

        def fetch_one(url: str):
            # a relative path on the command line: the working directory first, then the project root
            base = Path.cwd() if (Path.cwd() / url).exists() else PROJECT_ROOT
            location, root = resolve_location(url, base=base)
            try:
                return url, root, fetcher.fetch(location, accept=f"{PAGE_ACCEPT}, {FEED_ACCEPT}", file_root=root)
            except FetchError as exc:
                return url, root, exc

        results = _map(fetch_one, list(dict.fromkeys(urls)))
        feeds: list[FeedRow] = []
        prefetched: dict[str, FetchResult] = {}
        jobs: list[PageJob] = []
        failures = []
        for url, root, res in results:
            if isinstance(res, FetchError):
                failures.append((url, res))
            elif looks_like_feed(res.body, res.content_type_header):
                feed_id = stable_id(url)
                feeds.append(FeedRow(feed_id=feed_id, url=url))
                prefetched[feed_id] = res
            else:
                canon = canonical_url(res.final_url)
                jobs.append(PageJob(None, None, url, canon, file_root=root, prefetched=res))
        with store.connect(settings) as con:
            with store.transaction(con):
                for url, exc in failures:
                    counts["quarantined"] += 1
                    store.quarantine(con, url=url, stage="fetch", reason=exc.reason, detail=exc.detail, run_id=run_id)
                store.upsert(con, "feeds", [{"feed_id": feed.feed_id, "url": feed.url, "is_enabled": False,
                                             "disabled_reason": "adhoc", "created_at": now} for feed in feeds],
                             update=[])
        if feeds:
            _run_feeds(settings, fetcher, feeds, counts, run_id, prefetched=prefetched)
        if jobs:
            _process_pages(fetcher, settings, jobs, counts, run_id)
    log.info("ingest %s: %s", run_id, counts)
    return counts


# --- reprocessing ----------------------------------------------------------------------------------------------


def reprocess_articles(settings: Settings, since=None, until=None) -> dict:
    """Re-clean articles (published in [since, until)) from the raw archive, without the network."""
    clean = _clean_module()
    counts = {"articles": 0, "updated": 0, "unchanged": 0, "failed": 0, "archive_missing": 0}
    with store.connect(settings) as con:
        rows = con.execute(
            "SELECT a.article_id, a.url, a.raw_ref, a.text_source, a.title, a.published_at, a.source,"
            " a.content_sha256, a.text, r.content_type, s.title, s.published_at"
            " FROM articles a LEFT JOIN raw_documents r ON r.raw_ref = a.raw_ref"
            " LEFT JOIN stg_entries s ON s.entry_id = a.article_id"
            " WHERE (?::TIMESTAMPTZ IS NULL OR a.published_at >= ?::TIMESTAMPTZ)"
            " AND (?::TIMESTAMPTZ IS NULL OR a.published_at < ?::TIMESTAMPTZ)"
            " ORDER BY a.article_id",
            [since, since, until, until],
        ).fetchall()
        for (article_id, url, raw_ref, text_source, title, published, source, old_hash, old_text,
             content_type, entry_title, entry_published) in rows:
            counts["articles"] += 1
            try:
                if not raw_ref:
                    raise archive.ArchiveError("article has no raw_ref")
                body = archive.read(raw_ref, settings)
                media, _ = parse_content_type(content_type)
                doc = clean.clean_document(
                    decode_body(body, content_type), url=url, content_type=media,
                    fallback_title=entry_title or title, fallback_published=entry_published or published,
                    text_source=text_source,
                )
            except archive.ArchiveError as exc:
                counts["failed"] += 1
                counts["archive_missing"] += 1
                store.quarantine(con, url=url, stage="reprocess", reason="archive_missing", detail=str(exc))
                continue
            except clean.CleanError as exc:
                counts["failed"] += 1
                store.quarantine(con, url=url, stage="reprocess", reason=exc.reason, detail=exc.detail)
                continue
            text_hash = dedupe.content_hash(doc.text)
            if text_hash == old_hash and doc.text == old_text and (doc.title or title) == title:
                counts["unchanged"] += 1
                continue
            with store.transaction(con):
                con.execute(
                    "UPDATE articles SET title = ?, source = ?, published_at = ?, language = ?, content_sha256 = ?,"
                    " simhash = ?, text = ?, cleaned_at = ? WHERE article_id = ?",
                    [doc.title or title, doc.source or source, doc.published_at or published, doc.language,
                     text_hash, dedupe.simhash(doc.text), doc.text, store.utcnow(), article_id],
                )
            counts["updated"] += 1
    return counts
