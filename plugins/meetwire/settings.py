"""One settings object, read from MEETWIRE_* environment variables.

Every stage takes a `Settings` (or calls `get_settings()`), so the CLI, the DAGs and the tests configure the
pipeline the same way: by environment, with the defaults documented here and in the README.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path

# The repository root: plugins/meetwire/settings.py -> parents[2]. Defaults resolve against it rather than the
# working directory, because Airflow runs tasks from arbitrary directories.
PROJECT_ROOT = Path(__file__).resolve().parents[2]


STORES = ("duckdb", "ducklake")


def mask_catalog(catalog: str) -> str:
    """A libpq connection string (key=value or URI) with its password hidden, for messages and logs."""
    catalog = re.sub(r"(password\s*=\s*)('[^']*'|\S+)", r"\1***", catalog)
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", catalog)


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def _path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    path = Path(raw).expanduser() if raw else default
    return path if path.is_absolute() else (PROJECT_ROOT / path)


def _csv(name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in _env(name, "").split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    """Documented defaults; each field's environment variable is `MEETWIRE_<FIELD>` upper-cased."""

    home: Path = field(default_factory=lambda: _path("MEETWIRE_HOME", PROJECT_ROOT))
    # where the tables live: `duckdb` (the file `db`, one writing process) or `ducklake` (a DuckLake catalog in the
    # PostgreSQL database `ducklake_catalog`, a libpq string, with Parquet files under `ducklake_data`; several
    # processes may write at once)
    store: str = field(default_factory=lambda: _env("MEETWIRE_STORE", "duckdb").lower())
    db: Path = field(default_factory=lambda: _path("MEETWIRE_DB", Path("data/meetwire.duckdb")))
    ducklake_catalog: str = field(default_factory=lambda: _env("MEETWIRE_DUCKLAKE_CATALOG",
                                                               "dbname=meetwire host=127.0.0.1"))
    # default: `lake/` beside the DuckDB file (data/lake/)
    ducklake_data: Path | None = field(default_factory=lambda: _path("MEETWIRE_DUCKLAKE_DATA", Path()) if os.environ.get(
        "MEETWIRE_DUCKLAKE_DATA") else None)
    archive_dir: Path = field(default_factory=lambda: _path("MEETWIRE_ARCHIVE_DIR", Path("data/raw")))
    docs_dir: Path = field(default_factory=lambda: _path("MEETWIRE_DOCS_DIR", Path("data/docs")))
    feeds: Path = field(default_factory=lambda: _path("MEETWIRE_FEEDS", Path("seeds/feeds.toml")))
    alert_webhook: str = field(default_factory=lambda: _env("MEETWIRE_ALERT_WEBHOOK", ""))
    slack_webhook: str = field(default_factory=lambda: _env("MEETWIRE_SLACK_WEBHOOK", ""))
    alert_email: str = field(default_factory=lambda: _env("MEETWIRE_ALERT_EMAIL", ""))
    allow_private_hosts: tuple[str, ...] = field(default_factory=lambda: _csv("MEETWIRE_ALLOW_PRIVATE_HOSTS"))
    user_agent: str = field(
        default_factory=lambda: _env(
            "MEETWIRE_USER_AGENT", "meetwire/0.1 (+https://github.com/meetwire/meetwire; news meeting extractor)"
        )
    )
    http_connect_timeout: float = field(default_factory=lambda: float(_env("MEETWIRE_HTTP_CONNECT_TIMEOUT", "5")))
    http_read_timeout: float = field(default_factory=lambda: float(_env("MEETWIRE_HTTP_READ_TIMEOUT", "15")))
    http_deadline: float = field(default_factory=lambda: float(_env("MEETWIRE_HTTP_DEADLINE", "30")))
    http_max_bytes: int = field(default_factory=lambda: int(_env("MEETWIRE_HTTP_MAX_BYTES", str(10 * 1024 * 1024))))
    http_retries: int = field(default_factory=lambda: int(_env("MEETWIRE_HTTP_RETRIES", "3")))
    # Retries back off base * 2**attempt (capped) with jitter; a longer Retry-After than the cap is not slept
    # through: the feed is skipped until then.
    http_backoff: float = field(default_factory=lambda: float(_env("MEETWIRE_HTTP_BACKOFF", "0.5")))
    http_backoff_max: float = field(default_factory=lambda: float(_env("MEETWIRE_HTTP_BACKOFF_MAX", "30")))
    http_retry_after_sleep_max: float = field(
        default_factory=lambda: float(_env("MEETWIRE_HTTP_RETRY_AFTER_SLEEP_MAX", "5"))
    )
    http_per_host: int = field(default_factory=lambda: int(_env("MEETWIRE_HTTP_PER_HOST", "2")))
    http_min_interval: float = field(default_factory=lambda: float(_env("MEETWIRE_HTTP_MIN_INTERVAL", "1.0")))
    fetch_articles: bool = field(default_factory=lambda: _env("MEETWIRE_FETCH_ARTICLES", "1") not in {"0", "false", "no"})
    alert_min_severity: str = field(default_factory=lambda: _env("MEETWIRE_ALERT_MIN_SEVERITY", "warn").lower())
    # text, or json: one JSON object per log line with the run id (meetwire.logs)
    log_format: str = field(default_factory=lambda: _env("MEETWIRE_LOG_FORMAT", "text").lower())
    # Where the docs directory is served, so alerts can link a URL instead of a file path.
    docs_base_url: str = field(default_factory=lambda: _env("MEETWIRE_DOCS_BASE_URL", ""))
    gx_docs: bool = field(default_factory=lambda: _env("MEETWIRE_GX_DOCS", "1").lower() not in {"0", "false", "no", "off"})
    freshness_hours: float = field(default_factory=lambda: float(_env("MEETWIRE_FRESHNESS_HOURS", "48")))
    # how long a writer waits for another process (an analyst's client) to release the DuckDB file
    db_lock_timeout: float = field(default_factory=lambda: float(_env("MEETWIRE_DB_LOCK_TIMEOUT", "120")))
    # newest entries taken from one feed per run (a huge feed cannot hold a run for minutes)
    feed_max_entries: int = field(default_factory=lambda: int(_env("MEETWIRE_FEED_MAX_ENTRIES", "500")))
    # pages fetched per ingest call, all feeds together; the rest stay pending for the next runs
    run_max_pages: int = field(default_factory=lambda: int(_env("MEETWIRE_RUN_MAX_PAGES", "5000")))

    # processes that clean pages and extract events (1 = all in the calling process), and the smallest batch
    # worth a pool
    workers: int = field(default_factory=lambda: max(1, int(_env("MEETWIRE_WORKERS", str(os.cpu_count() or 1)))))
    parallel_min: int = field(default_factory=lambda: int(_env("MEETWIRE_PARALLEL_MIN", "32")))
    # articles per staged chunk of a fanned-out extraction (one Airflow task each)
    extract_chunk: int = field(default_factory=lambda: max(1, int(_env("MEETWIRE_EXTRACT_CHUNK", "100"))))
    # fetched and cleaned pages wait here until they are loaded (a run that cannot get the database keeps them);
    # default: `<db name>.staging/` beside the database, whose work it is
    staging_dir: Path = field(default_factory=lambda: _path("MEETWIRE_STAGING_DIR", Path()) if os.environ.get(
        "MEETWIRE_STAGING_DIR") else None)

    # when set, every load publishes a read-only snapshot here: each table and view as Parquet, swapped in whole
    export_dir: Path | None = field(default_factory=lambda: _path("MEETWIRE_EXPORT_DIR", Path()) if os.environ.get(
        "MEETWIRE_EXPORT_DIR") else None)

    def __post_init__(self) -> None:
        if self.store not in STORES:
            raise ValueError(f"MEETWIRE_STORE must be one of {', '.join(STORES)}, not {self.store!r}")
        if self.ducklake_data is None:
            object.__setattr__(self, "ducklake_data", self.db.parent / "lake")
        if self.staging_dir is None:
            object.__setattr__(self, "staging_dir", self.db.parent / f"{self.db.stem}.staging")

    def ensure_dirs(self) -> None:
        for path in (self.db.parent, self.archive_dir, self.docs_dir, self.staging_dir):
            path.mkdir(parents=True, exist_ok=True)

    def describe(self) -> dict[str, str]:
        """Settings as printable strings (webhook URLs masked: they carry secrets)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name.endswith("webhook") and value:
                value = value.split("//", 1)[0] + "//***"
            if f.name == "ducklake_catalog":
                value = mask_catalog(value)
            out[f"MEETWIRE_{f.name.upper()}"] = ",".join(value) if isinstance(value, tuple) else str(value)
        return out


def get_settings() -> Settings:
    """A fresh read of the environment each call (tests and Airflow tasks change it)."""
    return Settings()
