"""Fixtures for the ingestion tests: a temp DuckDB/archive, fast HTTP settings, a local server, a fake cleaner."""

from __future__ import annotations

import types

import pytest

from ingest_support import FakeCleanError, LocalServer, fake_clean_document
from meetwire.settings import Settings


@pytest.fixture
def settings(tmp_path, monkeypatch) -> Settings:
    env = {
        "MEETWIRE_HOME": str(tmp_path),
        "MEETWIRE_DB": str(tmp_path / "t.duckdb"),
        "MEETWIRE_ARCHIVE_DIR": str(tmp_path / "raw"),
        "MEETWIRE_DOCS_DIR": str(tmp_path / "docs"),
        "MEETWIRE_FEEDS": str(tmp_path / "feeds.toml"),
        "MEETWIRE_ALLOW_PRIVATE_HOSTS": "127.0.0.1",
        "MEETWIRE_HTTP_CONNECT_TIMEOUT": "1",
        "MEETWIRE_HTTP_READ_TIMEOUT": "1",
        "MEETWIRE_HTTP_DEADLINE": "3",
        "MEETWIRE_HTTP_MAX_BYTES": str(1024 * 1024),
        "MEETWIRE_HTTP_RETRIES": "2",
        "MEETWIRE_HTTP_PER_HOST": "4",
        "MEETWIRE_HTTP_MIN_INTERVAL": "0",
        "MEETWIRE_HTTP_BACKOFF": "0.01",
        "MEETWIRE_HTTP_BACKOFF_MAX": "0.05",
        "MEETWIRE_HTTP_RETRY_AFTER_SLEEP_MAX": "1.0",
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    return Settings()


@pytest.fixture
def server():
    srv = LocalServer()
    yield srv
    srv.close()


@pytest.fixture
def fake_clean(monkeypatch):
    from meetwire import ingest

    module = types.SimpleNamespace(clean_document=fake_clean_document, CleanError=FakeCleanError)
    monkeypatch.setattr(ingest, "_clean_module", lambda: module)
    return module
