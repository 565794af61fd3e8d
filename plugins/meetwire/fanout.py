"""Ingest and extraction fanned out over many workers (what the Airflow DAGs run): a short step under the database
plans the work into the staging folder, any number of workers do the slow part without the database, and a
short step under the database loads what they staged.

DuckDB allows one writing process, and no other process may even read the file while it is written, so the
workers never open it: everything they need is in a staged plan, everything they produce is a staged file
(`meetwire.staging`: Parquet, written atomically, named so a retry replaces it). The staging folder
(`MEETWIRE_STAGING_DIR`) and the raw archive (`MEETWIRE_ARCHIVE_DIR`) must be shared by every worker; the
database is opened only by the plan and load steps.

Ingest:   plan_ingest (database)  -> fetch_batch per feed batch (anywhere)     -> load_ingested (database)
Extract:  stage_articles (database) -> extract_chunk per chunk (anywhere)        -> load_extracted (database)

The CLI (`meetwire run`, `ingest`, `extract`) does the same work in one process (`ingest.ingest_feeds`,
`pipeline.extract`), through the same staging and load functions.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from meetwire import ingest, staging, store
from meetwire.ids import stable_id
from meetwire.settings import Settings

log = logging.getLogger(__name__)

PLANS = "plans"
EXTRACT = "extract"
# Processed entries a plan lists per feed, newest first, so a worker does not fetch their pages again. A feed
# shows at most MEETWIRE_FEED_MAX_ENTRIES entries; twice that covers entries that drop out and come back. An
# older entry reappearing is fetched again, and the load counts it as a duplicate, adding no row.
KNOWN_ENTRIES_PER_FEED_FACTOR = 2


# --- ingest ------------------------------------------------------------------------------------------------------


def plan_path(settings: Settings, run_id: str) -> Path:
    return settings.staging_dir / PLANS / f"{run_id}.plan.parquet"


def plan_ingest(settings: Settings, run_id: str, batch_size: int = 50) -> list[list[str]]:
    """Under the database: load what an earlier run staged but did not load, sync the feeds file, and write the
    plan the workers read (each enabled feed's validators, its pending entries, the ids of entries already
    processed). Returns the enabled feed ids in batches, one worker task each."""
    settings.ensure_dirs()
    counts = ingest._new_counts()
    ingest.load_staged(settings, counts, run_id)
    if counts["articles_new"] or counts["duplicates"]:
        log.info("loaded pages an earlier run staged: %s", counts)
    with store.connect(settings) as con:
        ingest.sync_feeds(con, settings)
        feeds = ingest._feed_rows(con, None)
        ids = [f.feed_id for f in feeds]
        entries = con.execute(
            """SELECT entry_id, feed_id, is_processed, url, canonical_url, title, summary, content, published_at,
                      source
               FROM (SELECT *, row_number() OVER (PARTITION BY feed_id ORDER BY seen_at DESC) AS newest
                     FROM stg_entries WHERE feed_id IN (SELECT unnest(?::VARCHAR[])))
               WHERE NOT is_processed OR newest <= ?
               ORDER BY seen_at, published_at NULLS LAST, entry_id""",
            [ids, KNOWN_ENTRIES_PER_FEED_FACTOR * settings.feed_max_entries],
        ).fetchall()
    rows = [{"kind": "feed", **vars(f)} for f in feeds]
    names = ("entry_id", "feed_id", "is_processed", "url", "canonical_url", "title", "summary", "content",
             "published_at", "source")
    for values in entries:
        row = dict(zip(names, values))
        if row["is_processed"]:  # only the id is needed to skip it
            row = {k: row[k] for k in ("entry_id", "feed_id", "is_processed")}
        rows.append({"kind": "entry", **row})
    staging.write_parquet(plan_path(settings, run_id), rows, staging.PLAN_COLUMNS)
    return [ids[i : i + batch_size] for i in range(0, len(ids), batch_size)]


def batch_name(run_id: str, feed_ids: list[str]) -> str:
    """The staged file of one batch of one run: the same name on every retry, so a retry replaces it."""
    return f"{run_id}-batch-{stable_id(','.join(sorted(feed_ids)))[:16]}"


def fetch_batch(settings: Settings, run_id: str, feed_ids: list[str]) -> dict:
    """Anywhere, without the database: fetch the batch's feeds and their new (and still pending) pages, clean
    them, and stage everything (feed outcomes, pages, counts) as one file for `load_ingested`."""
    path = plan_path(settings, run_id)
    if not path.exists():
        raise FileNotFoundError(f"no ingest plan {path}: plan_ingest did not run for {run_id}, or the staging "
                                f"folder (MEETWIRE_STAGING_DIR) is not shared with this worker")
    wanted = set(feed_ids)
    plan = [r for r in staging.read_parquet(path) if r["feed_id"] in wanted]
    feeds = [ingest.FeedRow(feed_id=r["feed_id"], url=r["url"], name=r["name"], etag=r["etag"],
                            last_modified=r["last_modified"], retry_after_at=r["retry_after_at"])
             for r in plan if r["kind"] == "feed"]
    by_id = {f.feed_id: f for f in feeds}
    known = {r["entry_id"] for r in plan if r["kind"] == "entry"}
    jobs = [_job(by_id[r["feed_id"]], r["entry_id"], r) for r in plan
            if r["kind"] == "entry" and not r["is_processed"] and r["feed_id"] in by_id]
    counts = ingest._new_counts()
    counts["feeds"] = len(feeds)
    now = store.utcnow()

    def crashed(feed, exc: Exception):
        return ingest.FeedOutcome(feed=feed, fetched_at=now,
                                  error=ingest.FetchError("crash", f"{type(exc).__name__}: {exc}"))

    pages: list = []
    with ingest.Fetcher(settings) as fetcher:
        outcomes = ingest._map(ingest._safe(lambda f: ingest._fetch_feed(fetcher, settings, f, now), crashed), feeds)
        for out in outcomes:
            if out.parsed is None or out.error is not None or out.feed_error is not None:
                continue
            fresh = ingest.entries_by_id(ingest.capped_entries(out.parsed, settings.feed_max_entries))
            new = sorted(((i, e) for i, e in fresh.items() if i not in known),
                         key=lambda item: (item[1].published_at is None, item[1].published_at or 0, item[0]))
            jobs += [_job(out.feed, entry_id, vars(e)) for entry_id, e in new]
        if len(jobs) > settings.run_max_pages:  # the rest stay pending for the next runs
            counts["pages_deferred"] = len(jobs) - settings.run_max_pages
            jobs = jobs[: settings.run_max_pages]
        for chunk in ingest.fetch_clean_chunks(fetcher, settings, jobs, counts):
            pages.extend(chunk)
    side = {k: counts[k] for k in ("feeds", "pages_fetched", "pages_deferred")}
    staged = ingest.stage_outcomes(settings, pages, name=batch_name(run_id, feed_ids), feeds=outcomes,
                                   extra_counts=side)
    log.info("batch of %d feeds: %d pages staged in %s", len(feeds), len(pages), staged.name)
    return {**side, "pages_staged": len(pages), "staged_file": staged.name}


def _job(feed, entry_id: str, entry: dict):
    _, root = ingest.resolve_location(feed.url)
    return ingest.PageJob(entry_id, feed.feed_id, entry["url"], entry["canonical_url"], entry.get("title"),
                          entry.get("summary"), entry.get("content"), entry.get("published_at"),
                          entry.get("source"), root)


def load_ingested(settings: Settings, run_id: str) -> dict:
    """Under the database: load every staged file in one transaction, remove them and the run's plan."""
    counts = ingest._new_counts()
    ingest.load_staged(settings, counts, run_id)
    for plan in (settings.staging_dir / PLANS).glob("*.plan.parquet"):  # a failed run's plan is stale too
        plan.unlink(missing_ok=True)
    staging.remove_leftover_tmp(settings.staging_dir)
    store.publish_snapshot(settings)
    return counts


# --- extract -----------------------------------------------------------------------------------------------------


def _extract_dir(settings: Settings) -> Path:
    return settings.staging_dir / EXTRACT


def stage_articles(settings: Settings, run_id: str, chunk_size: int | None = None) -> list[str]:
    """Under the database: write the articles waiting for extraction in chunks; returns the chunk names.
    Files of an earlier run are dropped first: they derive from the database, where those articles still wait."""
    from meetwire.extract import EXTRACTOR_VERSION
    from meetwire.pipeline import pending_articles

    folder = _extract_dir(settings)
    if folder.exists():
        for old in folder.glob("*.parquet"):
            old.unlink()
    with store.connect(settings) as con:
        todo = pending_articles(con, EXTRACTOR_VERSION)
    chunk_size = chunk_size or settings.extract_chunk
    names = []
    for start in range(0, len(todo), chunk_size):
        name = f"{run_id}-chunk-{start // chunk_size:05d}"
        rows = [{"article_id": a, "text": t, "published_at": p} for a, t, p in todo[start : start + chunk_size]]
        staging.write_parquet(folder / f"{name}.articles.parquet", rows, staging.ARTICLE_COLUMNS)
        names.append(name)
    log.info("%d articles to extract, staged in %d chunks", len(todo), len(names))
    return names


def extract_chunk(settings: Settings, name: str) -> dict:
    """Anywhere, without the database: extract the events of one staged chunk into a staged events file."""
    from meetwire.pipeline import extract_articles

    source = _extract_dir(settings) / f"{name}.articles.parquet"
    if not source.exists():
        raise FileNotFoundError(f"no staged articles {source} (is MEETWIRE_STAGING_DIR shared with this worker?)")
    todo = [(r["article_id"], r["text"], r["published_at"]) for r in staging.read_parquet(source)]
    outcomes = extract_articles(settings, todo)
    rows = [{"article_id": a, "events": None if ev is None else json.dumps(ev, default=str), "error": err}
            for a, ev, err in outcomes]
    staging.write_parquet(_extract_dir(settings) / f"{name}.events.parquet", rows, staging.EVENT_COLUMNS)
    return {"articles": len(rows), "mentions": sum(len(ev or []) for _, ev, _ in outcomes),
            "failed": sum(1 for *_, err in outcomes if err is not None)}


def load_extracted(settings: Settings, run_id: str) -> dict:
    """Under the database: load the run's staged events through `pipeline.load_extractions` (one transaction, the
    re-merge), then drop the run's extraction files. Articles of a chunk that was not extracted stay pending."""
    from meetwire.pipeline import load_extractions

    folder = _extract_dir(settings)
    paths = sorted(folder.glob(f"{run_id}-chunk-*.events.parquet")) if folder.exists() else []
    outcomes = [(r["article_id"], None if r["events"] is None else json.loads(r["events"]), r["error"])
                for path in paths for r in staging.read_parquet(path)]
    counts = load_extractions(settings, outcomes, run_id)
    if folder.exists():
        for path in folder.glob(f"{run_id}-chunk-*"):
            path.unlink()
    return counts
