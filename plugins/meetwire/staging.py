"""Staged files: work done away from the database waits in the staging folder, as Parquet, until a short load
takes it in.

DuckDB allows one writing process, so fetching, cleaning and extraction run wherever there is a core (a process
pool, several Airflow workers) and hand their results over as files in `MEETWIRE_STAGING_DIR` (shared by every
worker); one task holding the database loads them. Every file here is

- written atomically: to a hidden temporary name in the same folder, then renamed, so a reader sees a whole file
  or none, and a writer killed half-way leaves only a `.tmp` file nobody reads;
- named after what it holds (run id, batch, chunk), so a retried task replaces its earlier file instead of adding
  a second one; and loads are upserts keyed by stable ids, so a file loaded twice adds no row.

Parquet, not pickle: any worker, any version of this code, and an analyst with DuckDB can read a staged file.
Nested parts (a page's failures, a feed's parsed entries) travel as JSON text in one column.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

# Column name -> DuckDB type of each kind of staged file. Values are cast on write, so a column that is empty in
# one file still has its type.
PAGE_COLUMNS = {
    "kind": "VARCHAR",  # page | feed | counts (one file of a fan-out batch holds all three)
    "seq": "INTEGER",
    "entry_id": "VARCHAR", "feed_id": "VARCHAR", "url": "VARCHAR", "canonical_url": "VARCHAR",
    "title": "VARCHAR", "source": "VARCHAR", "published_at": "TIMESTAMPTZ", "fetched_at": "TIMESTAMPTZ",
    "final_url": "VARCHAR", "raw_ref": "VARCHAR",
    "doc_title": "VARCHAR", "doc_text": "VARCHAR", "doc_published_at": "TIMESTAMPTZ", "doc_language": "VARCHAR",
    "doc_canonical_url": "VARCHAR", "doc_source": "VARCHAR", "doc_text_source": "VARCHAR", "doc_dateline": "VARCHAR",
    "failures": "VARCHAR", "raw_docs": "VARCHAR",  # JSON
    "record": "VARCHAR",  # JSON: a feed outcome, or the fetch-side counts
}

PLAN_COLUMNS = {
    "kind": "VARCHAR",  # feed | entry
    "feed_id": "VARCHAR", "url": "VARCHAR", "name": "VARCHAR", "etag": "VARCHAR", "last_modified": "VARCHAR",
    "retry_after_at": "TIMESTAMPTZ",
    "entry_id": "VARCHAR", "is_processed": "BOOLEAN", "canonical_url": "VARCHAR", "title": "VARCHAR",
    "summary": "VARCHAR", "content": "VARCHAR", "published_at": "TIMESTAMPTZ", "source": "VARCHAR",
}

ARTICLE_COLUMNS = {"article_id": "VARCHAR", "text": "VARCHAR", "published_at": "TIMESTAMPTZ"}
EVENT_COLUMNS = {"article_id": "VARCHAR", "events": "VARCHAR", "error": "VARCHAR"}  # events: JSON list


def write_parquet(path: Path, rows: list[dict], columns: dict[str, str]) -> Path:
    """Write rows (missing keys are NULL) as one Parquet file, atomically (temporary name, then rename)."""
    import duckdb
    import pandas as pd

    path.parent.mkdir(parents=True, exist_ok=True)
    names = list(columns)
    frame = pd.DataFrame([[_plain(row.get(c)) for c in names] for row in rows], columns=names, dtype=object)
    # every column as text first: pandas would guess types per file (all-NULL columns, ints with NULLs)
    frame = frame.astype({c: "string" for c in names})
    select = ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in columns.items())
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex[:8]}.tmp"
    con = duckdb.connect()
    try:
        con.register("staged_rows", frame)
        con.execute(f"COPY (SELECT {select} FROM staged_rows) TO '{_sql_path(tmp)}' (FORMAT parquet)")
    finally:
        con.close()
    os.replace(tmp, path)
    return path


def read_parquet(path: Path) -> list[dict]:
    import duckdb

    con = duckdb.connect()
    try:
        cur = con.execute(f"SELECT * FROM read_parquet('{_sql_path(path)}')")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]
    finally:
        con.close()


def _sql_path(path: Path) -> str:
    return path.as_posix().replace("'", "''")


def _plain(value: Any) -> Any:
    """A cell as text for the cast: timestamps in ISO form (with their offset), booleans as true/false."""
    if value is None:
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def remove_leftover_tmp(folder: Path) -> None:
    """Temporary files of writers that died before their rename: never read, so never worth keeping."""
    if folder.exists():
        for tmp in folder.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)


# --- JSON for the nested parts ----------------------------------------------------------------------------------


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (set, tuple)):
        return list(value)
    raise TypeError(f"cannot stage {type(value).__name__}")


def _json_hook(obj: dict) -> Any:
    if set(obj) == {"$datetime"}:
        return datetime.fromisoformat(obj["$datetime"])
    return obj


def dumps(value: Any) -> str:
    return json.dumps(value, default=_json_default)


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text, object_hook=_json_hook)


# --- page and feed outcomes (meetwire.ingest) ------------------------------------------------------------------


def page_row(out, seq: int) -> dict:
    """One cleaned (or failed) page as a row: what the load needs, nothing it does not (the fetched bytes are in
    the raw archive already)."""
    job, doc = out.job, out.doc
    row = {
        "kind": "page", "seq": seq, "entry_id": job.entry_id, "feed_id": job.feed_id, "url": job.url,
        "canonical_url": job.canonical_url, "title": job.title, "source": job.source,
        "published_at": job.published_at, "fetched_at": out.fetched_at, "final_url": out.final_url,
        "raw_ref": out.raw_ref, "failures": dumps([list(f) for f in out.failures]), "raw_docs": dumps(out.raw_docs),
    }
    if doc is not None:
        fields = ("title", "text", "published_at", "language", "canonical_url", "source", "text_source", "dateline")
        row.update({f"doc_{f}": getattr(doc, f, None) for f in fields})
    return row


def page_from_row(row: dict):
    from meetwire.clean import CleanedDocument
    from meetwire.ingest import PageJob, PageOutcome

    job = PageJob(entry_id=row["entry_id"], feed_id=row["feed_id"], url=row["url"],
                  canonical_url=row["canonical_url"], title=row["title"], published_at=row["published_at"],
                  source=row["source"])
    doc = None
    if row["doc_text"] is not None:
        doc = CleanedDocument(title=row["doc_title"], text=row["doc_text"], published_at=row["doc_published_at"],
                              language=row["doc_language"], canonical_url=row["doc_canonical_url"],
                              source=row["doc_source"], text_source=row["doc_text_source"],
                              dateline=row["doc_dateline"])
    return PageOutcome(job=job, fetched_at=row["fetched_at"], doc=doc, raw_ref=row["raw_ref"],
                       raw_docs=loads(row["raw_docs"]) or [], final_url=row["final_url"],
                       failures=[tuple(f) for f in loads(row["failures"]) or []])


def feed_row(out, seq: int) -> dict:
    """A fetched feed (its new validators, status, archived body, parsed entries or error) as a row."""
    result, error, parsed = out.result, out.error, out.parsed
    record = {
        "feed": vars(out.feed), "fetched_at": out.fetched_at, "skipped": out.skipped, "raw_ref": out.raw_ref,
        "result": None if result is None else {
            "url": result.url, "final_url": result.final_url, "status": result.status, "headers": result.headers,
            "content_type": result.content_type, "encoding": result.encoding, "n_bytes": len(result.body),
            "permanent_url": result.permanent_url,
        },
        "error": None if error is None else {
            "reason": error.reason, "detail": error.detail, "status": error.status, "retry_after": error.retry_after,
        },
        "parsed": None if parsed is None else {
            "kind": parsed.kind, "title": parsed.title, "entries": [vars(e) for e in parsed.entries],
            "skipped": [list(s) for s in parsed.skipped],
        },
        "feed_error": None if out.feed_error is None else {
            "reason": out.feed_error.reason, "detail": out.feed_error.detail},
    }
    return {"kind": "feed", "seq": seq, "feed_id": out.feed.feed_id, "record": dumps(record)}


def feed_from_row(row: dict):
    from meetwire.feeds import FeedEntry, FeedError, ParsedFeed
    from meetwire.http import FetchError, FetchResult
    from meetwire.ingest import FeedOutcome, FeedRow

    rec = loads(row["record"])
    out = FeedOutcome(feed=FeedRow(**rec["feed"]), fetched_at=rec["fetched_at"], skipped=rec["skipped"],
                      raw_ref=rec["raw_ref"])
    if rec["result"] is not None:
        r = rec["result"]
        out.result = FetchResult(url=r["url"], final_url=r["final_url"], status=r["status"], headers=r["headers"],
                                 body=b"", content_type=r["content_type"], encoding=r["encoding"], elapsed=0.0,
                                 permanent_url=r["permanent_url"])
        out.n_bytes = r["n_bytes"]
    if rec["error"] is not None:
        e = rec["error"]
        out.error = FetchError(e["reason"], e["detail"], status=e["status"], retry_after=e["retry_after"])
    if rec["parsed"] is not None:
        p = rec["parsed"]
        out.parsed = ParsedFeed(kind=p["kind"], title=p["title"], entries=[FeedEntry(**e) for e in p["entries"]],
                                skipped=[tuple(s) for s in p["skipped"]])
    if rec["feed_error"] is not None:
        out.feed_error = FeedError(rec["feed_error"]["reason"], rec["feed_error"]["detail"])
    return out


# Parquet; pickles are what earlier versions staged (still loaded, so an upgrade loses nothing).
STAGED_PATTERNS = ("*.pages.parquet", "*.pages.pickle")


def write_outcomes(path: Path, pages: list, feeds: list = (), extra_counts: dict | None = None) -> Path:
    """Feed outcomes first, then pages, then the fetch-side counts: the order a load applies them in."""
    rows = [feed_row(o, i) for i, o in enumerate(feeds)]
    rows += [page_row(o, len(rows) + i) for i, o in enumerate(pages)]
    if extra_counts:
        rows.append({"kind": "counts", "seq": len(rows), "record": dumps(extra_counts)})
    return write_parquet(path, rows, PAGE_COLUMNS)


def read_outcomes(path: Path) -> tuple[list, list, dict]:
    """(feed outcomes, page outcomes, fetch-side counts) of a staged file."""
    if path.suffix == ".pickle":
        import pickle

        return [], pickle.loads(path.read_bytes()), {}
    rows = sorted(read_parquet(path), key=lambda r: r["seq"])
    extra: dict = {}
    for row in rows:
        if row["kind"] == "counts":
            for k, v in loads(row["record"]).items():
                extra[k] = extra.get(k, 0) + v
    return ([feed_from_row(r) for r in rows if r["kind"] == "feed"],
            [page_from_row(r) for r in rows if r["kind"] == "page"], extra)
