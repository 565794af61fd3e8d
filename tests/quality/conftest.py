"""Fixtures for the quality tests (helpers live in dq_support.py)."""

from __future__ import annotations

import pytest
from dq_support import Receiver, SMTPServer, build_healthy_db

from meetwire import alerts


@pytest.fixture
def mw_env(store_env):
    """Every data-quality test runs on both storage backends."""
    return store_env


@pytest.fixture
def healthy_db(mw_env):
    ids = build_healthy_db(mw_env)
    return mw_env, ids


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch):
    monkeypatch.setattr(alerts, "RETRY_BACKOFF", 0.05)


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def smtp_server():
    s = SMTPServer()
    yield s
    s.close()
