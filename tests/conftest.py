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


@pytest.fixture
def mw_env(tmp_path, monkeypatch):
    """Point meetwire at a temporary data directory; returns the Settings it now reads."""
    from meetwire.settings import get_settings

    data = tmp_path / "data"
    monkeypatch.setenv("MEETWIRE_DB", str(data / "meetwire.duckdb"))
    monkeypatch.setenv("MEETWIRE_ARCHIVE_DIR", str(data / "raw"))
    monkeypatch.setenv("MEETWIRE_DOCS_DIR", str(data / "docs"))
    for name in ("MEETWIRE_ALERT_WEBHOOK", "MEETWIRE_SLACK_WEBHOOK", "MEETWIRE_ALERT_EMAIL"):
        monkeypatch.delenv(name, raising=False)
    return get_settings()


@pytest.fixture
def shared_dir():
    if not SHARED_DIR.exists():
        pytest.skip(f"{SHARED_DIR} is not beside the repository")
    return SHARED_DIR


@pytest.fixture
def seeds_dir():
    return SEEDS_DIR
