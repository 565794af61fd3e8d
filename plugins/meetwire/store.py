"""DuckDB: the connection, the migrations ledger, views, and transactional idempotent upserts.

Schema changes live in numbered files under `sql/migrations/`; each is applied once, in order, inside a
transaction, and recorded in `schema_migrations` with its checksum (an edited, already-applied migration is an
error, not a silent drift). Views under `sql/views/` are re-created on every connect, so they always match the code.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from meetwire.ids import sha256_hex
from meetwire.settings import PROJECT_ROOT, Settings, get_settings

log = logging.getLogger(__name__)

SQL_DIR = PROJECT_ROOT / "sql"
MIGRATIONS_DIR = SQL_DIR / "migrations"
VIEWS_DIR = SQL_DIR / "views"


class MigrationError(RuntimeError):
    pass


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def migration_files(directory: Path = MIGRATIONS_DIR) -> list[tuple[int, str, Path]]:
    out = []
    for path in sorted(directory.glob("*.sql")):
        head = path.stem.split("_", 1)[0]
        if not head.isdigit():
            raise MigrationError(f"migration file name must start with a number: {path.name}")
        out.append((int(head), path.stem, path))
    versions = [v for v, _, _ in out]
    if len(versions) != len(set(versions)):
        raise MigrationError(f"duplicate migration numbers in {directory}")
    return out


def migrate(con: duckdb.DuckDBPyConnection, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply pending migrations in order; return the names applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, checksum VARCHAR NOT NULL,"
        " applied_at TIMESTAMPTZ NOT NULL)"
    )
    applied = {v: c for v, c in con.execute("SELECT version, checksum FROM schema_migrations").fetchall()}
    done = []
    for version, name, path in migration_files(directory):
        sql = path.read_text(encoding="utf-8")
        checksum = sha256_hex(sql)
        if version in applied:
            if applied[version] != checksum:
                raise MigrationError(
                    f"migration {name} was changed after it was applied; add a new migration instead"
                )
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?, ?)", [version, name, checksum, utcnow()]
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        log.info("applied migration %s", name)
        done.append(name)
    return done


def create_views(con: duckdb.DuckDBPyConnection, directory: Path = VIEWS_DIR) -> None:
    for path in sorted(directory.glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))


class DatabaseLocked(RuntimeError):
    """Another process held the DuckDB file for longer than MEETWIRE_DB_LOCK_TIMEOUT."""


def _connect_with_retry(path: str, read_only: bool, timeout: float = 120.0) -> duckdb.DuckDBPyConnection:
    # DuckDB allows one writing process per file, and any other client (even read-only) blocks a writer: an
    # analyst's session holding the file delays the run, with a message while it waits, and fails it only after
    # `timeout` seconds (nothing fetched is lost: raw bytes are archived before loading).
    delay, waited, told = 0.1, 0.0, False
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if waited >= timeout:
                raise DatabaseLocked(
                    f"{path} is held by another process ({str(exc).splitlines()[0][:200]}); gave up after "
                    f"{timeout:.0f} s (MEETWIRE_DB_LOCK_TIMEOUT). Close other DuckDB clients of this file, or read "
                    f"an export (`meetwire export`), and run again.") from exc
            if not told:
                log.warning("waiting for another process to release %s (up to %.0f s)", path, timeout)
                told = True
            time.sleep(min(delay, max(0.0, timeout - waited)))
            waited += delay
            delay = min(delay * 2, 2.0)


@contextlib.contextmanager
def connect(settings: Settings | None = None, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A migrated connection to the settings' DuckDB file, closed on exit."""
    settings = settings or get_settings()
    if not read_only:
        settings.db.parent.mkdir(parents=True, exist_ok=True)
    con = _connect_with_retry(str(settings.db), read_only=read_only, timeout=settings.db_lock_timeout)
    try:
        if not read_only:
            migrate(con)
            create_views(con)
        yield con
    finally:
        con.close()


# Connections with an open `transaction`: an inner one joins the outer (DuckDB has no nested transactions), so a
# merge of several staged files can commit them all at once while each writer keeps its own `transaction` block.
_IN_TRANSACTION: set[int] = set()


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: a failed load leaves no partial rows. Inside another `transaction` on the same connection
    it is part of that one (an error rolls back the outer transaction when it reaches it)."""
    if id(con) in _IN_TRANSACTION:
        yield con
        return
    con.execute("BEGIN TRANSACTION")
    _IN_TRANSACTION.add(id(con))
    try:
        yield con
    except BaseException:
        _IN_TRANSACTION.discard(id(con))
        con.execute("ROLLBACK")
        raise
    else:
        _IN_TRANSACTION.discard(id(con))
        con.execute("COMMIT")
    finally:
        _IN_TRANSACTION.discard(id(con))


UPSERT_BATCH = 500


def upsert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: Iterable[Mapping[str, Any]],
    key: Sequence[str],
    update: Sequence[str] | None = None,
) -> int:
    """INSERT ... ON CONFLICT (key) DO UPDATE: re-running with the same rows changes nothing.

    `update` names the columns to overwrite on conflict (default: every non-key column); an empty list means
    "insert if missing, else leave alone".
    """
    rows = list(rows)
    if not rows:
        return 0
    columns = list(rows[0].keys())
    update = [c for c in columns if c not in key] if update is None else list(update)
    placeholders = "(" + ", ".join("?" for _ in columns) + ")"
    conflict = ", ".join(key)
    if update:
        action = "DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in update)
    else:
        action = "DO NOTHING"
    # One statement per batch of rows: DuckDB plans every statement, so a statement per row costs ~10 ms each. A
    # key may occur once per statement: as row by row, the last row for a key wins an update, the first an insert.
    by_key: dict[tuple, Mapping[str, Any]] = {}
    for row in rows:
        k = tuple(row[c] for c in key)
        if update or k not in by_key:
            by_key[k] = row
    unique = list(by_key.values())
    for start in range(0, len(unique), UPSERT_BATCH):
        batch = unique[start : start + UPSERT_BATCH]
        con.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([placeholders] * len(batch))}"
            f" ON CONFLICT ({conflict}) {action}",
            [row[c] for row in batch for c in columns],
        )
    return len(rows)


def quarantine(
    con: duckdb.DuckDBPyConnection,
    *,
    url: str | None,
    stage: str,
    reason: str,
    detail: str | None = None,
    run_id: str | None = None,
) -> None:
    """Record bad input with the reason; nothing is dropped silently. A failure already recorded for this
    (url, stage, reason) is counted on its row (n_seen, seen_at = last seen) rather than added again."""
    # INFO, not WARNING: every row is in the table and counted in the run summary; a run of thousands of pages
    # should not print one line each (the quarantine-rate check is what pages someone)
    log.info("quarantined %s at %s: %s %s", url, stage, reason, (detail or "")[:200])
    now, detail = utcnow(), (detail or "")[:4000]
    seen = con.execute(
        "UPDATE quarantine SET n_seen = n_seen + 1, seen_at = ?, detail = ?, run_id = coalesce(?, run_id)"
        " WHERE url IS NOT DISTINCT FROM ? AND stage = ? AND reason = ? RETURNING quarantine_id",
        [now, detail, run_id, url, stage, reason],
    ).fetchall()
    if not seen:
        con.execute(
            "INSERT INTO quarantine (url, stage, reason, detail, run_id, seen_at, first_seen_at, n_seen)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
            [url, stage, reason, detail, run_id, now, now],
        )


def table_counts(con: duckdb.DuckDBPyConnection, tables: Sequence[str]) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


# An analyst's connection: the file opened read-only, no file or network access from SQL, no extensions fetched
# or loaded behind the user's back, and the settings locked so a query cannot turn them back on.
READ_ONLY_CONFIG = {"enable_external_access": False, "autoinstall_known_extensions": False,
                    "autoload_known_extensions": False}


class ReadOnlyRefusal(RuntimeError):
    """A statement that a read-only analyst connection refuses (a write, a file, an extension)."""


@contextlib.contextmanager
def connect_read_only(settings: Settings | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A locked-down read-only connection for ad-hoc SQL (creates and migrates the file first if it is new)."""
    settings = settings or get_settings()
    if not settings.db.exists():
        with connect(settings):
            pass
    con = duckdb.connect(str(settings.db), read_only=True, config=READ_ONLY_CONFIG)
    try:
        con.execute("SET lock_configuration = true")
        yield con
    finally:
        con.close()


def split_statements(con: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    """The statements of a SQL text, comments allowed (DuckDB's own parser splits them)."""
    return [st.query for st in con.extract_statements(sql)]


def run_statements(settings: Settings, sql: str) -> list[tuple[str, list[str], list[tuple]]]:
    """For `meetwire sql`: every statement's (text, column names, rows), on a read-only connection."""
    out = []
    with connect_read_only(settings) as con:
        try:
            statements = split_statements(con, sql)
        except duckdb.Error as exc:
            raise ReadOnlyRefusal(f"cannot parse the SQL: {exc}") from exc
        for statement in statements:
            try:
                cur = con.execute(statement)
            except (duckdb.InvalidInputException, duckdb.PermissionException) as exc:
                raise ReadOnlyRefusal(f"refused (meetwire sql is read-only; use `meetwire export` for files): "
                                      f"{str(exc).splitlines()[0]}") from exc
            names = [d[0] for d in cur.description] if cur.description else []
            out.append((statement.strip(), names, cur.fetchall() if cur.description else []))
    return out


def run_sql(settings: Settings, query: str) -> tuple[list[str], list[tuple]]:
    """The last statement's column names and rows (read-only)."""
    results = run_statements(settings, query)
    return (results[-1][1], results[-1][2]) if results else ([], [])


def export(settings: Settings, directory: Path, fmt: str = "parquet") -> list[Path]:
    """Every table and view of the database to ``directory`` as Parquet or CSV files (one per object)."""
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"unknown export format {fmt!r} (parquet or csv)")
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    with connect(settings, read_only=settings.db.exists()) as con:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name"
        ).fetchall()]
        for name in names:
            path = directory / f"{name}.{fmt}"
            if fmt == "parquet":
                con.execute(f'COPY (SELECT * FROM "{name}") TO \'{path.as_posix()}\' (FORMAT parquet)')
            else:
                cols = con.execute(f'SELECT * FROM "{name}" LIMIT 0').description
                types = {r[0]: r[1] for r in con.execute(
                    "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?",
                    [name]).fetchall()}
                # lists as "a;b" text, like `meetwire sql --format csv`
                select = ", ".join(f'array_to_string("{c[0]}", \';\') AS "{c[0]}"' if types.get(c[0], "").endswith("[]")
                                   else f'"{c[0]}"' for c in cols)
                con.execute(f'COPY (SELECT {select} FROM "{name}") TO \'{path.as_posix()}\' (HEADER, DELIMITER \',\')')
            written.append(path)
    return written


def publish_snapshot(settings: Settings) -> Path | None:
    """MEETWIRE_EXPORT_DIR: every table and view as Parquet, written beside the folder and swapped in whole, so
    analysts read a complete snapshot of the last load while the pipeline holds the database. None when unset."""
    import shutil
    import uuid

    target = settings.export_dir
    if target is None:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    tag = uuid.uuid4().hex[:8]
    fresh, old = target.parent / f".{target.name}.new-{tag}", target.parent / f".{target.name}.old-{tag}"
    export(settings, fresh, "parquet")
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    log.info("snapshot for readers published to %s", target)
    return target
