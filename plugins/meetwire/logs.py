"""Log lines as text (default) or one JSON object per line (`MEETWIRE_LOG_FORMAT=json`), each with the run id.

The run id of the ledger (`runs.run_id`) is bound to the current context by `bind_run` (the pipeline does it when a
run starts or a stage receives one), so every log record of that work carries it: a log search for one run id
finds its fetches, loads and checks, whichever process wrote them.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import os
import sys
from collections.abc import Iterator
from datetime import datetime, timezone

_RUN_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("meetwire_run_id", default=None)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s%(run_suffix)s: %(message)s"
# LogRecord attributes that are not "extra" fields given by the caller.
_STANDARD = set(vars(logging.LogRecord("x", 0, "x", 0, "", (), None))) | {"message", "asctime", "run_id", "run_suffix"}


def bind_run(run_id: str | None) -> contextvars.Token:
    """Mark the current context's log records with this run id (until `reset_run`)."""
    return _RUN_ID.set(run_id)


def reset_run(token: contextvars.Token) -> None:
    _RUN_ID.reset(token)


@contextlib.contextmanager
def run_context(run_id: str | None) -> Iterator[None]:
    token = bind_run(run_id) if run_id else None
    try:
        yield
    finally:
        if token is not None:
            reset_run(token)


def current_run() -> str | None:
    return _RUN_ID.get()


class RunIdFilter(logging.Filter):
    """Adds `run_id` (and a ` [run …]` suffix for text lines) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        run_id = getattr(record, "run_id", None) or _RUN_ID.get()
        record.run_id = run_id
        record.run_suffix = f" [run {run_id}]" if run_id else ""
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, run_id, extra fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "run_id": getattr(record, "run_id", None) or _RUN_ID.get(),
            "pid": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def log_format() -> str:
    value = (os.environ.get("MEETWIRE_LOG_FORMAT") or "text").strip().lower()
    if value not in ("text", "json"):
        raise ValueError(f"MEETWIRE_LOG_FORMAT must be text or json, not {value!r}")
    return value


def configure(level: int = logging.WARNING, fmt: str | None = None, stream=None) -> logging.Handler:
    """The CLI's logging: one stderr handler (text or JSON), the run-id filter, root at `level`."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RunIdFilter())
    handler.setFormatter(JsonFormatter() if (fmt or log_format()) == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_meetwire", False)]:
        root.removeHandler(old)
    handler._meetwire = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return handler
