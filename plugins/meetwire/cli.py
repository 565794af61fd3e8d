"""`meetwire ...`: a thin command line over the library (every command calls one pipeline/library function).

Logs go to stderr so stdout stays clean for data (`extract --jsonl`, `sql --format json`).
"""

from __future__ import annotations

import json
import logging
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from meetwire.settings import get_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__.split("\n")[0])
feeds_app = typer.Typer(no_args_is_help=True, help="Manage the configured feeds (the feeds file).")
eval_app = typer.Typer(no_args_is_help=True, help="Evaluate extraction quality on labelled data.")
app.add_typer(feeds_app, name="feeds")
app.add_typer(eval_app, name="eval")


@app.callback()
def _main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Debug logging on stderr."),
          log_format: Optional[str] = typer.Option(None, "--log-format", help="text or json (one JSON object per "
                                                   "line, with the run id); default MEETWIRE_LOG_FORMAT or text.")) -> None:
    # Quiet by default: meetwire's own progress at INFO, every library at WARNING; -v shows everything at DEBUG.
    from meetwire import logs

    try:
        if log_format and log_format.lower() not in ("text", "json"):
            raise ValueError(f"--log-format must be text or json, not {log_format!r}")
        logs.configure(level=logging.DEBUG if verbose else logging.WARNING, fmt=log_format and log_format.lower())
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2)
    if not verbose:
        logging.getLogger("meetwire").setLevel(logging.INFO)
    for noisy in ("httpx", "httpcore", "trafilatura", "htmldate", "great_expectations", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _db_guard(fn):
    """A command that finds the database held by another process too long (or the DuckLake catalog unreachable)
    exits 3, one that finds another run
    fetching into the same database exits 4, each with a plain message."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from meetwire.pipeline import RunInProgress
        from meetwire.store import DatabaseLocked
        from meetwire.store_backends import LakeUnavailable

        try:
            return fn(*args, **kwargs)
        except DatabaseLocked as exc:
            typer.echo(f"meetwire: {exc}", err=True)
            raise typer.Exit(3)
        except LakeUnavailable as exc:
            typer.echo(f"meetwire: {exc}", err=True)
            raise typer.Exit(3)
        except RunInProgress as exc:
            typer.echo(f"meetwire: {exc}", err=True)
            raise typer.Exit(4)

    return wrapper


def _echo_json(obj) -> None:
    typer.echo(json.dumps(obj, indent=2, default=str))


def print_summary(s: dict, run_id: str | None = None, articles_new: int | None = None) -> None:
    """The end-of-run summary a user reads: articles, events, checks, and a query to paste."""
    from meetwire.pipeline import EXAMPLE_QUERY

    c = s["counts"]
    statuses = ", ".join(f"{v} {k}" for k, v in sorted(s["events_by_status"].items())) or "none"
    typer.echo("")
    typer.echo(f"meetwire {'run ' + run_id if run_id else 'summary'}")
    new = f" ({articles_new} new this run)" if articles_new is not None else ""
    typer.echo(f"  articles read:   {c['articles']}{new}")
    typer.echo(f"  events found:    {c['events']} ({statuses})")
    typer.echo(f"  actors:          {c['actors']}")
    typer.echo(f"  quarantined:     {c['quarantine']}")
    checks = s.get("checks")
    if checks:
        total = checks["passed"] + checks["failed"]
        verdict = "" if not checks["failed_fail_severity"] else f"  ({checks['failed_fail_severity']} FAILED)"
        typer.echo(f"  checks passed:   {checks['passed']}/{total}{verdict}")
    else:
        typer.echo("  checks passed:   no data-quality run yet")
    if s.get("docs_path"):
        typer.echo(f"  data docs:       {s['docs_path']}")
    if s.get("pages"):
        typer.echo(f"  pages:           {s['pages']}  (overview, events, pipeline health, data quality)")
    typer.echo(f"  database:        {s['db']}")
    typer.echo("")
    typer.echo("Try (from the repository):")
    uv = _uv_command()
    typer.echo(f"  {uv} run meetwire sql \"{EXAMPLE_QUERY.rstrip(';')}\"")
    typer.echo(f"  {uv} run meetwire sql --file sql/examples/01_meetings_by_country_pair.sql")
    typer.echo(f"  {uv} run meetwire export --format parquet data/export")


def _uv_command() -> str:
    """How to call uv as printed: the one on PATH, else the copy `make` installs into .tools/."""
    import shutil

    from meetwire.settings import PROJECT_ROOT

    if shutil.which("uv"):
        return "uv"
    local = PROJECT_ROOT / ".tools" / "bin" / "uv"
    return ".tools/bin/uv" if local.exists() else "uv"


@app.command()
@_db_guard
def run(json_output: bool = typer.Option(False, "--json", help="Print the result as JSON.")) -> None:
    """One full cycle without Airflow: ingest the configured feeds, clean, extract, load, check."""
    from meetwire.pipeline import run_all

    result = run_all(get_settings())
    if json_output:
        _echo_json(result)
    else:
        print_summary(result["summary"], run_id=result["run_id"], articles_new=result["ingest"].get("articles_new"))
    if not result["quality"]["success"]:
        raise typer.Exit(1)


@app.command()
@_db_guard
def ingest(urls: list[str] = typer.Argument(None, help="Article or feed URLs; none = the configured feeds.")) -> None:
    """Fetch feeds (or the given URLs), archive the raw bytes, clean, and load articles."""
    from meetwire import pipeline

    settings = get_settings()
    run_id = pipeline.start_run(settings, "ingest")
    try:
        result = pipeline.ingest_urls(settings, list(urls), run_id=run_id) if urls else pipeline.ingest(
            settings, run_id=run_id)
    except BaseException:
        pipeline.finish_run(settings, run_id, status="failed")
        raise
    pipeline.finish_run(settings, run_id, counts=result)
    _echo_json(result)


def _read_jsonl(stream):
    for lineno, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            yield lineno, json.loads(line)
        except json.JSONDecodeError as exc:
            yield lineno, exc


@app.command()
@_db_guard
def extract(
    jsonl: bool = typer.Option(False, "--jsonl", help="Read {id, text, published_at} JSON lines on stdin, "
                               "write {id, events} JSON lines on stdout."),
) -> None:
    """Extract meeting events: from stdin (--jsonl) or from the database's pending articles."""
    if not jsonl:
        from meetwire.pipeline import extract as extract_stage

        _echo_json(extract_stage(get_settings()))
        return
    from meetwire.extract import EXTRACTOR_VERSION, extract_events

    out = sys.stdout
    failed = 0
    for lineno, item in _read_jsonl(sys.stdin):
        if isinstance(item, Exception) or not isinstance(item, dict) or not isinstance(item.get("text"), str):
            typer.echo(f"line {lineno}: expected a JSON object with a string 'text'", err=True)
            out.write(json.dumps({"id": None if not isinstance(item, dict) else item.get("id"), "events": [],
                                  "error": "bad_input"}) + "\n")
            failed += 1
            continue
        try:
            events = extract_events(item["text"], published_at=item.get("published_at"))
        except Exception as exc:  # one bad record gets an error line, the rest go on
            typer.echo(f"line {lineno}: {type(exc).__name__}: {exc}", err=True)
            out.write(json.dumps({"id": item.get("id"), "events": [], "error": str(exc)}) + "\n")
            failed += 1
            continue
        for ev in events:
            ev.setdefault("extractor_version", EXTRACTOR_VERSION)  # which rules produced the row
        out.write(json.dumps({"id": item.get("id"), "events": events}, default=str, ensure_ascii=False) + "\n")
    out.flush()
    if failed:
        raise typer.Exit(2)


@app.command()
@_db_guard
def dq(
    suite: list[str] = typer.Option(None, "--suite", help="Only these suites (repeatable)."),
    json_output: bool = typer.Option(False, "--json"),
) -> None:
    """Run the data-quality suites; exit 1 (and alert) when a fail-severity expectation fails."""
    from meetwire.pipeline import quality

    result = quality(get_settings(), suites=list(suite) if suite else None)
    if json_output:
        _echo_json(result)
    else:
        status = "passed" if result["success"] else "FAILED"
        typer.echo(f"data quality {status}: {result['n_checks'] - result['n_failed']}/{result['n_checks']} checks ok")
        for name in result["failed"]:
            typer.echo(f"  failed: {name}")
        if result.get("docs_path"):
            typer.echo(f"  data docs: {result['docs_path']}")
    if not result["success"]:
        raise typer.Exit(1)


class SqlFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class ExportFormat(str, Enum):
    parquet = "parquet"
    csv = "csv"


@app.command(context_settings={"ignore_unknown_options": True})
def sql(
    query: Optional[str] = typer.Argument(None, help="SQL, one or more statements; comments allowed. "
                                                     "'-' reads it from stdin."),
    file: Optional[Path] = typer.Option(None, "--file", exists=True, dir_okay=False, help="Read the SQL from a file."),
    fmt: SqlFormat = typer.Option(SqlFormat.table, "--format", "-f", help="table | csv | json"),
    max_width: int = typer.Option(60, "--max-width", help="Cut table cells longer than this (with …); 0: never."),
) -> None:
    """Query the DuckDB file, read-only: every statement's result is printed; writes, files and extensions are
    refused (`meetwire export` writes files)."""
    from meetwire.store import ReadOnlyRefusal, run_statements

    text = file.read_text(encoding="utf-8") if file else (sys.stdin.read() if query == "-" else query)
    if not text or not text.strip():
        typer.echo("no SQL given: pass a query, --file PATH, or '-' for stdin", err=True)
        raise typer.Exit(2)
    try:
        results = run_statements(get_settings(), text)
    except ReadOnlyRefusal as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1)
    except Exception as exc:  # a SQL error: say it plainly, no traceback
        typer.echo(f"{type(exc).__name__}: {str(exc).splitlines()[0]}", err=True)
        raise typer.Exit(1)
    for i, (statement, names, rows) in enumerate(results):
        if len(results) > 1:
            if i:
                typer.echo("")
            typer.echo("-- " + _statement_head(statement))
        _print_result(names, rows, fmt.value, max_width)


def _statement_head(statement: str) -> str:
    """A statement on one line for its header, without the comment lines DuckDB keeps in front of it."""
    lines = [ln for ln in statement.splitlines() if not ln.strip().startswith("--")]
    return " ".join(" ".join(lines).split())[:100]


def _cell(v, list_sep: str | None = None) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, (list, tuple)) and list_sep is not None:
        return list_sep.join("" if x is None else str(x) for x in v)
    return str(v)


def _print_result(names: list[str], rows: list[tuple], fmt: str, max_width: int) -> None:
    if fmt == "json":
        _echo_json([dict(zip(names, r)) for r in rows])
        return
    if fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(names)
        writer.writerows([["" if v is None else _cell(v, ";") for v in r] for r in rows])
        sys.stdout.flush()
        return
    if not names:
        typer.echo("ok")
        return
    cells = [[_cell(v) for v in r] for r in rows]
    cap = max_width if max_width > 0 else 10**9

    def cut(v: str) -> str:
        return v if len(v) <= cap else v[: cap - 1] + "…"

    cells = [[cut(v) for v in c] for c in cells]
    widths = [max([len(n)] + [len(c[i]) for c in cells]) for i, n in enumerate(names)]
    typer.echo(" | ".join(n.ljust(w) for n, w in zip(names, widths)))
    typer.echo("-+-".join("-" * w for w in widths))
    for c in cells:
        typer.echo(" | ".join(v.ljust(w) for v, w in zip(c, widths)))
    typer.echo(f"({len(rows)} rows)")


@app.command("report")
@_db_guard
def report_cmd() -> None:
    """Write the static pages (overview with charts, events, pipeline health) under MEETWIRE_DOCS_DIR."""
    from meetwire.report import write_report

    page = write_report(get_settings())
    typer.echo(f"pages written: {page} (open it in a browser; events.html, health.html and quality/ beside it)")


@app.command("export")
def export_cmd(
    directory: Path = typer.Argument(..., file_okay=False, help="Folder to write one file per table and view to."),
    fmt: ExportFormat = typer.Option(ExportFormat.parquet, "--format", "-f", help="parquet | csv"),
) -> None:
    """Export every table and view (Parquet or CSV), e.g. for analysts while the pipeline writes."""
    from meetwire.store import export

    for path in export(get_settings(), directory, fmt.value):
        typer.echo(str(path))


@app.command()
@_db_guard
def reprocess(
    since: Optional[str] = typer.Option(None, help="Articles published on or after this date (ISO)."),
    until: Optional[str] = typer.Option(None, help="Articles published before this date (ISO)."),
) -> None:
    """Rebuild cleaned text and events from the raw archive, without the network; report what changed."""
    from meetwire.pipeline import reprocess as reprocess_stage

    result = reprocess_stage(get_settings(), since=since, until=until)
    _echo_json(result)
    missing = (result.get("articles_recleaned") or {}).get("archive_missing", 0)
    if missing:
        # the archive is what makes reprocessing possible: a missing one is an operator's problem, not a quiet 0
        typer.echo(f"meetwire: {missing} articles have no raw bytes in the archive "
                   f"({get_settings().archive_dir}); they kept their old text", err=True)
        raise typer.Exit(1)


@app.command()
@_db_guard
def summary(json_output: bool = typer.Option(False, "--json")) -> None:
    """Row counts, the last data-quality result, and a query to try."""
    from meetwire.pipeline import summary as summary_stage

    result = summary_stage(get_settings())
    if json_output:
        _echo_json(result)
    else:
        print_summary(result)


@app.command()
@_db_guard
def migrate() -> None:
    """Create or upgrade the DuckDB schema (every command does this on connect)."""
    from meetwire import store

    settings = get_settings()
    with store.connect(settings) as con:
        rows = con.execute("SELECT version, name, applied_at FROM schema_migrations ORDER BY version").fetchall()
    for version, name, applied_at in rows:
        typer.echo(f"{version:>4}  {name}  {applied_at}")


@app.command("settings")
def show_settings() -> None:
    """The effective settings (from MEETWIRE_* environment variables and defaults)."""
    for key, value in get_settings().describe().items():
        typer.echo(f"{key}={value}")


@app.command()
def doctor(
    json_output: bool = typer.Option(False, "--json", help="Print the checks as JSON."),
    send_test_alert: bool = typer.Option(False, "--send-test-alert", help="Also send a test alert to every sink."),
) -> None:
    """Check settings, database, archive, Airflow, services and alert sinks; say what is wrong in plain words.
    Exit 1 when a check fails (warnings do not)."""
    from meetwire.doctor import FAIL, run_checks

    checks = run_checks(send_test_alert=send_test_alert)
    if json_output:
        _echo_json([c.as_dict() for c in checks])
    else:
        for c in checks:
            typer.echo(f"{c.status.upper():5} {c.area:9} {c.message}")
    raise typer.Exit(1 if any(c.status == FAIL for c in checks) else 0)


@app.command("backup")
def backup_cmd(
    dest: Path = typer.Argument(..., help="A new folder for the backup."),
    no_archive: bool = typer.Option(False, "--no-archive", help="Only the database, not the raw archive."),
) -> None:
    """Back up the database (consistent, portable Parquet export) and the raw archive into DEST, with a manifest."""
    from meetwire.backup import BackupError, backup

    try:
        res = backup(get_settings(), dest, include_archive=not no_archive)
    except BackupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1)
    typer.echo(f"backup written to {res.path}: {len(res.tables)} tables ({sum(res.tables.values())} rows), "
               f"{res.raw_files} raw files, {res.bytes / 1e6:.1f} MB")


@app.command("restore")
def restore_cmd(
    src: Path = typer.Argument(..., exists=True, file_okay=False, help="A folder written by `meetwire backup`."),
    force: bool = typer.Option(False, "--force", help="Replace an existing database (kept as a .before-restore copy)."),
    no_archive: bool = typer.Option(False, "--no-archive", help="Restore only the database."),
) -> None:
    """Restore the database and the raw archive from a backup (verified against its manifest first)."""
    from meetwire.backup import BackupError, restore

    try:
        res = restore(get_settings(), src, force=force, include_archive=not no_archive)
    except BackupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1)
    typer.echo(f"restored {res['db']} from the backup of {res['backup_created_at']}: "
               f"{sum(res['tables'].values())} rows, {res['raw_files_added']} raw files added"
               + (f"; the previous database is kept as {res['previous_db']}" if res["previous_db"] else ""))


bench_app = typer.Typer(help="Measure speed side by side in one run (ratios, not absolute seconds).")
app.add_typer(bench_app, name="bench")


@bench_app.callback(invoke_without_command=True)
def bench(
    ctx: typer.Context,
    out: Optional[Path] = typer.Option(None, help="Also write the JSON result here."),
    limit: int = typer.Option(0, help="Use at most this many documents per part (0 = all)."),
) -> None:
    """Component speed: extraction vs a bare spaCy pass, cleaning vs bare trafilatura, feed parsing.
    `meetwire bench e2e` runs the whole pipeline against the naive loop."""
    if ctx.invoked_subcommand is not None:
        return
    from meetwire.bench import run_bench

    result = run_bench(limit=limit or None)
    if out:
        out.write_text(json.dumps(result, indent=2, default=str))
    _echo_json(result)


@bench_app.command("e2e")
def bench_e2e(
    size: int = typer.Option(1000, min=1, help="Articles to serve (the benchmark's pages, replicated with "
                                               "distinct URLs and words)."),
    out: Optional[Path] = typer.Option(None, help="Also write the JSON result here."),
    query_events: int = typer.Option(1_000_000, min=0, help="Events in the generated database the sql/examples "
                                                            "queries are timed on (0 = skip)."),
    workdir: Optional[Path] = typer.Option(None, help="Keep the corpus and databases here (default: a temporary "
                                                      "directory, removed afterwards)."),
) -> None:
    """End to end: loopback pages through ingest, extract and dq, beside a bare trafilatura + spaCy loop."""
    from meetwire.bench_e2e import run_e2e

    result = run_e2e(size=size, query_events=query_events, workdir=workdir)
    if out:
        out.write_text(json.dumps(result, indent=2, default=str))
    _echo_json(result)


@bench_app.command("store")
def bench_store(
    pg: str = typer.Option("host=127.0.0.1 user=postgres dbname=postgres",
                           help="libpq string of a PostgreSQL role that may create the (temporary) catalog database."),
    rows: int = typer.Option(5000, min=1, help="Rows of the batch upsert."),
    out: Optional[Path] = typer.Option(None, help="Also write the JSON result here."),
) -> None:
    """The DuckDB file and a DuckLake catalog side by side: seed run, batch and single-row upserts, connect, queries."""
    from meetwire.bench_store import run_store_bench

    result = run_store_bench(pg, rows=rows)
    if out:
        out.write_text(json.dumps(result, indent=2, default=str))
    _echo_json(result)


@eval_app.command("plover")
def eval_plover_cmd(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="A PLOVER-format TSV (PLV_train.tsv)."),
    show_errors: int = typer.Option(200, help="Print at most this many misclassified sentences."),
    json_output: bool = typer.Option(False, "--json"),
) -> None:
    """Precision, recall and F1 of 'this sentence reports a meeting that took place' vs gold CONSULT."""
    from meetwire.evaluate import eval_plover

    result = eval_plover(path)
    if json_output:
        _echo_json(result)
        return
    typer.echo(f"sentences: {result.get('n', '?')}  tp={result['tp']} fp={result['fp']} fn={result['fn']}")
    typer.echo(f"precision={result['precision']:.3f} recall={result['recall']:.3f} f1={result['f1']:.3f}")
    act = result.get("actors") or {}
    if any(v["marked"] for v in act.values()):
        typer.echo("actors marked in the file, found among the participants of detected meetings: "
                   + "  ".join(f"{side} {v['found']}/{v['marked']}" for side, v in act.items()))
    errors = result.get("errors") or []
    if errors and show_errors:
        typer.echo(f"\nmisclassified ({len(errors)}):")
        for e in errors[:show_errors]:
            kind = "FP" if e.get("pred") else "FN"
            typer.echo(f"  [{kind}] {e.get('id')}: {e.get('text')}")


@eval_app.command("articles")
def eval_articles_cmd(
    docs: Path = typer.Argument(..., exists=True, dir_okay=False,
                                help="Documents: JSONL {id, text, title?, published_at?} (or the extraction "
                                     "benchmark's ground-truth.json)."),
    gold: Path = typer.Argument(..., exists=True, dir_okay=False,
                                help="Gold meetings: a JSON list, or an object with 'docs' and 'meetings'."),
    baseline: bool = typer.Option(True, "--baseline/--no-baseline", help="Score the keyword regex beside it."),
    show: int = typer.Option(50, help="Print at most this many wrong rows and misses."),
    json_output: bool = typer.Option(False, "--json"),
) -> None:
    """Article-level precision, recall and F1 of extracted events against hand-labelled real articles."""
    from meetwire.eval_articles import eval_articles, format_report

    result = eval_articles(docs, gold, baseline=baseline)
    result.pop("scored_rows", None)
    if json_output:
        _echo_json(result)
        return
    typer.echo(format_report(result, show=show))


train_app = typer.Typer(no_args_is_help=True, help="Retrain the extractor's decision models.")
app.add_typer(train_app, name="train")


@train_app.command("decide")
def train_decide_cmd(
    gold: Path = typer.Option(Path("tests/fixtures/realnews/bbc-dev.json"), exists=True,
                              help="Development gold (never the blind test part)."),
    docs: Path = typer.Option(Path("../shared/data/bbc-news/bbc-news.jsonl"), exists=True,
                              help="The documents the gold refers to."),
    more_labels: Optional[Path] = typer.Option(Path("tests/fixtures/realnews/bbc-dev-annotator2.json"),
                                               help="A second annotator's meetings (sentence labels only)."),
    plover: Optional[Path] = typer.Option(Path("../shared/data/plover/PLV_train.tsv"),
                                          help="PLOVER-format sentences added to the training data."),
    out: Optional[Path] = typer.Option(None, help="Where to write the model (default: the committed one)."),
) -> None:
    """Retrain the two decision models on the development articles; prints out-of-fold article scores."""
    from meetwire.eval_articles import format_report, read_docs, read_gold
    from meetwire.extract.decide import MODEL_PATH
    from meetwire.extract.learn import plover_examples, train

    raw = json.loads(gold.read_text(encoding="utf-8"))
    covered = set(raw["docs"]) if isinstance(raw, dict) else None
    documents = [d for d in read_docs(docs) if covered is None or d["id"] in covered]
    extra = plover_examples(plover) if plover and plover.exists() else []
    more = read_gold(more_labels) if more_labels and more_labels.exists() else None
    result = train(documents, read_gold(gold), extra=extra, out=out or MODEL_PATH, more_labels=more)
    result["oof"].pop("scored_rows", None)
    typer.echo("out-of-fold, on the development articles (rows of the whole extractor):")
    typer.echo(format_report(result["oof"], show=0))
    typer.echo("confidence table: " + json.dumps(result["confidence_table"]))
    typer.echo(f"model written to {out or MODEL_PATH}")


@feeds_app.command("list")
def feeds_list() -> None:
    """The configured feeds and their fetch state."""
    from meetwire import feeds_config

    for feed in feeds_config.list_feeds(get_settings()):
        state = "enabled" if feed.get("enabled", True) else "disabled"
        typer.echo(f"{feed.get('name') or '-':30} {state:8} {feed['url']}")


@feeds_app.command("add")
def feeds_add(
    url: str,
    name: Optional[str] = typer.Option(None),
    tags: list[str] = typer.Option(None, "--tag"),
    schedule: Optional[str] = typer.Option(None, help="Schedule hint, e.g. 30m, hourly."),
) -> None:
    """Add a feed to the feeds file (and the database on the next run)."""
    from meetwire import feeds_config

    feeds_config.add_feed(get_settings(), url, name=name, tags=list(tags or []), schedule=schedule)
    typer.echo(f"added {url}")


@feeds_app.command("remove")
def feeds_remove(url: str) -> None:
    """Remove a feed from the feeds file; its articles stay, the feed is disabled in the database."""
    from meetwire import feeds_config

    if not feeds_config.remove_feed(get_settings(), url):
        typer.echo(f"no such feed: {url}", err=True)
        raise typer.Exit(1)
    typer.echo(f"removed {url}")


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
