"""Shared fixtures: every test gets its own DuckDB file, archive and docs directory through MEETWIRE_* variables."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"
SEEDS_DIR = REPO_ROOT / "seeds"

# GX phones home unless told not to; nothing in the tests may touch the network.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


def _point_at_tmp(tmp_path, monkeypatch) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("MEETWIRE_DB", str(data / "meetwire.duckdb"))
    monkeypatch.setenv("MEETWIRE_ARCHIVE_DIR", str(data / "raw"))
    monkeypatch.setenv("MEETWIRE_DOCS_DIR", str(data / "docs"))
    for name in ("MEETWIRE_ALERT_WEBHOOK", "MEETWIRE_SLACK_WEBHOOK", "MEETWIRE_ALERT_EMAIL", "MEETWIRE_STORE",
                 "MEETWIRE_DUCKLAKE_CATALOG", "MEETWIRE_DUCKLAKE_DATA"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def mw_env(tmp_path, monkeypatch):
    """Point meetwire at a temporary data directory; returns the Settings it now reads."""
    from meetwire.settings import get_settings

    _point_at_tmp(tmp_path, monkeypatch)
    return get_settings()


# The DuckLake tests need the PostgreSQL of this machine; they fail (never skip) without it.
TEST_PG = os.environ.get("MEETWIRE_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=postgres")


# scope "package" on this top folder of the tests: built once per test process, torn down after its last test
@pytest.fixture(scope="package")
def lake_catalog(tmp_path_factory):
    """One DuckLake catalog per test process: a new PostgreSQL database and data folder, dropped at the end.
    Attaching and migrating a catalog costs seconds, so tests share it and `store_env` empties its tables."""
    import uuid

    import psycopg2
    from psycopg2.extensions import make_dsn

    from meetwire import store_backends

    try:
        admin = psycopg2.connect(TEST_PG, connect_timeout=5)
    except psycopg2.OperationalError as exc:
        pytest.fail(f"the DuckLake tests need PostgreSQL ({TEST_PG!r}, MEETWIRE_TEST_PG): {exc}", pytrace=False)
    admin.autocommit = True
    name = f"meetwire_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_dsn(TEST_PG, dbname=name), tmp_path_factory.mktemp("lake-data")
    finally:
        store_backends.close_lakes()
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def use_lake(request, monkeypatch, empty: bool = True):
    """Point meetwire at the shared test catalog, emptied of rows (the schema and ledger stay)."""
    from meetwire import store
    from meetwire.settings import get_settings

    catalog, data = request.getfixturevalue("lake_catalog")
    monkeypatch.setenv("MEETWIRE_STORE", "ducklake")
    monkeypatch.setenv("MEETWIRE_DUCKLAKE_CATALOG", catalog)
    monkeypatch.setenv("MEETWIRE_DUCKLAKE_DATA", str(data))
    settings = get_settings()
    if empty:
        with store.connect(settings) as con:
            # the catalog's row counts (deleted rows may still count: then a table is emptied twice, no harm)
            used = [r[0] for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
                " AND table_name <> 'schema_migrations' AND coalesce(estimated_size, 1) > 0").fetchall()]
            if used:  # a DELETE is a commit on the lake: only where rows are
                with store.transaction(con):
                    for table in used:
                        con.execute(f"DELETE FROM {table}")
    return settings


@pytest.fixture
def lake_env(request, tmp_path, monkeypatch):
    """mw_env on the shared DuckLake test catalog (emptied)."""
    _point_at_tmp(tmp_path, monkeypatch)
    return use_lake(request, monkeypatch)


@pytest.fixture(params=["duckdb", "ducklake"])
def store_env(request, tmp_path, monkeypatch):
    """mw_env on each storage backend: the DuckDB file, then the DuckLake catalog on PostgreSQL."""
    from meetwire.settings import get_settings

    _point_at_tmp(tmp_path, monkeypatch)
    if request.param == "ducklake":
        return use_lake(request, monkeypatch)
    return get_settings()


@pytest.fixture
def shared_dir():
    if not SHARED_DIR.exists():
        pytest.skip(f"{SHARED_DIR} is not beside the repository")
    return SHARED_DIR


@pytest.fixture
def seeds_dir():
    return SEEDS_DIR


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """`make test` spreads tests over processes test by test (pytest-xdist `--dist loadgroup`); a module whose tests
    share a module-scoped fixture (a seeded database, a scored corpus) stays in one process, so that fixture is
    built once."""
    for item in items:
        if item.get_closest_marker("scheduler") or item.get_closest_marker("distributed"):
            # the two tests that start whole Airflow deployments run one after the other: side by side on two
            # cores each slows the other down by half
            item.add_marker(pytest.mark.xdist_group("airflow-deployments"))
            continue
        defs = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {}) or {}
        if any(fd.scope == "module" for fds in defs.values() for fd in fds):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))
