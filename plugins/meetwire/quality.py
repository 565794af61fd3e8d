"""Data quality: expectation suites kept as code, validated with Great Expectations on frames read from DuckDB.

Every suite is a list of `Check`s over one or more pandas frames (a table, or a table with derived columns such as
`events.n_articles`). Each check names a GX 1.x expectation, its kwargs, a severity (`fail`: the data is wrong and
must not be trusted; `warn`: something looks unhealthy, a human should look) and why it exists; docs/quality.md
lists them all. GX's SQL route through duckdb-engine is not used: frames are read with DuckDB and validated through
GX's pandas datasource in an ephemeral context, built once per process.

`run_quality()` reads the frames, validates, writes one `dq_results` row per expectation in one transaction, writes a
static HTML page for the run under `settings.docs_dir/quality/` (`meetwire.quality_docs`), and hands the failing
suites to `meetwire.alerts`.

Great Expectations is imported lazily, in `meetwire.quality_gx` (it takes seconds), so importing this module (DAG
parsing, the CLI) stays cheap; its usage statistics are switched off before the import.
"""

from __future__ import annotations

import json
import logging
import math
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from meetwire import store
from meetwire.settings import Settings, get_settings

log = logging.getLogger(__name__)

SEVERITIES = ("warn", "fail")

# Enumerations: the contract between the extractor, the loader and the analysts (see sql/migrations/001_init.sql).
EVENT_MODES = ["in_person", "phone", "virtual", "visit", "multilateral", "unknown"]
EVENT_STATUSES = ["occurred", "planned", "cancelled"]
DATE_PRECISIONS = ["day", "month", "year", "unknown"]
TEXT_SOURCES = ["page", "feed", "file"]
PARTICIPANT_ROLES = ["host", "guest", "participant"]

MIN_EVENT_DATE = date(1900, 1, 1)
MAX_EVENT_YEARS_AHEAD = 2
# An event reported as having happened cannot be dated after the newest article reporting it. One day of slack:
# publication times are compared in UTC, the event's day is local to where it happened.
PUBLICATION_SLACK_DAYS = 1

# Pipeline health thresholds (warn severity). Rates are measured over articles fetched in the freshness window.
VOLUME_HISTORY_RUNS = 14  # compare the current run with the median of up to this many previous runs
VOLUME_MIN_HISTORY = 5  # fewer previous runs than this: not enough history, the check passes
VOLUME_MIN_RATIO = 0.2  # fewer than a fifth of the usual articles: a feed or the fetcher broke
VOLUME_MAX_RATIO = 5.0  # five times the usual: a feed re-published its archive, or dedup broke
MAX_QUARANTINE_RATE = 0.25
MIN_EVENT_YIELD = 0.01
MAX_DUPLICATE_RATE = 0.5
MIN_ARTICLES_FOR_RATES = 10  # rates over fewer articles are noise: the check passes


# --- suites as code ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Check:
    """One expectation: GX type (snake case), kwargs, the frame it runs on, severity, and why it exists."""

    type: str
    kwargs: Mapping[str, Any]
    severity: str
    why: str
    frame: str
    observe: bool = False  # single-row frames: report the column's value itself as the observed value

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}: {self.severity!r}")

    @property
    def target(self) -> str:
        kw = self.kwargs
        if "column" in kw:
            return kw["column"]
        if "column_list" in kw:
            return ",".join(kw["column_list"])
        if "column_A" in kw:
            return f"{kw['column_A']},{kw['column_B']}"
        return self.frame

    @property
    def name(self) -> str:
        """The name recorded in dq_results.expectation, e.g. expect_column_values_to_not_be_null(event_id)."""
        return f"{self.type}({self.target})"


@dataclass(frozen=True)
class Suite:
    name: str
    description: str
    checks: tuple[Check, ...]

    @property
    def frames(self) -> list[str]:
        return list(dict.fromkeys(c.frame for c in self.checks))


def _p(name: str) -> dict:
    """A suite parameter, filled per run (value sets of keys, today's date bounds, thresholds)."""
    return {"$PARAMETER": name}


def _builder(frame: str) -> Callable[..., Check]:
    def make(type_: str, severity: str, why: str, observe: bool = False, **kwargs: Any) -> Check:
        return Check(type=type_, kwargs=kwargs, severity=severity, why=why, frame=frame, observe=observe)

    return make


def _columns(frame: str, columns: list[str]) -> Check:
    return Check(
        "expect_table_columns_to_match_set", {"column_set": columns, "exact_match": False}, "fail",
        f"the columns every reader of {frame} relies on exist (extra columns from later migrations are fine)", frame,
    )


def _key(frame: str, column: str) -> list[Check]:
    return [
        Check("expect_column_values_to_not_be_null", {"column": column}, "fail", f"{column} is the key of {frame}",
              frame),
        Check("expect_column_values_to_be_unique", {"column": column}, "fail",
              f"{column} identifies one {frame} row; a duplicate double-counts", frame),
    ]


def _not_null(frame: str, *columns: str, severity: str = "fail", why: str = "declared NOT NULL") -> list[Check]:
    return [Check("expect_column_values_to_not_be_null", {"column": c}, severity, why, frame) for c in columns]


def _of_type(frame: str, column: str, type_: str, why: str) -> Check:
    return Check("expect_column_values_to_be_of_type", {"column": column, "type_": type_}, "fail", why, frame)


def _refers(frame: str, column: str, target: str, severity: str = "fail") -> Check:
    """Referential integrity through a derived column: `<column>_not_in_<table>` holds the dangling key, else NULL.

    (Passing the parent's keys as the value set of expect_column_values_to_be_in_set would be the obvious GX way, but
    GX 1.x re-serialises an expectation's kwargs hundreds of times per validation: 20,000 keys cost seconds per
    check. The derived column is one anti-join in DuckDB, and the unexpected values are still the dangling keys.)
    """
    table, key = target.split(".")
    return Check(
        "expect_column_values_to_be_null", {"column": f"{column}_not_in_{table}"}, severity,
        f"referential integrity: every {frame}.{column} exists in {target} (the derived column holds the dangling "
        f"key, NULL when it exists)", frame,
    )


# (frame, column, parent table, parent key) for the derived `<column>_not_in_<table>` columns.
REFERENCES = [
    ("articles", "duplicate_of", "articles", "article_id"),
    ("actor_aliases", "actor_id", "actors", "actor_id"),
    ("event_participants", "event_id", "events", "event_id"),
    ("event_participants", "actor_id", "actors", "actor_id"),
    ("event_articles", "event_id", "events", "event_id"),
    ("event_articles", "article_id", "articles", "article_id"),
    ("event_topics", "event_id", "events", "event_id"),
]


ARTICLE_COLUMNS = ["article_id", "url", "canonical_url", "feed_id", "title", "source", "published_at", "fetched_at",
                   "language", "content_sha256", "simhash", "duplicate_of", "raw_ref", "text_source", "text",
                   "cleaned_at"]
ACTOR_COLUMNS = ["actor_id", "name", "title", "organization", "country", "updated_at"]
EVENT_COLUMNS = ["event_id", "event_date", "date_precision", "location", "venue", "mode", "status", "confidence",
                 "evidence", "keywords", "extractor_version", "first_seen_at", "updated_at", "scope", "date_from",
                 "date_to"]
EVENT_SCOPES = ["internal", "bilateral", "multilateral"]

_a = _builder("articles")
_e = _builder("events")
_h = _builder("health")
_f = _builder("feeds")

SUITES: dict[str, Suite] = {
    s.name: s
    for s in [
        Suite("articles", "cleaned articles: keys, required fields, types, provenance", (
            _columns("articles", ARTICLE_COLUMNS),
            *_key("articles", "article_id"),
            _a("expect_column_values_to_be_unique", "fail", "canonical_url is UNIQUE: one article per page",
               column="canonical_url"),
            *_not_null("articles", "url", "canonical_url", "content_sha256", "text", "text_source", "fetched_at",
                       "cleaned_at"),
            _a("expect_column_values_to_be_in_set", "fail", "where the text came from: page, feed or file",
               column="text_source", value_set=TEXT_SOURCES),
            _a("expect_column_value_lengths_to_be_between", "warn",
               "an empty cleaned text yields nothing; the cleaner should have quarantined it",
               column="text", min_value=1),
            _of_type("articles", "fetched_at", "Timestamp", "TIMESTAMPTZ: freshness is measured on it"),
            _of_type("articles", "published_at", "Timestamp", "TIMESTAMPTZ: events are dated against it"),
            _a("expect_column_values_to_be_between", "warn",
               "a publication date in the future is a date parsing error (one day of slack for time zones)",
               column="published_at", max_value=_p("max_published_at")),
            _refers("articles", "duplicate_of", "articles.article_id", severity="warn"),
            _a("expect_column_values_to_be_between", "fail",
               "derived: of the articles with the same content hash, only one is not marked duplicate_of another "
               "(unmarked copies inflate n_articles)", column="n_unmarked_copies", max_value=1),
        )),
        Suite("actors", "people and organisations that meet", (
            _columns("actors", ACTOR_COLUMNS),
            *_key("actors", "actor_id"),
            *_not_null("actors", "name"),
            Check("expect_column_value_lengths_to_be_between", {"column": "name", "min_value": 1}, "fail",
                  "an actor without a name cannot be shown or searched", "actors"),
        )),
        Suite("actor_aliases", "alternative names of actors", (
            *_not_null("actor_aliases", "alias", "actor_id"),
            Check("expect_compound_columns_to_be_unique", {"column_list": ["alias", "actor_id"]}, "fail",
                  "(alias, actor_id) is the key", "actor_aliases"),
            _refers("actor_aliases", "actor_id", "actors.actor_id"),
        )),
        Suite("events", "merged meeting events: keys, enums, dates, evidence, articles, participants", (
            _columns("events", EVENT_COLUMNS),
            *_key("events", "event_id"),
            _e("expect_column_values_to_be_in_set", "fail", "mode enum", column="mode", value_set=EVENT_MODES),
            _e("expect_column_values_to_be_in_set", "fail", "status enum", column="status", value_set=EVENT_STATUSES),
            _e("expect_column_values_to_be_in_set", "fail", "date_precision enum", column="date_precision",
               value_set=DATE_PRECISIONS),
            *_not_null("events", "mode", "status", "date_precision", "extractor_version", "first_seen_at",
                       "updated_at"),
            _of_type("events", "event_date", "datetime64", "DATE column"),
            _e("expect_column_values_to_be_between", "fail",
               "event dates between 1900-01-01 and two years from now; anything else is a parsing error",
               column="event_date", min_value=_p("min_event_date"), max_value=_p("max_event_date")),
            _e("expect_column_values_to_be_in_set", "fail",
               "derived: an event that is not 'planned' cannot be dated after the newest article reporting it "
               "(one day of slack)", column="date_not_after_publication", value_set=[True]),
            _e("expect_column_values_to_be_in_set", "fail",
               "derived: a date precision of day/month/year comes with an event_date, 'unknown' without one",
               column="date_matches_precision", value_set=[True]),
            _e("expect_column_values_to_be_in_set", "fail",
               "derived: a date window has both ends, in order (date_from <= date_to), or neither",
               column="date_window_ordered", value_set=[True]),
            _e("expect_column_values_to_be_in_set", "fail",
               "derived: the figures v_events shows (n_articles, participants) and the actor_meetings and "
               "event_pairs rows match the link tables; a load that skipped refresh_event_rollups leaves them stale",
               column="rollups_fresh", value_set=[True]),
            _e("expect_column_values_to_be_in_set", "warn", "scope enum (NULL before extractor 0.6.3)",
               column="scope", value_set=EVENT_SCOPES),
            _e("expect_column_values_to_be_between", "fail", "extractor confidence is a probability",
               column="confidence", min_value=0, max_value=1),
            *_not_null("events", "evidence", why="every event carries the sentence it was extracted from"),
            _e("expect_column_value_lengths_to_be_between", "fail", "evidence must not be empty",
               column="evidence", min_value=1),
            _e("expect_column_values_to_be_between", "fail",
               "derived: every event is backed by at least one article (event_articles)",
               column="n_articles", min_value=1),
            _e("expect_column_values_to_be_between", "warn",
               "derived: a meeting has participants; an event without any is useless to analysts but can happen "
               "while actors are resolved", column="n_participants", min_value=1),
        )),
        Suite("event_participants", "who took part in which event", (
            *_not_null("event_participants", "event_id", "actor_id"),
            Check("expect_compound_columns_to_be_unique", {"column_list": ["event_id", "actor_id"]}, "fail",
                  "(event_id, actor_id) is the key", "event_participants"),
            _refers("event_participants", "event_id", "events.event_id"),
            _refers("event_participants", "actor_id", "actors.actor_id"),
            Check("expect_column_values_to_be_in_set", {"column": "role", "value_set": PARTICIPANT_ROLES}, "warn",
                  "role enum (host, guest, participant); NULL allowed", "event_participants"),
        )),
        Suite("event_articles", "which articles report which event, with the evidence span", (
            *_not_null("event_articles", "event_id", "article_id", "evidence"),
            Check("expect_compound_columns_to_be_unique", {"column_list": ["event_id", "article_id"]}, "fail",
                  "(event_id, article_id) is the key", "event_articles"),
            _refers("event_articles", "event_id", "events.event_id"),
            _refers("event_articles", "article_id", "articles.article_id"),
            Check("expect_column_values_to_be_between", {"column": "start_char", "min_value": 0}, "warn",
                  "evidence offsets are positions in the article text", "event_articles"),
            Check("expect_column_pair_values_a_to_be_greater_than_b",
                  {"column_A": "end_char", "column_B": "start_char", "or_equal": True,
                   "ignore_row_if": "either_value_is_missing"}, "warn",
                  "an evidence span ends after it starts", "event_articles"),
        )),
        Suite("event_topics", "topics of events", (
            *_not_null("event_topics", "event_id", "topic"),
            Check("expect_compound_columns_to_be_unique", {"column_list": ["event_id", "topic"]}, "fail",
                  "(event_id, topic) is the key", "event_topics"),
            _refers("event_topics", "event_id", "events.event_id"),
        )),
        Suite("pipeline", "pipeline health: freshness per feed, volume per run, quarantine, yield, duplicates", (
            _f("expect_column_values_to_be_in_set", "warn",
               "the last fetch of every enabled feed succeeded (HTTP 2xx/3xx, 304 included)",
               column="last_fetch_ok", value_set=[True]),
            _f("expect_column_values_to_be_between", "warn",
               "every enabled, once-fetched feed was fetched within freshness_hours (is the scheduler running?)",
               column="hours_since_fetch", min_value=0, max_value=_p("freshness_hours")),
            _f("expect_column_values_to_be_between", "warn",
               "every enabled feed yielded a new article within freshness_hours; measured on articles.fetched_at, "
               "not published_at, so reprocessed or back-filled old news does not look stale",
               column="hours_since_new_article", min_value=0, max_value=_p("freshness_hours")),
            _h("expect_column_values_to_be_between", "warn",
               f"articles of the current run / median of the previous {VOLUME_HISTORY_RUNS} runs; NULL (pass) "
               f"with fewer than {VOLUME_MIN_HISTORY} previous runs", observe=True,
               column="volume_ratio", min_value=VOLUME_MIN_RATIO, max_value=VOLUME_MAX_RATIO),
            _h("expect_column_values_to_be_between", "warn",
               "quarantined inputs / (quarantined + articles) in the freshness window", observe=True,
               column="quarantine_rate", min_value=0, max_value=MAX_QUARANTINE_RATE),
            _h("expect_column_values_to_be_between", "warn",
               "share of (non-duplicate) articles in the freshness window that yield at least one event; "
               "near zero means the extractor or the loader broke", observe=True,
               column="event_yield", min_value=MIN_EVENT_YIELD, max_value=1),
            _h("expect_column_values_to_be_between", "warn",
               "share of articles in the freshness window marked as (near) duplicates", observe=True,
               column="duplicate_rate", min_value=0, max_value=MAX_DUPLICATE_RATE),
        )),
    ]
}

for _suite in SUITES.values():  # expectation names are the key of a result within a suite
    _names = [c.name for c in _suite.checks]
    assert len(_names) == len(set(_names)), f"duplicate expectation names in suite {_suite.name}"


def list_suites() -> list[str]:
    return list(SUITES)


# --- frames ------------------------------------------------------------------------------------------------------

@dataclass
class FrameContext:
    settings: Settings
    now: datetime
    run_id: str


def _q(con, sql: str, params: list | None = None):
    return con.execute(sql, params or []).df()


def _frame_events(con, ctx: FrameContext):
    return _q(con, f"""
        WITH arts AS (
            SELECT ea.event_id, count(DISTINCT ea.article_id) AS n_articles,
                   max(timezone('UTC', a.published_at)) AS latest_published_utc
            FROM event_articles ea LEFT JOIN articles a USING (article_id)
            GROUP BY ea.event_id),
        parts AS (SELECT event_id, count(*) AS n_participants FROM event_participants GROUP BY event_id),
        meets AS (SELECT event_id, count(*) AS n_rows FROM actor_meetings GROUP BY event_id),
        pairs AS (SELECT event_id, count(*) AS n_rows FROM event_pairs GROUP BY event_id)
        SELECT e.* EXCLUDE (participants, topics, n_articles, n_sources, first_reported_at, parties),
               coalesce(arts.n_articles, 0) AS n_articles,
               coalesce(parts.n_participants, 0) AS n_participants,
               arts.latest_published_utc,
               CASE WHEN e.status = 'planned' OR e.event_date IS NULL OR arts.latest_published_utc IS NULL THEN TRUE
                    ELSE e.event_date <= CAST(arts.latest_published_utc AS DATE) + {PUBLICATION_SLACK_DAYS}
               END AS date_not_after_publication,
               (e.event_date IS NULL) = (e.date_precision = 'unknown') AS date_matches_precision,
               coalesce(e.date_from <= e.date_to, e.date_from IS NULL AND e.date_to IS NULL) AS date_window_ordered,
               coalesce(e.n_articles = coalesce(arts.n_articles, 0)
                        AND len(e.participants) = coalesce(parts.n_participants, 0)
                        AND coalesce(meets.n_rows, 0) = coalesce(parts.n_participants, 0)
                        AND coalesce(pairs.n_rows, 0) = CASE WHEN e.scope = 'internal' THEN 0
                            ELSE coalesce(parts.n_participants * (parts.n_participants - 1) // 2, 0) END,
                        false) AS rollups_fresh
        FROM events e
        LEFT JOIN arts USING (event_id)
        LEFT JOIN parts USING (event_id)
        LEFT JOIN meets USING (event_id)
        LEFT JOIN pairs USING (event_id)""")


def _frame_feeds(con, ctx: FrameContext):
    # One row per enabled feed. A feed never fetched yet has NULL hours (pending, not stale: GX skips NULLs).
    return _q(con, """
        WITH newest AS (SELECT feed_id, max(fetched_at) AS newest_fetched_at FROM articles GROUP BY feed_id)
        SELECT f.feed_id, f.url, f.last_status, f.last_fetched_at,
               CASE WHEN f.last_fetched_at IS NULL THEN NULL
                    ELSE coalesce(f.last_status BETWEEN 200 AND 399, FALSE) END AS last_fetch_ok,
               date_diff('second', f.last_fetched_at, ?::TIMESTAMPTZ) / 3600.0 AS hours_since_fetch,
               CASE WHEN f.last_fetched_at IS NULL THEN NULL
                    ELSE date_diff('second', coalesce(n.newest_fetched_at, f.created_at), ?::TIMESTAMPTZ) / 3600.0
               END AS hours_since_new_article
        FROM feeds f LEFT JOIN newest n USING (feed_id)
        WHERE f.is_enabled
        ORDER BY f.feed_id""", [ctx.now, ctx.now])


def _volume(con, ctx: FrameContext) -> dict[str, Any]:
    """Articles of the current run against the median of the previous runs, from the `runs` table."""
    stages = ("run", "ingest")
    current = con.execute(
        "SELECT run_id, started_at, finished_at, n_articles FROM runs WHERE run_id = ? AND stage IN (?, ?)",
        [ctx.run_id, *stages],
    ).fetchone()
    if current is None:
        current = con.execute(
            "SELECT run_id, started_at, finished_at, n_articles FROM runs WHERE stage IN (?, ?)"
            " ORDER BY started_at DESC LIMIT 1", list(stages),
        ).fetchone()
    if current is None:
        return {"volume_run_id": None, "volume_current": None, "volume_baseline": None, "volume_history": 0,
                "volume_ratio": None}
    run_id, started_at, finished_at, n_current = current
    if n_current is None:  # the run is still going: count what it has fetched so far
        n_current = con.execute(
            "SELECT count(*) FROM articles WHERE fetched_at >= ? AND (? IS NULL OR fetched_at <= ?)",
            [started_at, finished_at, finished_at],
        ).fetchone()[0]
    history = [r[0] for r in con.execute(
        "SELECT n_articles FROM runs WHERE stage IN (?, ?) AND started_at < ? AND n_articles IS NOT NULL"
        " AND run_id <> ? ORDER BY started_at DESC LIMIT ?",
        [*stages, started_at, run_id, VOLUME_HISTORY_RUNS],
    ).fetchall()]
    baseline = _median(history) if history else None
    ratio = None
    if len(history) >= VOLUME_MIN_HISTORY and baseline is not None:
        if baseline > 0:
            ratio = n_current / baseline
        elif n_current == 0:
            ratio = 1.0
    return {"volume_run_id": run_id, "volume_current": n_current, "volume_baseline": baseline,
            "volume_history": len(history), "volume_ratio": ratio}


def _median(values: list[float]) -> float:
    s = sorted(values)
    mid = len(s) // 2
    return float(s[mid]) if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def _frame_health(con, ctx: FrameContext):
    import pandas as pd

    since = ctx.now - timedelta(hours=ctx.settings.freshness_hours)
    # The yield counts only articles the extractor has seen (article_extractions, migration 004) when that ledger
    # exists: articles waiting for extraction are not a low yield.
    has_ledger = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'article_extractions'").fetchone()[0]
    extracted = ("article_id IN (SELECT article_id FROM article_extractions WHERE coalesce(n_failures, 0) = 0)"
                 if has_ledger else "TRUE")
    n_articles, n_dup, n_nondup, n_yield = con.execute(
        f"""SELECT count(*), count(*) FILTER (WHERE duplicate_of IS NOT NULL),
                  count(*) FILTER (WHERE duplicate_of IS NULL AND {extracted}),
                  count(*) FILTER (WHERE duplicate_of IS NULL AND {extracted}
                                   AND article_id IN (SELECT article_id FROM event_articles))
           FROM articles WHERE fetched_at >= ?""", [since],
    ).fetchone()
    # inputs first quarantined in the window, beside the articles first fetched in it; a failure seen again (one row,
    # n_seen counts) is not a new input, and `reprocess` re-reads old inputs (a missing archive is not new input)
    n_quarantined = con.execute(
        "SELECT count(*) FROM quarantine WHERE coalesce(first_seen_at, seen_at) >= ? AND stage <> 'reprocess'",
        [since]).fetchone()[0]
    enough = n_articles >= MIN_ARTICLES_FOR_RATES
    row = {
        "window_hours": ctx.settings.freshness_hours,
        "n_articles": n_articles,
        "n_quarantined": n_quarantined,
        "quarantine_rate": (n_quarantined / (n_quarantined + n_articles))
        if (n_quarantined + n_articles) >= MIN_ARTICLES_FOR_RATES else None,
        "n_extracted": n_nondup,
        "event_yield": (n_yield / n_nondup) if n_nondup >= MIN_ARTICLES_FOR_RATES else None,
        "duplicate_rate": (n_dup / n_articles) if enough else None,
        **_volume(con, ctx),
    }
    frame = pd.DataFrame([row])
    for col in ("quarantine_rate", "event_yield", "duplicate_rate", "volume_ratio"):
        frame[col] = frame[col].astype("float64")
    return frame


def _with_references(table: str, select: str = "SELECT t.*") -> str:
    """The table plus one `<column>_not_in_<parent>` column per reference: the dangling key, or NULL."""
    derived = [
        f"CASE WHEN t.{column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {parent} r WHERE r.{key} = t.{column})"
        f" THEN t.{column} END AS {column}_not_in_{parent}"
        for frame, column, parent, key in REFERENCES if frame == table
    ]
    return f"{select}{''.join(', ' + d for d in derived)} FROM {table} t"


FRAMES: dict[str, Callable[[Any, FrameContext], Any]] = {
    # The article text is cut to its first 80 characters: the checks only ask "present and non-empty", and the full
    # texts of every article would cost memory for nothing.
    "articles": lambda con, ctx: _q(con, _with_references(
        "articles", "SELECT t.* REPLACE (substr(t.text, 1, 80) AS text), count(*) FILTER (WHERE t.duplicate_of IS NULL)"
                    " OVER (PARTITION BY t.content_sha256) AS n_unmarked_copies")),
    "actors": lambda con, ctx: _q(con, "SELECT * FROM actors"),
    "actor_aliases": lambda con, ctx: _q(con, _with_references("actor_aliases")),
    "events": _frame_events,
    "event_participants": lambda con, ctx: _q(con, _with_references("event_participants")),
    "event_articles": lambda con, ctx: _q(con, _with_references("event_articles")),
    "event_topics": lambda con, ctx: _q(con, _with_references("event_topics")),
    "feeds": _frame_feeds,
    "health": _frame_health,
}


def suite_parameters(con, ctx: FrameContext, needed: Iterable[str] = ()) -> dict[str, Any]:
    """Values known only at run time, filled into the suites' `{"$PARAMETER": name}` kwargs."""
    import pandas as pd

    params: dict[str, Any] = {
        "min_event_date": pd.Timestamp(MIN_EVENT_DATE),
        "max_event_date": pd.Timestamp(ctx.now.date().replace(year=ctx.now.year + MAX_EVENT_YEARS_AHEAD)
                                       if not (ctx.now.month == 2 and ctx.now.day == 29)
                                       else ctx.now.date() + timedelta(days=365 * MAX_EVENT_YEARS_AHEAD)),
        "max_published_at": pd.Timestamp(ctx.now + timedelta(days=1)),
        "freshness_hours": float(ctx.settings.freshness_hours),
    }
    return params


def _params_of(check: Check) -> list[str]:
    return [v["$PARAMETER"] for v in check.kwargs.values() if isinstance(v, dict) and "$PARAMETER" in v]


# --- results -----------------------------------------------------------------------------------------------------

@dataclass
class ExpectationResult:
    suite: str
    expectation: str
    success: bool
    observed_value: str | None
    severity: str
    details: dict[str, Any] = field(default_factory=dict)

    def as_alert(self) -> dict[str, Any]:
        return {"expectation": self.expectation, "observed_value": self.observed_value, "severity": self.severity}


@dataclass
class QualityReport:
    run_id: str
    success: bool  # no failed expectation of severity `fail`
    results: list[ExpectationResult]
    failed: list[ExpectationResult]  # every failed expectation, `warn` ones included
    docs_path: Path | None = None
    checked_at: datetime | None = None
    timings: dict[str, float] = field(default_factory=dict)
    alerts: list[dict[str, Any]] = field(default_factory=list)

    def suite_failures(self) -> dict[str, list[ExpectationResult]]:
        out: dict[str, list[ExpectationResult]] = {}
        for r in self.results:
            out.setdefault(r.suite, [])
            if not r.success:
                out[r.suite].append(r)
        return out


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        try:
            return _jsonable(value.item())
        except (ValueError, TypeError):
            pass
    if hasattr(value, "isoformat"):
        try:
            return value.isoformat()
        except ValueError:  # NaT
            return None
    return str(value)


def _observed(check: Check, result: dict, df) -> str | None:
    if check.observe and check.kwargs.get("column") in getattr(df, "columns", ()) and len(df) == 1:
        value = _fmt(_jsonable(df[check.kwargs["column"]].iloc[0]))
        return "null (not enough data: passes)" if value is None else value
    if "observed_value" in result:
        return _fmt(_jsonable(result["observed_value"]))
    if "unexpected_count" in result:
        n, total = result.get("unexpected_count") or 0, result.get("element_count") or 0
        text = f"{n} of {total} unexpected"
        sample = _jsonable(result.get("partial_unexpected_list") or [])
        if n and sample:
            text += ": " + json.dumps(sample[:5], default=str)
        return text
    return None


def _fmt(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return f"{value:.4g}"
    return value if isinstance(value, str) else json.dumps(value, default=str)


def _kwargs_for_details(check: Check, params: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in check.kwargs.items():
        if isinstance(value, dict) and "$PARAMETER" in value:
            name = value["$PARAMETER"]
            resolved = params.get(name)
            if isinstance(resolved, list):
                out[key] = f"${name} ({len(resolved)} values)"  # key sets can be large: name them, do not copy
            else:
                out[key] = _jsonable(resolved)
        else:
            out[key] = _jsonable(value)
    return out


def evaluate(frames: Mapping[str, Any], params: Mapping[str, Any], suites: Iterable[str] | None = None,
             keep: dict[str, Any] | None = None) -> list[ExpectationResult]:
    """Validate already-read frames (name -> DataFrame) with the named suites; no database needed.

    `keep`, when given, receives GX's own validation results keyed "suite.frame" (for the GX-rendered pages).
    """
    from meetwire.quality_gx import GXContext

    gxs = GXContext.get(SUITES)
    results: list[ExpectationResult] = []
    for suite_name in (suites or SUITES):
        suite = SUITES[suite_name]
        by_name = {c.name: c for c in suite.checks}
        for frame in suite.frames:
            df = frames.get(frame)
            if df is None:
                results.extend(_errored(suite, frame, f"frame {frame} could not be read", params))
                continue
            try:
                validation = gxs.validate(suite.name, frame, df, params)
                if keep is not None:
                    keep[f"{suite.name}.{frame}"] = validation
            except Exception as exc:  # a GX or frame failure fails the suite; it does not hide the other suites
                log.exception("validating %s.%s failed", suite.name, frame)
                results.extend(_errored(suite, frame, f"{type(exc).__name__}: {exc}", params))
                continue
            for r in validation.results:
                cfg = r.expectation_config
                check = by_name[(cfg.meta or {}).get("meetwire_name")]
                raw = r.result or {}
                details: dict[str, Any] = {
                    "table": frame,
                    "kwargs": _kwargs_for_details(check, params),
                    "why": check.why,
                }
                for key in ("element_count", "unexpected_count", "unexpected_percent", "missing_count",
                            "partial_unexpected_list", "observed_value"):
                    if key in raw:
                        details[key] = _jsonable(raw[key])
                exc_info = r.exception_info or {}
                if exc_info.get("raised_exception"):
                    details["exception"] = str(exc_info.get("exception_message"))[:2000]
                if check.observe and frame in frames and len(frames[frame]) == 1:
                    details["row"] = _jsonable(frames[frame].iloc[0].to_dict())
                results.append(ExpectationResult(
                    suite=suite.name, expectation=check.name, success=bool(r.success),
                    observed_value=_observed(check, raw, df), severity=check.severity, details=details,
                ))
    return results


def _errored(suite: Suite, frame: str, message: str, params: Mapping[str, Any]) -> list[ExpectationResult]:
    return [
        ExpectationResult(suite=suite.name, expectation=c.name, success=False, observed_value="error",
                          severity=c.severity, details={"table": frame, "error": message,
                                                        "kwargs": _kwargs_for_details(c, params), "why": c.why})
        for c in suite.checks if c.frame == frame
    ]


def read_frames(con, ctx: FrameContext, suites: Iterable[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The frames and suite parameters the named suites need; a frame that cannot be read is left out."""
    frames: dict[str, Any] = {}
    needed: set[str] = set()
    for name in suites:
        suite = SUITES[name]
        for check in suite.checks:
            needed.update(_params_of(check))
        for frame in suite.frames:
            if frame in frames:
                continue
            try:
                frames[frame] = FRAMES[frame](con, ctx)
            except Exception:
                log.exception("reading frame %s failed", frame)
    return frames, suite_parameters(con, ctx, needed)


# --- the run -----------------------------------------------------------------------------------------------------

def new_run_id() -> str:
    return f"quality-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"


def run_quality(settings: Settings | None = None, run_id: str | None = None, suites: list[str] | None = None,
                ) -> QualityReport:
    """Validate the suites (default: all), record dq_results, write the run's HTML page, alert failing suites."""
    from meetwire import alerts, quality_docs  # quality_docs reads SUITES from this module

    settings = settings or get_settings()
    names = list(suites) if suites else list_suites()
    unknown = [n for n in names if n not in SUITES]
    if unknown:
        raise ValueError(f"unknown suites {unknown}; known: {list_suites()}")
    own_run = run_id is None
    run_id = run_id or new_run_id()
    now = store.utcnow()
    timings: dict[str, float] = {}
    t0 = time.monotonic()

    with store.connect(settings) as con:
        if own_run:
            con.execute("INSERT INTO runs (run_id, stage, started_at, status) VALUES (?, 'quality', ?, 'running')",
                        [run_id, now])
        frames, params = read_frames(con, FrameContext(settings, now, run_id), names)
    timings["read"] = time.monotonic() - t0

    t1 = time.monotonic()
    gx_results: dict[str, Any] = {}
    results = evaluate(frames, params, names, keep=gx_results)
    timings["validate"] = time.monotonic() - t1

    failed = [r for r in results if not r.success]
    success = not any(r.severity == "fail" for r in failed)
    report = QualityReport(run_id=run_id, success=success, results=results, failed=failed, checked_at=now,
                           timings=timings)

    t2 = time.monotonic()
    with store.connect(settings) as con:
        with store.transaction(con):
            con.execute(f"DELETE FROM dq_results WHERE run_id = ? AND suite IN ({', '.join('?' for _ in names)})",
                        [run_id, *names])  # a retried task replaces its own rows
            con.executemany(
                "INSERT INTO dq_results (run_id, suite, expectation, success, observed_value, severity, checked_at,"
                " details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [[run_id, r.suite, r.expectation, r.success, r.observed_value, r.severity, now,
                  json.dumps(r.details, default=str)] for r in results],
            )
            if own_run:
                con.execute(
                    "UPDATE runs SET finished_at = ?, status = ?, detail = ? WHERE run_id = ?",
                    [store.utcnow(), "success" if success else "failed",
                     json.dumps({"suites": names, "n_checks": len(results), "n_failed": len(failed)}), run_id],
                )
        history = _run_history(con)
    timings["write"] = time.monotonic() - t2

    t3 = time.monotonic()
    try:
        report.docs_path = quality_docs.write_docs(settings, report, history, gx_results)
    except Exception:  # the docs are a convenience; the results are already recorded
        log.exception("writing the data docs failed")
    try:
        from meetwire import report as events_report

        events_report.write_report(settings)
    except Exception:
        log.exception("writing the events report failed")
    timings["docs"] = time.monotonic() - t3

    t4 = time.monotonic()
    statuses = []
    for suite_name in names:
        suite_failed = [r.as_alert() for r in results if r.suite == suite_name and not r.success]
        statuses.append(alerts.SuiteStatus(suite=suite_name, failed=suite_failed))
    try:
        report.alerts = alerts.process_suites(settings, run_id, statuses,
                                              docs=quality_docs.docs_link(settings, report.docs_path))
    except Exception:  # alerting must never turn a recorded check into a crashed task
        log.exception("alerting failed")
    timings["alerts"] = time.monotonic() - t4
    timings["total"] = time.monotonic() - t0

    n_fail = sum(1 for r in failed if r.severity == "fail")
    log.info("quality run %s: %d checks, %d failed (%d fail severity) in %.2fs", run_id, len(results), len(failed),
             n_fail, timings["total"])
    return report


def _run_history(con, limit: int = 200) -> list[tuple]:
    return con.execute(
        """SELECT run_id, max(checked_at) AS checked_at, count(*) AS n,
                  count(*) FILTER (WHERE NOT success AND severity = 'fail') AS n_fail,
                  count(*) FILTER (WHERE NOT success AND severity = 'warn') AS n_warn,
                  string_agg(DISTINCT suite, ', ' ORDER BY suite) AS suites
           FROM dq_results GROUP BY run_id ORDER BY checked_at DESC LIMIT ?""", [limit],
    ).fetchall()


def expectations_markdown() -> str:
    """The expectation tables of docs/quality.md, generated from SUITES (a test keeps the two equal)."""
    out = []
    for suite in SUITES.values():
        out += [f"### `{suite.name}`: {suite.description}", "", "| expectation | severity | why |", "|---|---|---|"]
        out += [f"| `{c.name}` | {c.severity} | {c.why.replace('|', chr(92) + '|')} |" for c in suite.checks]
        out.append("")
    return "\n".join(out)
