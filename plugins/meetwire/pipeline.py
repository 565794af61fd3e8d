"""The stages as plain functions: what `meetwire run` calls in order and what the DAG tasks call one by one.

Each takes a Settings and returns a small JSON-able dict (counts, ids), so Airflow passes only small things
through XCom. Every writing stage is a short DuckDB transaction: a failed load leaves no partial rows.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import socket
import uuid
from collections.abc import Iterable
from datetime import date, datetime

from meetwire import logs, store
from meetwire.settings import Settings
from meetwire.workers import parallel_map

log = logging.getLogger(__name__)

# Reports of one meeting arrive over days; events are re-merged over the mentions of articles published this
# close to the new ones, so a late report joins the event it belongs to instead of starting a new one.
MERGE_WINDOW_DAYS = 30


# --- runs --------------------------------------------------------------------------------------------------------

# Stages that fetch: two of them at once on one database would fetch and clean everything twice.
FETCHING_STAGES = ("run", "pipeline", "ingest")


class RunInProgress(RuntimeError):
    """Another fetching run of this machine is alive on the same database."""


def _with_run_id(fn):
    """Log records of the stage carry its ledger run id (meetwire.logs), also inside an Airflow task."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with logs.run_context(kwargs.get("run_id")):
            return fn(*args, **kwargs)
    return wrapper


def start_run(settings: Settings, stage: str, *, orchestrator: str | None = None) -> str:
    """Open a row in the run ledger. A fetching stage refuses to start while another fetching run of a live
    process of this machine is open on the same database (RunInProgress): it would fetch everything twice.

    `orchestrator="airflow"`: the row is owned by a DAG run (its start_run task exits at once), so it records no pid
    and is closed by the DAG's finish/failure tasks, not by the pid check of `mark_abandoned_runs`."""
    run_id = f"{stage}-{datetime.utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    detail = {"host": socket.gethostname()}
    detail.update({"orchestrator": orchestrator} if orchestrator else {"pid": os.getpid()})
    # On the DuckDB file one writer at a time makes the check and the insert atomic. A DuckLake catalog takes writers
    # at once: two runs starting in the same instant may both pass; the check still stops the usual case.
    with store.connect(settings) as con:
        mark_abandoned_runs(con)
        if stage in FETCHING_STAGES:
            busy = _live_fetching_run(con)
            if busy:
                raise RunInProgress(
                    f"another meetwire run is fetching into {store.location(settings)}: {busy[0]} (pid {busy[1]}, started "
                    f"{busy[2]:%Y-%m-%d %H:%M:%S} UTC); wait for it to finish, or stop it, and run again")
        con.execute(
            "INSERT INTO runs (run_id, stage, started_at, status, detail) VALUES (?, ?, ?, 'running', ?)",
            [run_id, stage, store.utcnow(), json.dumps(detail)],
        )
    logs.bind_run(run_id)  # the rest of this process's work (a CLI run) logs with it
    return run_id


def _live_fetching_run(con) -> tuple[str, int, datetime] | None:
    host = socket.gethostname()
    rows = con.execute(
        "SELECT run_id, detail, started_at FROM runs WHERE status = 'running' AND stage IN (SELECT unnest(?))"
        " ORDER BY started_at", [list(FETCHING_STAGES)],
    ).fetchall()
    for run_id, detail, started_at in rows:
        info = _detail(detail)
        pid = info.get("pid")
        if info.get("host") == host and isinstance(pid, int) and pid != os.getpid() and _pid_alive(pid):
            return run_id, pid, started_at
    return None


def _detail(raw) -> dict:
    try:
        info = json.loads(raw) if raw else {}
    except (TypeError, ValueError):
        return {}
    return info if isinstance(info, dict) else {}


def mark_abandoned_runs(con) -> list[str]:
    """Runs left 'running' by a process of this machine that no longer exists (killed, crashed) become
    'abandoned', so health views and alerts do not wait on them forever. Runs of other machines are left alone."""
    host = socket.gethostname()
    gone = []
    for run_id, detail in con.execute("SELECT run_id, detail FROM runs WHERE status = 'running'").fetchall():
        info = _detail(detail)
        pid = info.get("pid")
        if info.get("host") == host and isinstance(pid, int) and not _pid_alive(pid):
            gone.append(run_id)
    for run_id in gone:
        con.execute("UPDATE runs SET status = 'abandoned', finished_at = ? WHERE run_id = ?", [store.utcnow(), run_id])
        log.warning("run %s was left running by a process that is gone: marked abandoned", run_id)
    return gone


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def finish_run(settings: Settings, run_id: str, status: str = "success", counts: dict | None = None) -> None:
    counts = counts or {}
    with store.connect(settings) as con:
        con.execute(
            """UPDATE runs SET finished_at = ?, status = ?,
                   n_feeds = coalesce(?, n_feeds), n_fetched = coalesce(?, n_fetched),
                   n_articles = coalesce(?, n_articles), n_events = coalesce(?, n_events),
                   n_quarantined = coalesce(?, n_quarantined), detail = ?
               WHERE run_id = ?""",
            [
                store.utcnow(), status, counts.get("feeds"), counts.get("fetched"), counts.get("articles_new"),
                counts.get("events"), counts.get("quarantined"), json.dumps(counts, default=str), run_id,
            ],
        )


# --- ingest ------------------------------------------------------------------------------------------------------

def feed_batches(settings: Settings, batch_size: int = 50) -> list[list[str]]:
    """Sync the feeds file into DuckDB and return the enabled feed ids in batches (one mapped task each)."""
    from meetwire import ingest

    with store.connect(settings) as con:
        ingest.sync_feeds(con, settings)
        ids = ingest.enabled_feed_ids(con)
    return [ids[i : i + batch_size] for i in range(0, len(ids), batch_size)]


@_with_run_id
def ingest(settings: Settings, feed_ids: list[str] | None = None, run_id: str | None = None) -> dict:
    from meetwire import ingest as ingest_mod

    if feed_ids is None:
        with store.connect(settings) as con:
            ingest_mod.sync_feeds(con, settings)
    counts = ingest_mod.ingest_feeds(settings, feed_ids=feed_ids, run_id=run_id)
    store.publish_snapshot(settings)
    return counts


@_with_run_id
def ingest_urls(settings: Settings, urls: list[str], run_id: str | None = None) -> dict:
    from meetwire import ingest as ingest_mod

    return ingest_mod.ingest_urls(settings, urls, run_id=run_id)


# --- extract and load --------------------------------------------------------------------------------------------

def _as_date(value: str | None) -> tuple[date | None, str]:
    """'2024-05-30' / '2023-11' / '2024' -> (first day, precision)."""
    if not value:
        return None, "unknown"
    parts = value.split("-")
    try:
        if len(parts) >= 3:
            return date(int(parts[0]), int(parts[1]), int(parts[2][:2])), "day"
        if len(parts) == 2:
            return date(int(parts[0]), int(parts[1]), 1), "month"
        return date(int(parts[0]), 1, 1), "year"
    except ValueError:
        return None, "unknown"


# An article whose extraction fails this many times is left alone until the extractor version changes (its
# quarantine row counts the attempts); a transient failure still gets retried.
MAX_EXTRACT_ATTEMPTS = 3


def pending_articles(con, extractor_version: str, article_ids: Iterable[str] | None = None) -> list[tuple]:
    """Articles not yet extracted with this extractor version (copies of another article are skipped: their
    original carries the same evidence)."""
    sql = """
        SELECT a.article_id, a.text, a.published_at
        FROM articles a LEFT JOIN article_extractions x USING (article_id)
        WHERE a.duplicate_of IS NULL
          AND (x.article_id IS NULL OR x.extractor_version <> ?
               OR coalesce(x.n_failures, 0) BETWEEN 1 AND ? - 1)
    """
    params: list = [extractor_version, MAX_EXTRACT_ATTEMPTS]
    if article_ids is not None:
        ids = list(article_ids)
        if not ids:
            return []
        sql += " AND a.article_id IN (SELECT unnest(?))"
        params.append(ids)
    return con.execute(sql + " ORDER BY a.published_at NULLS LAST, a.article_id", params).fetchall()


@_with_run_id
def extract(
    settings: Settings,
    run_id: str | None = None,
    article_ids: Iterable[str] | None = None,
    force: bool = False,
) -> dict:
    """Extract meeting mentions from pending articles, re-merge the affected window, upsert events."""
    from meetwire.extract import EXTRACTOR_VERSION

    version = EXTRACTOR_VERSION if not force else f"{EXTRACTOR_VERSION}+force-{uuid.uuid4().hex[:6]}"
    with store.connect(settings) as con:
        todo = pending_articles(con, version, article_ids)
    if not todo:
        return {"articles_extracted": 0, "mentions": 0, "events": 0, "quarantined": 0}

    # Parse outside the DuckDB connection (extraction is the slow part and must not hold the writer lock), across
    # the worker processes when the batch is big enough.
    return load_extractions(settings, extract_articles(settings, todo), run_id)


def extract_articles(settings: Settings, todo: list[tuple]) -> list[tuple[str, list[dict] | None, str | None]]:
    """(article_id, events, error) per (article_id, text, published_at); no database access."""
    from meetwire.extract.nlp import get_nlp

    return parallel_map(_extract_task, todo, settings, chunksize=8, prepare=get_nlp)


def load_extractions(settings: Settings, outcomes: Iterable[tuple], run_id: str | None = None) -> dict:
    """Store extracted mentions (or count the failures) in one transaction, re-merge the affected window, upsert
    events. The one place extraction results reach the database, whether extracted here or on other workers."""
    from meetwire.extract import EXTRACTOR_VERSION

    results: list[tuple[str, list[dict]]] = []
    failures: list[tuple[str, str]] = []
    for article_id, events, error in outcomes:
        if error is None:
            results.append((article_id, events))
        else:
            failures.append((article_id, error))
    if not results and not failures:
        return {"articles_extracted": 0, "mentions": 0, "events": 0, "quarantined": 0}
    now = store.utcnow()
    with store.connect(settings) as con, store.transaction(con):
        for article_id, events in results:
            con.execute("DELETE FROM stg_mentions WHERE article_id = ?", [article_id])
            store.upsert(
                con,
                "stg_mentions",
                [
                    {"article_id": article_id, "mention_idx": i, "extractor_version": EXTRACTOR_VERSION,
                     "event_json": json.dumps(ev, default=str), "extracted_at": now}
                    for i, ev in enumerate(events)
                ],
                key=["article_id", "mention_idx"],
            )
            store.upsert(
                con,
                "article_extractions",
                [{"article_id": article_id, "extractor_version": EXTRACTOR_VERSION, "n_mentions": len(events),
                  "extracted_at": now, "n_failures": 0, "last_error": None}],
                key=["article_id"],
            )
        for article_id, reason in failures:
            url = con.execute("SELECT url FROM articles WHERE article_id = ?", [article_id]).fetchone()
            store.quarantine(con, url=url[0] if url else article_id, stage="extract", reason="extract_error",
                             detail=reason, run_id=run_id)
            _record_failed_extraction(con, article_id, EXTRACTOR_VERSION, reason, now)
        n_events = _remerge(con, [a for a, _ in results], now)
    store.publish_snapshot(settings)
    return {
        "articles_extracted": len(results),
        "mentions": sum(len(evs) for _, evs in results),
        "events": n_events,
        "quarantined": len(failures),
    }


def _extract_task(item: tuple) -> tuple[str, list[dict] | None, str | None]:
    """One article for a worker: (article_id, events, None) or (article_id, None, error); never raises."""
    from meetwire.extract import extract_events

    article_id, text, published_at = item
    try:
        return article_id, extract_events(text, published_at=published_at), None
    except Exception as exc:  # one bad article never stops the others
        log.exception("extraction failed for %s", article_id)
        return article_id, None, f"{type(exc).__name__}: {exc}"


def _record_failed_extraction(con, article_id: str, version: str, reason: str, now: datetime) -> None:
    """Count the failed attempt for this extractor version (a new version starts again at one). Mentions an earlier
    version found are kept: a crash of the new extractor must not delete events."""
    row = con.execute("SELECT extractor_version, coalesce(n_failures, 0) FROM article_extractions"
                      " WHERE article_id = ?", [article_id]).fetchone()
    attempts = row[1] + 1 if row and row[0] == version else 1
    store.upsert(con, "article_extractions", [{
        "article_id": article_id, "extractor_version": version, "n_mentions": 0, "extracted_at": now,
        "n_failures": attempts, "last_error": reason[:2000],
    }], key=["article_id"])
    if attempts >= MAX_EXTRACT_ATTEMPTS:
        log.warning("extraction of %s failed %d times: left alone until the extractor changes", article_id, attempts)


def _window_articles(con, article_ids: list[str]) -> list[str]:
    """The new articles plus every extracted article published within the merge window of one of them."""
    rows = con.execute(
        f"""
        WITH new AS (SELECT article_id, published_at FROM articles WHERE article_id IN (SELECT unnest(?)))
        SELECT DISTINCT a.article_id
        FROM articles a JOIN article_extractions x USING (article_id)
        WHERE a.article_id IN (SELECT article_id FROM new)
           OR a.published_at IS NULL
           OR EXISTS (SELECT 1 FROM new n
                      WHERE n.published_at IS NULL
                         OR abs(epoch(a.published_at) - epoch(n.published_at)) <= {MERGE_WINDOW_DAYS} * 86400)
        """,
        [article_ids],
    ).fetchall()
    return sorted(r[0] for r in rows)


def _remerge(con, article_ids: list[str], now: datetime) -> int:
    """Rebuild the events of the window's articles from their mentions; called inside a transaction."""
    from meetwire.extract import EXTRACTOR_VERSION, merge_events

    window = _window_articles(con, article_ids)
    if not window:
        return 0
    rows = con.execute(
        "SELECT article_id, mention_idx, event_json FROM stg_mentions WHERE article_id IN (SELECT unnest(?))"
        " ORDER BY article_id, mention_idx",
        [window],
    ).fetchall()
    per_article: dict[str, list[dict]] = {a: [] for a in window}
    for article_id, _, event_json in rows:
        per_article[article_id].append(json.loads(event_json))
    merged = merge_events(sorted(per_article.items()))

    # Links of the window's articles are rebuilt from scratch; events left with no article are removed below.
    linked = [r[0] for r in con.execute(  # events that lose links here change too, even if not merged again
        "SELECT DISTINCT event_id FROM event_articles WHERE article_id IN (SELECT unnest(?))", [window]).fetchall()]
    con.execute("DELETE FROM event_articles WHERE article_id IN (SELECT unnest(?))", [window])
    for ev in merged:
        load_event(con, ev, now, EXTRACTOR_VERSION)
    _drop_orphans(con)
    refresh_event_rollups(con, sorted(set(linked) | set(_touched_events(con, merged))))
    return len(merged)


# The per-event figures v_events shows, recomputed from the link tables (migrations 009 and 010 keep them on the
# event row). `{scope}` limits the work to some events (each subquery is filtered, so nothing else is aggregated);
# only rows whose figures changed are written (list columns are costly to update in DuckDB).
ROLLUPS_SQL = """
UPDATE events AS e SET participants = r.participants, topics = r.topics, n_articles = r.n_articles,
                       n_sources = r.n_sources, first_reported_at = r.first_reported_at, parties = r.parties
FROM (
    SELECT ev.event_id,
           coalesce(p.participants, []::VARCHAR[]) AS participants, coalesce(t.topics, []::VARCHAR[]) AS topics,
           coalesce(x.n_articles, 0) AS n_articles, coalesce(x.n_sources, 0) AS n_sources, x.first_reported_at,
           coalesce(p.parties, []) AS parties
    FROM events ev
    LEFT JOIN (SELECT p.event_id, list(a.name ORDER BY a.name) AS participants,
                      list({{'actor_id': a.actor_id, 'name': a.name, 'country': a.country, 'role': p.role}}
                           ORDER BY a.name, a.actor_id) AS parties
               FROM event_participants p JOIN actors a USING (actor_id) WHERE {scope} GROUP BY 1) p USING (event_id)
    LEFT JOIN (SELECT event_id, list(topic ORDER BY topic) AS topics FROM event_topics WHERE {scope} GROUP BY 1) t
           USING (event_id)
    LEFT JOIN (SELECT ea.event_id, count(DISTINCT ea.article_id) AS n_articles,
                      count(DISTINCT coalesce(a.source, a.canonical_url)) AS n_sources,
                      min(a.published_at) AS first_reported_at
               FROM event_articles ea LEFT JOIN articles a USING (article_id) WHERE {scope} GROUP BY 1) x
           USING (event_id)
    WHERE {scope}
) AS r
WHERE e.event_id = r.event_id
  AND (e.participants IS DISTINCT FROM r.participants OR e.topics IS DISTINCT FROM r.topics
       OR e.n_articles IS DISTINCT FROM r.n_articles OR e.n_sources IS DISTINCT FROM r.n_sources
       OR e.first_reported_at IS DISTINCT FROM r.first_reported_at OR e.parties IS DISTINCT FROM r.parties)
"""


# The tables of migration 011, rebuilt for the events in `{scope}` (a condition on `e.event_id`), in this order
# (the country pairs are read from the new pair rows).
PAIRS_SQL = """
SELECT e.event_id,
       CASE WHEN a1.name <= a2.name THEN a1.actor_id ELSE a2.actor_id END AS actor_1_id,
       CASE WHEN a1.name <= a2.name THEN a2.actor_id ELSE a1.actor_id END AS actor_2_id,
       least(a1.name, a2.name) AS actor_1, greatest(a1.name, a2.name) AS actor_2,
       CASE WHEN a1.name <= a2.name THEN a1.country ELSE a2.country END AS country_1,
       CASE WHEN a1.name <= a2.name THEN a2.country ELSE a1.country END AS country_2,
       coalesce(a1.country <> a2.country, false) AS is_cross_border,
       e.event_date, CAST(date_trunc('month', e.event_date) AS DATE) AS event_month, e.date_precision, e.mode,
       e.status, e.location
FROM events e
JOIN event_participants p1 ON p1.event_id = e.event_id
JOIN event_participants p2 ON p2.event_id = e.event_id AND p1.actor_id < p2.actor_id
JOIN actors a1 ON a1.actor_id = p1.actor_id
JOIN actors a2 ON a2.actor_id = p2.actor_id
WHERE coalesce(e.scope, '') <> 'internal' AND {scope}
"""
DERIVED_TABLES = {
    "event_pairs": PAIRS_SQL,
    "event_country_pairs": """
        SELECT DISTINCT event_id, least(country_1, country_2) AS country_1, greatest(country_1, country_2) AS country_2,
               event_date, event_month, mode, status, location
        FROM _new_event_pairs WHERE is_cross_border""",
    "actor_meetings": """
        SELECT e.event_id, e.event_date, e.date_precision, e.mode, e.status, e.scope, e.location,
               a.actor_id, a.name AS actor, coalesce(p.title, a.title) AS title, a.country, p.role,
               list_sort(list_distinct([x.name FOR x IN coalesce(e.parties, []) IF x.actor_id <> p.actor_id]))
                   AS other_side,
               list_sort(list_distinct([x.country FOR x IN coalesce(e.parties, [])
                                        IF x.actor_id <> p.actor_id AND x.country IS NOT NULL])) AS other_countries
        FROM events e
        JOIN event_participants p ON p.event_id = e.event_id
        JOIN actors a ON a.actor_id = p.actor_id
        WHERE {scope}""",
}


def refresh_event_rollups(con, event_ids: list[str] | None = None) -> None:
    """Recompute the per-event figures and the derived rows (migration 011) of the given events (default: all)."""
    if event_ids is None:
        _refresh(con, "{col} IS NOT NULL")
        return
    if not event_ids:
        return
    con.execute("CREATE OR REPLACE TEMP TABLE _rollup_scope AS SELECT DISTINCT unnest(?::VARCHAR[]) AS event_id",
                [list(event_ids)])
    try:
        _refresh(con, "{col} IN (SELECT event_id FROM _rollup_scope)")
    finally:
        con.execute("DROP TABLE IF EXISTS _rollup_scope")


def _refresh(con, scope: str) -> None:
    con.execute(ROLLUPS_SQL.format(scope=scope.format(col="event_id")))
    temps = []
    try:
        for table, select in DERIVED_TABLES.items():
            new, changed = f"_new_{table}", f"_changed_{table}"
            temps += [new, changed]
            con.execute(f"CREATE OR REPLACE TEMP TABLE {new} AS {select.format(scope=scope.format(col='e.event_id'))}")
            # Only the events whose rows differ are rewritten, so an unchanged rerun writes nothing.
            old = f"SELECT * FROM {table} WHERE {scope.format(col='event_id')}"
            con.execute(f"""CREATE OR REPLACE TEMP TABLE {changed} AS
                            SELECT event_id FROM ({old} EXCEPT SELECT * FROM {new})
                            UNION SELECT event_id FROM (SELECT * FROM {new} EXCEPT {old})""")
            con.execute(f"DELETE FROM {table} WHERE event_id IN (SELECT event_id FROM {changed})")
            con.execute(f"INSERT INTO {table} SELECT * FROM {new} WHERE event_id IN (SELECT event_id FROM {changed})")
    finally:
        for temp in temps:
            con.execute(f"DROP TABLE IF EXISTS {temp}")


def _touched_events(con, merged: list[dict]) -> list[str]:
    """The merged events, and every event of one of their actors (a load may rename an actor or change its
    country, which shows in those events' figures too)."""
    ids = [ev["event_id"] for ev in merged]
    actors = sorted({p["actor_id"] for ev in merged for p in ev.get("participants") or []})
    if actors:
        ids += [r[0] for r in con.execute(
            "SELECT DISTINCT event_id FROM event_participants WHERE actor_id IN (SELECT unnest(?::VARCHAR[]))",
            [actors]).fetchall()]
    return sorted(set(ids))


# what a new report of an actor changes: the name it now goes by; a title, organisation or country only when given
ACTOR_UPDATE = {"name": "excluded.name", "title": "coalesce(excluded.title, actors.title)",
                "organization": "coalesce(excluded.organization, actors.organization)",
                "country": "coalesce(excluded.country, actors.country)", "updated_at": "excluded.updated_at"}


def load_event(con, ev: dict, now: datetime, extractor_version: str) -> None:
    event_id = ev["event_id"]
    event_date, precision = _as_date(ev.get("date"))
    if ev.get("date_precision") in {"day", "month", "year", "unknown"} and event_date is not None:
        precision = ev["date_precision"]
    row = {
        "event_id": event_id, "event_date": event_date, "date_precision": precision, "location": ev.get("location"),
        "venue": ev.get("venue"), "mode": ev.get("mode") or "unknown", "status": ev.get("status") or "occurred",
        "confidence": ev.get("confidence"), "evidence": ev.get("evidence"), "keywords": list(ev.get("keywords") or []),
        "extractor_version": extractor_version, "first_seen_at": now, "updated_at": now, "scope": ev.get("scope"),
        "date_from": ev.get("date_from"), "date_to": ev.get("date_to"),
    }
    store.upsert(con, "events", [row], update=[c for c in row if c not in ("event_id", "first_seen_at")])
    con.execute("DELETE FROM event_participants WHERE event_id = ?", [event_id])
    con.execute("DELETE FROM event_topics WHERE event_id = ?", [event_id])
    for p in ev.get("participants") or []:
        actor_id = p["actor_id"]
        store.upsert(
            con, "actors",
            [{"actor_id": actor_id, "name": p["name"], "title": p.get("title"), "organization": p.get("organization"),
              "country": p.get("country"), "updated_at": now}],
            update=ACTOR_UPDATE,
        )
        aliases = {p["name"], *(p.get("aliases") or [])}
        store.upsert(
            con, "actor_aliases", [{"alias": a, "actor_id": actor_id} for a in sorted(aliases) if a],
            key=["alias", "actor_id"], update=[],
        )
        store.upsert(
            con, "event_participants",
            [{"event_id": event_id, "actor_id": actor_id, "role": p.get("role"), "title": p.get("title")}],
            key=["event_id", "actor_id"],
        )
    store.upsert(
        con, "event_topics", [{"event_id": event_id, "topic": t} for t in sorted(set(ev.get("topics") or []))],
        key=["event_id", "topic"], update=[],
    )
    links = {}
    for link in ev.get("articles") or []:
        links.setdefault(link["article_id"], link)  # first (earliest) evidence per article
    store.upsert(
        con, "event_articles",
        [{"event_id": event_id, "article_id": a, "evidence": link.get("evidence") or ev.get("evidence") or "",
          "start_char": link.get("start_char"), "end_char": link.get("end_char")} for a, link in links.items()],
        key=["event_id", "article_id"],
    )


def _drop_orphans(con) -> None:
    con.execute("DELETE FROM events WHERE event_id NOT IN (SELECT event_id FROM event_articles)")
    con.execute("DELETE FROM event_participants WHERE event_id NOT IN (SELECT event_id FROM events)")
    con.execute("DELETE FROM event_topics WHERE event_id NOT IN (SELECT event_id FROM events)")
    # (the derived tables of migration 011 need no sweep here: a removed event was linked to the window's articles,
    # so the refresh that follows rewrites its rows to none; a sweep costs ~0.5 s per load on a million events)
    con.execute(
        "DELETE FROM actor_aliases WHERE actor_id NOT IN (SELECT actor_id FROM event_participants)"
    )
    con.execute("DELETE FROM actors WHERE actor_id NOT IN (SELECT actor_id FROM event_participants)")


# --- quality, reprocess, summary ---------------------------------------------------------------------------------

@_with_run_id
def quality(settings: Settings, run_id: str | None = None, suites: list[str] | None = None) -> dict:
    from meetwire.quality import run_quality

    report = run_quality(settings, run_id=run_id, suites=suites)
    return {
        "run_id": report.run_id,
        "success": report.success,
        "n_checks": len(report.results),
        "n_failed": len(report.failed),
        "failed": [getattr(r, "expectation", str(r)) for r in report.failed],
        "docs_path": str(report.docs_path) if report.docs_path else None,
    }


def reprocess(
    settings: Settings,
    since: str | None = None,
    until: str | None = None,
    extractor_version: str | None = None,
) -> dict:
    """Rebuild cleaned text from the raw archive and events from it, without the network; report the change."""
    from meetwire import ingest as ingest_mod
    from meetwire.extract import EXTRACTOR_VERSION

    if extractor_version and extractor_version != EXTRACTOR_VERSION:
        raise ValueError(
            f"this code is extractor {EXTRACTOR_VERSION}; cannot reprocess as {extractor_version}"
        )
    with store.connect(settings) as con:
        before = _event_fingerprint(con)
    cleaned = ingest_mod.reprocess_articles(settings, since=since, until=until)
    with store.connect(settings) as con:
        ids = [
            r[0]
            for r in con.execute(
                "SELECT article_id FROM articles WHERE (? IS NULL OR published_at >= ?::TIMESTAMPTZ)"
                " AND (? IS NULL OR published_at < ?::TIMESTAMPTZ)",
                [since, since, until, until],
            ).fetchall()
        ]
    counts = extract(settings, article_ids=ids, force=True)
    with store.connect(settings) as con:
        after = _event_fingerprint(con)
    return {
        "articles_recleaned": cleaned,
        "articles_reextracted": counts["articles_extracted"],
        "events_added": len(after.keys() - before.keys()),
        "events_removed": len(before.keys() - after.keys()),
        "events_changed": sum(1 for k in after.keys() & before.keys() if after[k] != before[k]),
        "extractor_version": EXTRACTOR_VERSION,
    }


def _event_fingerprint(con) -> dict[str, tuple]:
    rows = con.execute(
        "SELECT event_id, event_date, date_precision, location, mode, status, participants, topics, n_articles"
        " FROM v_events"
    ).fetchall()
    return {r[0]: tuple(str(x) for x in r[1:]) for r in rows}


SUMMARY_TABLES = ("feeds", "articles", "events", "actors", "event_articles", "quarantine", "dq_results")

EXAMPLE_QUERY = (
    "SELECT event_date, mode, status, participants, n_articles FROM v_events ORDER BY event_date DESC NULLS LAST;"
)


def summary(settings: Settings) -> dict:
    with store.connect(settings) as con:
        counts = store.table_counts(con, SUMMARY_TABLES)
        by_status = dict(con.execute("SELECT status, count(*) FROM events GROUP BY 1").fetchall())
        last_dq = con.execute(
            """SELECT run_id, count(*) FILTER (WHERE success), count(*) FILTER (WHERE NOT success),
                      count(*) FILTER (WHERE NOT success AND severity = 'fail')
               FROM dq_results WHERE run_id = (SELECT run_id FROM dq_results ORDER BY checked_at DESC LIMIT 1)
               GROUP BY run_id"""
        ).fetchone()
    out = {"db": store.location(settings), "counts": counts, "events_by_status": by_status}
    pages = settings.docs_dir / "index.html"
    if pages.exists():
        out["pages"] = str(pages)
    if last_dq:
        out["checks"] = {"run_id": last_dq[0], "passed": last_dq[1], "failed": last_dq[2],
                         "failed_fail_severity": last_dq[3]}
    return out


def run_all(settings: Settings) -> dict:
    """One full cycle without Airflow: ingest the configured feeds, extract, load, check."""
    settings.ensure_dirs()
    run_id = start_run(settings, "run")
    try:
        ingested = ingest(settings, run_id=run_id)
        extracted = extract(settings, run_id=run_id)
        checked = quality(settings, run_id=run_id)
    except Exception:
        finish_run(settings, run_id, status="failed")
        raise
    counts = {**ingested, **{f"extract_{k}": v for k, v in extracted.items()}, "events": extracted["events"]}
    finish_run(settings, run_id, status="success" if checked["success"] else "failed", counts=counts)
    return {"run_id": run_id, "ingest": ingested, "extract": extracted, "quality": checked,
            "summary": summary(settings)}
