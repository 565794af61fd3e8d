"""`meetwire bench store`: the DuckDB file and a DuckLake catalog side by side in one run.

Each backend gets a new store in a temporary folder (for DuckLake, a new PostgreSQL database, dropped afterwards):
the seeds through ingest and extract (spaCy loaded before either is timed), a batch upsert of generated actors
(insert, then update), single-row upserts in one transaction (what load_event does per participant), ten
connects, and the sql/examples queries (on a warm connection, and through `meetwire sql`). Seconds are of this machine at this moment; read the ratios.
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
import uuid
from pathlib import Path

from meetwire import pipeline, store, store_backends
from meetwire.settings import PROJECT_ROOT, get_settings


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return round(time.perf_counter() - t0, 4)


def _actors(n: int, tag: str) -> list[dict]:
    now = store.utcnow()
    return [{"actor_id": f"bench-{i}", "name": f"Actor {i} {tag}", "title": "Minister", "organization": None,
             "country": "FR", "updated_at": now} for i in range(n)]


def _measure(settings, rows: int, singles: int) -> dict:
    out = {"seed_ingest_extract_s": _timed(lambda: (pipeline.ingest(settings), pipeline.extract(settings)))}
    with store.connect(settings) as con:
        out["events"] = con.execute("SELECT count(*) FROM events").fetchone()[0]

    def batch(tag):
        with store.connect(settings) as con, store.transaction(con):
            store.upsert(con, "actors", _actors(rows, tag))

    out[f"upsert_{rows}_new_rows_s"] = _timed(lambda: batch("a"))
    out[f"upsert_{rows}_changed_rows_s"] = _timed(lambda: batch("b"))

    def one_by_one():
        with store.connect(settings) as con, store.transaction(con):
            for row in _actors(singles, "c"):
                store.upsert(con, "actors", [row])

    out[f"upsert_{singles}_single_rows_s"] = _timed(one_by_one)

    def connects():
        for _ in range(10):
            with store.connect(settings) as con:
                con.execute("SELECT 1").fetchall()

    out["connect_x10_s"] = _timed(connects)
    examples = sorted((PROJECT_ROOT / "sql" / "examples").glob("*.sql"))
    texts = [p.read_text() for p in examples]

    def warm():
        with store.connect(settings, read_only=True) as con:
            for text in texts:
                for statement in con.extract_statements(text):
                    con.execute(statement.query).fetchall()

    out["examples_warm_connection_s"] = _timed(warm)
    # what an analyst waits for: `meetwire sql` opens a new locked-down connection per call
    out["examples_via_meetwire_sql_s"] = _timed(lambda: [store.run_statements(settings, t) for t in texts])
    return out


def run_store_bench(admin_dsn: str, rows: int = 5000, singles: int = 200) -> dict:
    import psycopg2
    from psycopg2.extensions import make_dsn

    from meetwire.extract.nlp import get_nlp

    get_nlp()  # loaded once, before either backend is timed
    name = f"meetwire_bench_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(admin_dsn, connect_timeout=5)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory(prefix="meetwire-bench-store-") as tmp:
            base = get_settings()
            result = {}
            for backend in ("duckdb", "ducklake"):
                data = Path(tmp) / backend
                settings = dataclasses.replace(
                    base, store=backend, db=data / "meetwire.duckdb", archive_dir=data / "raw", docs_dir=data / "docs",
                    staging_dir=data / "staging", export_dir=None, ducklake_catalog=make_dsn(admin_dsn, dbname=name),
                    ducklake_data=data / "lake")
                settings.ensure_dirs()
                result[backend] = _measure(settings, rows, singles)
            store_backends.close_lakes()
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    result["lake_over_file"] = {k: round(v / result["duckdb"][k], 2) for k, v in result["ducklake"].items()
                                if k.endswith("_s") and result["duckdb"][k]}
    return result
