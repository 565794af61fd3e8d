"""Where the tables live, and every difference between the two places (MEETWIRE_STORE):

* `duckdb` (default): the file MEETWIRE_DB. One writing process at a time; keys enforced by the file's constraints.
* `ducklake`: a DuckLake catalog in the PostgreSQL database MEETWIRE_DUCKLAKE_CATALOG (a libpq string) with the
  rows in Parquet files under MEETWIRE_DUCKLAKE_DATA. Several processes may read and write at once (DuckLake
  commits snapshots in the catalog). DuckLake has no sequences, indexes or PRIMARY KEY/UNIQUE constraints: the
  migrations are replayed without them (`lake_migration_sql`) and `upsert` keeps the keys with MERGE INTO.

`store.py` calls in here for connecting, the migration transform, the upsert statements and the read-only guard;
nothing else in the library needs to know which backend it writes to. The DuckDB extensions come from the
`duckdb-extension-*` wheels pinned in uv.lock and are never fetched.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
import threading
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from meetwire.settings import Settings, mask_catalog

DUCKDB, DUCKLAKE = "duckdb", "ducklake"
# The catalog's name inside DuckDB (callers tell the backends apart by the attached type, not by this name).
LAKE = "meetwire_lake"
EXTENSION_PACKAGES = ("duckdb_extension_postgres_scanner", "duckdb_extension_ducklake")
NO_FETCH = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


class LakeUnavailable(RuntimeError):
    """The DuckLake catalog could not be attached (PostgreSQL down, wrong connection string, missing extension)."""


# --- connecting -----------------------------------------------------------------------------------------------


def extension_file(package: str) -> Path:
    """The extension binary shipped in a `duckdb-extension-*` wheel, for the DuckDB version installed."""
    spec = importlib.util.find_spec(package)
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        found = sorted((Path(folder) / "extensions" / f"v{duckdb.__version__}").glob("*.duckdb_extension"))
        if found:
            return found[0]
    raise LakeUnavailable(f"no {package} extension for DuckDB {duckdb.__version__} is installed (make install)")


masked = mask_catalog


def location(settings: Settings) -> str:
    if settings.store == DUCKLAKE:
        return f"ducklake:postgres:{masked(settings.ducklake_catalog)} (data {settings.ducklake_data})"
    return str(settings.db)


def _data_path(settings: Settings) -> str:
    return settings.ducklake_data.as_posix().rstrip("/") + "/"


def open_lake(settings: Settings, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB with the catalog attached as `meetwire_lake` and selected (USE)."""
    con = duckdb.connect(config=dict(NO_FETCH))
    try:
        for package in EXTENSION_PACKAGES:
            con.load_extension(str(extension_file(package)))
        if not read_only:
            settings.ducklake_data.mkdir(parents=True, exist_ok=True)
        catalog = settings.ducklake_catalog.replace("'", "''")
        options = [f"DATA_PATH '{_data_path(settings)}'"] + (["READ_ONLY"] if read_only else [])
        try:
            con.execute(f"ATTACH 'ducklake:postgres:{catalog}' AS {LAKE} ({', '.join(options)})")
        except duckdb.Error as exc:
            raise LakeUnavailable(
                f"cannot attach the DuckLake catalog {masked(settings.ducklake_catalog)!r} "
                f"(MEETWIRE_DUCKLAKE_CATALOG): {str(exc).splitlines()[0][:300]}") from exc
        con.execute(f"USE {LAKE}")
    except BaseException:
        con.close()
        raise
    return con


# Attaching costs about half a second (extensions, catalog), and a run connects dozens of times: a process keeps one
# attached instance per (catalog, data folder, mode) and hands out cursors, which are closed after each use like a
# file connection. Unlike the file, nothing here is locked against other processes, so keeping it open costs them
# nothing. A forked child never touches its parent's instance (it would share the PostgreSQL sockets).
_LAKES: dict[tuple, duckdb.DuckDBPyConnection] = {}
_MIGRATED: set[tuple] = set()
_FORKED_AWAY: list = []  # a child keeps these referenced so their sockets are never closed from there
_LAKES_LOCK = threading.Lock()
MAX_LAKES = 4


def _forget_after_fork() -> None:
    _FORKED_AWAY.extend(_LAKES.values())
    _LAKES.clear()
    _MIGRATED.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


def lake_cursor(settings: Settings, read_only: bool) -> tuple[duckdb.DuckDBPyConnection, tuple, bool]:
    """(cursor on the process's attached catalog, its cache key, whether it still needs migrating)."""
    key = (settings.ducklake_catalog, _data_path(settings), read_only)
    with _LAKES_LOCK:
        base = _LAKES.get(key)
        if base is None:
            while len(_LAKES) >= MAX_LAKES:
                old_key = next(iter(_LAKES))
                _LAKES.pop(old_key).close()
                _MIGRATED.discard(old_key)
            base = _LAKES[key] = open_lake(settings, read_only)
        cur = base.cursor()
    cur.execute(f"USE {LAKE}")  # a cursor starts on DuckDB's own in-memory database
    return cur, key, key not in _MIGRATED and not read_only


def mark_migrated(key: tuple) -> None:
    _MIGRATED.add(key)


def close_lakes() -> None:
    """Close every cached catalog connection of this process (before dropping a catalog database, in tests)."""
    with _LAKES_LOCK:
        for con in _LAKES.values():
            con.close()
        _LAKES.clear()
        _MIGRATED.clear()


_KINDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def is_lake(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether this connection writes to a DuckLake catalog (read from the connection, so every caller that holds
    one, store.upsert included, picks the right dialect without being told). Remembered per connection: on the lake
    every statement starts by asking PostgreSQL for the snapshot, a few milliseconds."""
    kind = _KINDS.get(con)
    if kind is None:
        row = con.execute("SELECT type FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
        kind = _KINDS[con] = row[0] if row else DUCKDB
    return kind == DUCKLAKE


# --- the schema: keys, and the migrations as DuckLake takes them ---------------------------------------------------


@dataclass(frozen=True)
class TableKeys:
    primary: tuple[str, ...]
    unique: tuple[tuple[str, ...], ...] = ()

    def all(self) -> tuple[tuple[str, ...], ...]:
        return ((self.primary,) if self.primary else ()) + self.unique


@dataclass(frozen=True)
class SchemaModel:
    keys: Mapping[str, TableKeys]
    lake_sql: Mapping[int, str]


_SKIPPED_ON_LAKE = re.compile(
    r"^(CREATE\s+(OR\s+REPLACE\s+)?(TEMP(ORARY)?\s+)?SEQUENCE\b"
    r"|CREATE\s+(UNIQUE\s+)?INDEX\b"
    r"|DROP\s+(SEQUENCE|INDEX)\b"
    r"|ALTER\s+TABLE\s+\S+\s+ADD\s+(CONSTRAINT\s+\S+\s+)?(PRIMARY\s+KEY|UNIQUE)\b)",
    re.I)


def _head(sql: str) -> str:
    """The statement without its leading comment lines (DuckDB 1.5 keeps them in a statement's text)."""
    return re.sub(r"^(\s*--[^\n]*\n)*\s*", "", sql)


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'memory'").fetchall()}


# DuckLake has no sequences: a sequence's column gets a random 62-bit id instead, drawn per row, so writers at once
# practically never pick the same one (a max()+1 would, and nothing in the lake refuses a duplicate). Such ids do
# not grow with time: order by a timestamp, never by them.
RANDOM_ID = "CAST(random() * 4611686018427387904 AS BIGINT)"


def _plain_create(scratch: duckdb.DuckDBPyConnection, table: str, if_not_exists: bool) -> str:
    """CREATE TABLE with the columns, types, NOT NULLs and defaults DuckDB parsed, without key constraints, and a
    random id for a sequence default (read back from DuckDB's catalog rather than edited as text)."""
    cols = []
    for name, dtype, nullable, default in scratch.execute(
            "SELECT column_name, data_type, is_nullable, column_default FROM duckdb_columns()"
            " WHERE database_name = 'memory' AND table_name = ? ORDER BY column_index", [table]).fetchall():
        col = f'"{name}" {dtype}' + ("" if nullable else " NOT NULL")
        if default is not None and "nextval" in default.lower():
            if dtype in ("BIGINT", "HUGEINT", "UBIGINT"):
                col += f" DEFAULT {RANDOM_ID}"
        elif default is not None:
            col += f" DEFAULT {default}"
        cols.append(col)
    return f"CREATE TABLE {'IF NOT EXISTS ' if if_not_exists else ''}{table} ({', '.join(cols)})"


def schema_model(migrations: Sequence[tuple[int, str, str]]) -> SchemaModel:
    """Replay the migrations (version, name, sql) in an in-memory DuckDB: the key of every table (its PRIMARY KEY
    and UNIQUE declarations) and each migration's SQL for DuckLake, where

    * CREATE SEQUENCE / INDEX and ALTER TABLE ... ADD PRIMARY KEY/UNIQUE are left out,
    * a CREATE TABLE with key constraints or a nextval() default is rebuilt without them (NOT NULL and other
      defaults kept; a nextval() default becomes RANDOM_ID), and
    * every other statement runs as written (ALTER TABLE ADD COLUMN, UPDATE ... FROM, lists and structs all work).

    The ledger records the checksum of the file itself, so both backends agree on what was applied."""
    return _schema_model(tuple(migrations))


@functools.lru_cache(maxsize=8)
def _schema_model(migrations: tuple[tuple[int, str, str], ...]) -> SchemaModel:
    lake_sql: dict[int, str] = {}
    with duckdb.connect() as scratch:
        for version, _name, sql in migrations:
            out = []
            for statement in scratch.extract_statements(sql):
                text = statement.query.strip().rstrip(";")
                head = _head(text)
                creates = re.match(r"CREATE\s+(OR\s+REPLACE\s+)?TABLE\b", head, re.I)
                before = _tables(scratch) if creates else set()
                scratch.execute(text)
                if _SKIPPED_ON_LAKE.match(head):
                    out.append(f"-- left out on DuckLake: {head.splitlines()[0][:100]}\n")
                    continue
                created = _tables(scratch) - before if creates else set()
                if len(created) == 1:
                    table = created.pop()
                    n_keys = scratch.execute(
                        "SELECT count(*) FROM duckdb_constraints() WHERE database_name = 'memory' AND table_name = ?"
                        " AND constraint_type NOT IN ('NOT NULL')", [table]).fetchone()[0]
                    has_seq = scratch.execute(
                        "SELECT count(*) FROM duckdb_columns() WHERE database_name = 'memory' AND table_name = ?"
                        " AND column_default ILIKE '%nextval%'", [table]).fetchone()[0]
                    if n_keys or has_seq:
                        out.append(_plain_create(scratch, table, bool(re.search(r"\bIF\s+NOT\s+EXISTS\b", head, re.I)))
                                   + ";\n")
                        continue
                out.append(text + ";\n")
            lake_sql[version] = "".join(out)
        keys: dict[str, dict] = {}
        for table, kind, columns in scratch.execute(
                "SELECT table_name, constraint_type, constraint_column_names FROM duckdb_constraints()"
                " WHERE database_name = 'memory' AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')"
                " ORDER BY table_name, constraint_index").fetchall():
            entry = keys.setdefault(table, {"primary": (), "unique": []})
            if kind == "PRIMARY KEY":
                entry["primary"] = tuple(columns)
            elif tuple(columns) not in entry["unique"]:
                entry["unique"].append(tuple(columns))
    return SchemaModel(keys={t: TableKeys(e["primary"], tuple(e["unique"])) for t, e in keys.items()},
                       lake_sql=lake_sql)


# --- upserts -------------------------------------------------------------------------------------------------------


def upsert_sql(lake: bool, table: str, columns: Sequence[str], key: Sequence[str], update: Mapping[str, str],
               n_rows: int) -> str:
    """One statement for n_rows rows of `columns`: INSERT ... ON CONFLICT on the file, MERGE INTO on DuckLake.
    `update` maps each column to overwrite on a match to its new value, an expression that may read the new row as
    `excluded.<col>` and the stored one as `<table>.<col>` (the same text serves both statements); empty: insert if
    missing, else leave alone."""
    row = "(" + ", ".join("?" for _ in columns) + ")"
    values = ", ".join([row] * n_rows)
    sets = ", ".join(f"{c} = {expr}" for c, expr in update.items())
    if not lake:
        action = f"DO UPDATE SET {sets}" if update else "DO NOTHING"
        return (f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values}"
                f" ON CONFLICT ({', '.join(key)}) {action}")
    on = " AND ".join(f"{table}.{k} = excluded.{k}" for k in key)
    matched = f" WHEN MATCHED THEN UPDATE SET {sets}" if update else ""
    return (f"MERGE INTO {table} USING (VALUES {values}) AS excluded({', '.join(columns)}) ON {on}{matched}"
            f" WHEN NOT MATCHED THEN INSERT ({', '.join(columns)}) VALUES ({', '.join('excluded.' + c for c in columns)})")


def other_key_clash(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Mapping], key: Sequence[str],
                    other: Sequence[str]) -> tuple | None:
    """DuckLake enforces no UNIQUE constraint: a row whose `other` key belongs to a stored row with a different
    `key`, or to another row of the batch, is found here (the file refuses it with a constraint error)."""
    seen: dict[tuple, tuple] = {}
    for row in rows:
        k, o = tuple(row[c] for c in key), tuple(row[c] for c in other)
        if None in o:
            continue
        if seen.setdefault(o, k) != k:
            return o
    if not seen:
        return None
    cols = list(other) + list(key)
    row_ph = "(" + ", ".join("?" for _ in cols) + ")"
    found = con.execute(
        f"SELECT {', '.join('t.' + c for c in other)} FROM {table} t JOIN (VALUES {', '.join([row_ph] * len(seen))})"
        f" AS s({', '.join(cols)}) ON {' AND '.join(f't.{c} = s.{c}' for c in other)}"
        f" WHERE NOT ({' AND '.join(f't.{c} IS NOT DISTINCT FROM s.{c}' for c in key)}) LIMIT 1",
        [v for o, k in seen.items() for v in (*o, *k)]).fetchone()
    return tuple(found) if found else None


# --- views ---------------------------------------------------------------------------------------------------------

VIEW_MARK = "meetwire view "


def stale_views(con: duckdb.DuckDBPyConnection, views: Mapping[str, str]) -> dict[str, str]:
    """On DuckLake every CREATE is a commit (a snapshot, and a conflict with another process creating it at the same
    moment), so a view is re-created only when its text changed: each carries its checksum as its comment."""
    stored = dict(con.execute("SELECT view_name, comment FROM duckdb_views() WHERE database_name = current_database()"
                              ).fetchall())
    return {name: checksum for name, checksum in views.items() if stored.get(name) != VIEW_MARK + checksum}


# --- the analyst's read-only connection ----------------------------------------------------------------------------

# The catalog's PostgreSQL connection is reachable from SQL through the postgres extension's functions (with a
# superuser role, postgres_execute can even run programs on the database server) and DuckLake's maintenance
# functions delete files; neither is a query. A read-only analyst connection to the lake runs queries only.
_DENIED_PREFIXES = ("postgres_", "pg_clear_cache")
_DENIED = {"query", "query_table", "ducklake_add_data_files", "ducklake_cleanup_old_files",
           "ducklake_delete_orphaned_files", "ducklake_expire_snapshots", "ducklake_flush_inlined_data",
           "ducklake_merge_adjacent_files", "ducklake_rewrite_data_files", "ducklake_set_option",
           "ducklake_set_commit_message", "ducklake_commit"}
_EXPLAIN = re.compile(r"^EXPLAIN(\s+ANALYZE)?\s+", re.I)


def open_lake_read_only(settings: Settings, config: Mapping[str, object]) -> duckdb.DuckDBPyConnection:
    """The catalog attached READ_ONLY, then no file access beyond the data folder and no further ATTACH."""
    con = open_lake(settings, read_only=True)
    try:
        data = _data_path(settings).replace("'", "''")
        con.execute(f"SET allowed_directories = ['{data}']")  # the Parquet files, nothing else
        for name, value in config.items():
            con.execute(f"SET {name} = {'true' if value is True else 'false' if value is False else repr(value)}")
    except BaseException:
        con.close()
        raise
    return con


def _walk(node, out: dict[str, set[str]]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("function_name", "catalog_name", "catalog") and isinstance(v, str) and v:
                out.setdefault(k, set()).add(v.lower())
            else:
                _walk(v, out)
    elif isinstance(node, list):
        for v in node:
            _walk(v, out)


def lake_refusal(con: duckdb.DuckDBPyConnection, statement) -> str | None:
    """Why a statement may not run on a read-only lake connection, or None. Only queries (SELECT, DESCRIBE, SHOW,
    SUMMARIZE, EXPLAIN of those) pass, and none that calls the PostgreSQL functions, dynamic SQL or lake
    maintenance, or names the catalog's own database."""
    text = _head(statement.query)
    if statement.type == duckdb.StatementType.EXPLAIN and _EXPLAIN.match(text):
        text = _EXPLAIN.sub("", text)
    elif statement.type != duckdb.StatementType.SELECT:
        return f"only queries run on the lake, not {statement.type.name}"
    tree = json.loads(con.execute("SELECT json_serialize_sql(?)", [text]).fetchone()[0])
    if tree.get("error"):
        return f"only queries run on the lake ({tree.get('error_message', 'not a query')})"
    names: dict[str, set[str]] = {}
    _walk(tree, names)
    denied = sorted(f for f in names.get("function_name", ()) if f in _DENIED or f.startswith(_DENIED_PREFIXES))
    if denied:
        return f"{', '.join(denied)} may not be called from meetwire sql"
    catalogs = names.get("catalog_name", set()) | names.get("catalog", set())
    if any(c.startswith("__ducklake_metadata") for c in catalogs):
        return "the catalog's own PostgreSQL database is not queryable from meetwire sql"
    return None
