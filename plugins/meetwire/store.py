"""DuckDB: the connection, the migrations ledger, views, and transactional idempotent upserts.

Schema changes live in numbered files under `sql/migrations/`; each is applied once, in order, inside a
transaction, and recorded in `schema_migrations` with its checksum (an edited, already-applied migration is an
error, not a silent drift). Views under `sql/views/` are re-created on every connect, so they always match the code.

The same calls serve both backends of MEETWIRE_STORE (the DuckDB file, or a DuckLake catalog on PostgreSQL); what
differs between them lives in `store_backends`.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from meetwire import store_backends as backends
from meetwire.ids import sha256_hex
from meetwire.settings import PROJECT_ROOT, Settings, get_settings

log = logging.getLogger(__name__)

SQL_DIR = PROJECT_ROOT / "sql"
MIGRATIONS_DIR = SQL_DIR / "migrations"
VIEWS_DIR = SQL_DIR / "views"


location = backends.location


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


def _migration_texts(directory: Path) -> list[tuple[int, str, str]]:
    return [(v, name, path.read_text(encoding="utf-8")) for v, name, path in migration_files(directory)]


@functools.lru_cache(maxsize=1)
def _default_model() -> backends.SchemaModel:
    return backends.schema_model(_migration_texts(MIGRATIONS_DIR))


def table_keys() -> dict[str, backends.TableKeys]:
    """Each table's PRIMARY KEY and UNIQUE columns, as the migrations declare them (read once per process)."""
    return dict(_default_model().keys)


def migrate(con: duckdb.DuckDBPyConnection, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply pending migrations in order; return the names applied. On DuckLake each runs as
    `store_backends.schema_model` rewrites it (no sequences, indexes or key constraints there); the ledger keeps
    the checksum of the file either way."""
    lake = backends.is_lake(con)
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        f" version INTEGER {'NOT NULL' if lake else 'PRIMARY KEY'}, name VARCHAR NOT NULL, checksum VARCHAR NOT NULL,"
        " applied_at TIMESTAMPTZ NOT NULL)"
    )
    applied = {v: c for v, c in con.execute("SELECT version, checksum FROM schema_migrations").fetchall()}
    done = []
    texts = _migration_texts(directory)
    model = None
    for version, name, sql in texts:
        checksum = sha256_hex(sql)
        if version in applied:
            if applied[version] != checksum:
                raise MigrationError(
                    f"migration {name} was changed after it was applied; add a new migration instead"
                )
            continue
        if lake and model is None:
            model = backends.schema_model(texts)
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(model.lake_sql[version] if lake else sql)
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
    paths = sorted(directory.glob("*.sql"))
    if not backends.is_lake(con):
        for path in paths:
            con.execute(path.read_text(encoding="utf-8"))
        return
    texts = {path.stem: path.read_text(encoding="utf-8") for path in paths}
    stale = backends.stale_views(con, {name: sha256_hex(sql) for name, sql in texts.items()})
    if stale:
        with transaction(con):  # one snapshot for all of them
            for name, checksum in stale.items():
                con.execute(texts[name])
                con.execute(f"COMMENT ON VIEW {name} IS '{backends.VIEW_MARK}{checksum}'")


class DatabaseLocked(RuntimeError):
    """Another process held the DuckDB file for longer than MEETWIRE_DB_LOCK_TIMEOUT."""


def _connect_with_retry(path: str, read_only: bool, timeout: float = 120.0) -> duckdb.DuckDBPyConnection:
    # The file backend only (DuckLake takes no file lock: its commits are checked against each other in the catalog,
    # retried by DuckLake on a clash it can resolve, and a true conflict raises duckdb.TransactionException).
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
    """A migrated connection to the settings' DuckDB file (or DuckLake catalog), closed on exit."""
    settings = settings or get_settings()
    if settings.store == backends.DUCKLAKE:
        with _lake(settings, read_only) as con:
            yield con
        return
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
def _lake(settings: Settings, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    if read_only and not lake_initialised(settings):
        with _lake(settings, read_only=False):  # a new catalog is created and migrated first, as a new file is
            pass
    con, key, needs_migrating = backends.lake_cursor(settings, read_only)
    try:
        if needs_migrating:
            migrate(con)
            create_views(con)
            backends.mark_migrated(key)
        yield con
    finally:
        con.close()


def lake_initialised(settings: Settings) -> bool:
    """Whether the DuckLake catalog has been migrated (a read-only attach cannot create it)."""
    try:
        con, _, _ = backends.lake_cursor(settings, read_only=True)
    except backends.LakeUnavailable:  # a read-only attach cannot initialise a new catalog
        return False
    try:
        return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database()"
                                " AND table_name = 'schema_migrations'").fetchone()[0])
    finally:
        con.close()


def initialised(settings: Settings) -> bool:
    """Whether the store exists yet (the file, or a migrated catalog)."""
    return lake_initialised(settings) if settings.store == backends.DUCKLAKE else settings.db.exists()


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
    key: Sequence[str] | None = None,
    update: Sequence[str] | Mapping[str, str] | None = None,
) -> int:
    """Insert rows, or update the stored row of the same key: re-running with the same rows changes nothing.
    INSERT ... ON CONFLICT on the DuckDB file, MERGE INTO on DuckLake (which enforces no keys: this call does).

    `key` defaults to the table's PRIMARY KEY in the migrations and must be one the migrations declare. `update`
    names the columns to overwrite on conflict (default: every non-key column), or maps them to an expression over
    `excluded.<col>` (the new row) and `<table>.<col>` (the stored one); an empty list means "insert if missing,
    else leave alone".
    """
    rows = list(rows)
    if not rows:
        return 0
    key = _upsert_key(table, key)
    columns = list(rows[0].keys())
    if update is None:
        update = [c for c in columns if c not in key]
    update = dict(update) if isinstance(update, Mapping) else {c: f"excluded.{c}" for c in update}
    lake = backends.is_lake(con)
    # One statement per batch of rows: DuckDB plans every statement, so a statement per row costs ~10 ms each. A
    # key may occur once per statement: as row by row, the last row for a key wins an update, the first an insert.
    by_key: dict[tuple, Mapping[str, Any]] = {}
    for row in rows:
        k = tuple(row[c] for c in key)
        if update or k not in by_key:
            by_key[k] = row
    unique = list(by_key.values())
    if lake:
        _check_other_keys(con, table, unique, key)
    for start in range(0, len(unique), UPSERT_BATCH):
        batch = unique[start : start + UPSERT_BATCH]
        con.execute(backends.upsert_sql(lake, table, columns, key, update, len(batch)),
                    [row[c] for row in batch for c in columns])
    return len(rows)


def _upsert_key(table: str, key: Sequence[str] | None) -> list[str]:
    declared = table_keys().get(table)
    if key is None:
        if declared is None or not declared.primary:
            raise ValueError(f"{table} declares no PRIMARY KEY in sql/migrations: name the key")
        return list(declared.primary)
    if declared is not None and sorted(key) not in [sorted(k) for k in declared.all()]:
        raise ValueError(f"{table} is keyed on {[list(k) for k in declared.all()]} in sql/migrations, not {list(key)}")
    return list(key)


def _check_other_keys(con: duckdb.DuckDBPyConnection, table: str, rows: list[Mapping[str, Any]],
                      key: list[str]) -> None:
    """The UNIQUE keys besides the one upserted on (articles.canonical_url): the file refuses a clash with a
    constraint error, which a load quarantines; on DuckLake this check raises the same error."""
    declared = table_keys().get(table)
    for other in declared.all() if declared else ():
        if sorted(other) == sorted(key) or not set(other) <= set(rows[0]):
            continue
        clash = backends.other_key_clash(con, table, rows, key, other)
        if clash is not None:
            raise duckdb.ConstraintException(
                f"Constraint Error: duplicate key {dict(zip(other, clash))} violates the unique key {list(other)} of "
                f"{table} (kept by meetwire: DuckLake enforces no keys)")


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
    # the count of updated rows, not RETURNING: DuckLake has no RETURNING on UPDATE
    (seen,) = con.execute(
        "UPDATE quarantine SET n_seen = n_seen + 1, seen_at = ?, detail = ?, run_id = coalesce(?, run_id)"
        " WHERE url IS NOT DISTINCT FROM ? AND stage = ? AND reason = ?",
        [now, detail, run_id, url, stage, reason],
    ).fetchone()
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
    if not initialised(settings):
        with connect(settings):
            pass
    if settings.store == backends.DUCKLAKE:  # its own instance: the settings below are locked for good
        con = backends.open_lake_read_only(settings, READ_ONLY_CONFIG)
    else:
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
    lake = settings.store == backends.DUCKLAKE
    with connect_read_only(settings) as con:
        try:
            parsed = con.extract_statements(sql)
        except duckdb.Error as exc:
            raise ReadOnlyRefusal(f"cannot parse the SQL: {exc}") from exc
        for item in parsed:
            statement = item.query
            reason = backends.lake_refusal(con, item) if lake else None
            if reason:
                raise ReadOnlyRefusal(f"refused (meetwire sql is read-only; use `meetwire export` for files): {reason}")
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
    with connect(settings, read_only=initialised(settings)) as con:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            " AND table_catalog = current_database() ORDER BY table_name"
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
