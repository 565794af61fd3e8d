"""`meetwire doctor`: is this installation able to run? Settings, database, archive, Airflow, services, alerts.

Each check says what it found in plain words and, when something is wrong, what to do. Nothing is written and no
alert is sent (`--send-test-alert` sends one on purpose). A check that cannot run (a service that is not
configured) says so instead of failing.
"""

from __future__ import annotations

import difflib
import os
import shutil
import socket
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

OK, WARN, FAIL, SKIP = "ok", "warn", "fail", "skip"


@dataclass
class Check:
    area: str
    status: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


def _setting_names() -> set[str]:
    from meetwire.settings import Settings

    return {f"MEETWIRE_{f.name.upper()}" for f in fields(Settings)}


def check_settings(environ: dict[str, str]) -> tuple[list[Check], object | None]:
    from meetwire.settings import Settings

    out = []
    known = _setting_names() | {"MEETWIRE_STORE", "MEETWIRE_DUCKLAKE_CATALOG", "MEETWIRE_DUCKLAKE_DATA"}
    for name in sorted(k for k in environ if k.startswith("MEETWIRE_") and k not in known):
        close = difflib.get_close_matches(name, sorted(known), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        out.append(Check("settings", WARN, f"{name} is not a meetwire setting and is ignored{hint}"))
    try:
        settings = Settings()
    except (ValueError, TypeError) as exc:
        bad = [n for n in sorted(known) if n in environ]
        out.append(Check("settings", FAIL, f"a setting has a value of the wrong kind ({exc}); set in the "
                                            f"environment: {', '.join(bad) or 'none'}"))
        return out, None
    problems = []
    if settings.http_connect_timeout <= 0 or settings.http_read_timeout <= 0:
        problems.append("HTTP timeouts must be positive")
    if settings.alert_min_severity not in ("warn", "fail"):
        problems.append(f"MEETWIRE_ALERT_MIN_SEVERITY is {settings.alert_min_severity!r} (warn or fail)")
    if getattr(settings, "log_format", "text") not in ("text", "json"):
        problems.append(f"MEETWIRE_LOG_FORMAT is {settings.log_format!r} (text or json)")
    if problems:
        out.append(Check("settings", FAIL, "; ".join(problems)))
    else:
        out.append(Check("settings", OK, f"read from the environment; database {settings.db}, "
                                          f"{settings.workers} worker process(es)"))
    return out, settings


def check_feeds(settings) -> Check:
    from meetwire.feeds_config import read_feeds

    if not settings.feeds.exists():
        return Check("feeds", FAIL, f"the feeds file {settings.feeds} does not exist (MEETWIRE_FEEDS)")
    try:
        feeds, problems = read_feeds(settings.feeds)
    except Exception as exc:
        return Check("feeds", FAIL, f"{settings.feeds} cannot be read: {exc}")
    enabled = [f for f in feeds if f.get("enabled", True)]
    if problems:
        return Check("feeds", WARN, f"{len(enabled)} enabled feeds in {settings.feeds}; skipped entries: "
                                    + "; ".join(problems[:3]))
    if not enabled:
        return Check("feeds", WARN, f"no enabled feed in {settings.feeds}: ingest will fetch nothing")
    return Check("feeds", OK, f"{len(enabled)} enabled feeds in {settings.feeds}")


def check_database(settings) -> list[Check]:
    import duckdb

    from meetwire import store

    if getattr(settings, "store", "duckdb") != "duckdb":
        return check_lake(settings)
    path = settings.db
    if not path.exists():
        parent = path.parent if path.parent.exists() else next(p for p in path.parents if p.exists())
        if not os.access(parent, os.W_OK):
            return [Check("database", FAIL, f"{path} does not exist and {parent} is not writable")]
        return [Check("database", WARN, f"{path} does not exist yet; the first run creates it")]
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            return [Check("database", WARN, f"{path} is held by another process (a run or an analyst's client); "
                                            "runs wait for it up to MEETWIRE_DB_LOCK_TIMEOUT")]
        return [Check("database", FAIL, f"{path} cannot be opened: {str(exc).splitlines()[0]}")]
    except duckdb.Error as exc:
        return [Check("database", FAIL, f"{path} is not a DuckDB database this version can read: "
                                        f"{str(exc).splitlines()[0]}")]
    out = []
    try:
        applied = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
        pending = [name for v, name, _ in store.migration_files() if v not in applied]
        unknown = sorted(applied - {v for v, _, _ in store.migration_files()})
        if unknown:
            out.append(Check("database", FAIL, f"{path} has migrations this code does not know ({unknown}): it was "
                                               "written by a newer meetwire"))
        elif pending:
            out.append(Check("database", WARN, f"{len(pending)} migrations pending ({', '.join(pending)}); the next "
                                               "run or `meetwire migrate` applies them"))
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "events")}
        last = con.execute("SELECT run_id, status, started_at FROM runs ORDER BY started_at DESC LIMIT 1").fetchone()
        ran = f"; last run {last[0]} {last[1]}" if last else "; no run yet"
        status = WARN if last and last[1] == "failed" else OK
        out.append(Check("database", status, f"{path}: {counts['articles']} articles, {counts['events']} events, "
                                             f"{path.stat().st_size / 1e6:.1f} MB{ran}"))
    except duckdb.Error as exc:
        out.append(Check("database", FAIL, f"{path} lacks meetwire's tables ({str(exc).splitlines()[0]}); run "
                                           "`meetwire migrate`"))
    finally:
        con.close()
    return out


def check_lake(settings) -> list[Check]:
    from meetwire import store

    try:
        with store.connect(settings, read_only=True) as con:
            n = con.execute("SELECT count(*) FROM events").fetchone()[0]
    except Exception as exc:
        return [Check("database", FAIL, f"the DuckLake catalog cannot be opened: {str(exc).splitlines()[0]}")]
    return [Check("database", OK, f"DuckLake catalog ({getattr(settings, 'store', '')}): {n} events")]


def check_disk(settings) -> list[Check]:
    out = []
    archive = settings.archive_dir
    if archive.exists() and not os.access(archive, os.W_OK):
        out.append(Check("archive", FAIL, f"the raw archive {archive} is not writable"))
    else:
        where = archive if archive.exists() else next(p for p in archive.parents if p.exists())
        free = shutil.disk_usage(where).free / 1e9
        status = WARN if free < 1 else OK
        n = sum(1 for _ in archive.rglob("*.gz")) if archive.exists() else 0
        out.append(Check("archive", status, f"{archive}: {n} raw files; {free:.1f} GB free"
                                            + ("; less than 1 GB left" if status == WARN else "")))
    staged = sorted(settings.staging_dir.glob("*")) if settings.staging_dir.exists() else []
    old = [p for p in staged if p.is_file() and time.time() - p.stat().st_mtime > 3600]
    if old:
        out.append(Check("staging", WARN, f"{len(old)} staged files in {settings.staging_dir} waited over an hour "
                                          "for a load; the next ingest loads them (is the database held?)"))
    return out


def _airflow_conn() -> str | None:
    conn = os.environ.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN")
    if conn:
        return conn
    from meetwire.settings import PROJECT_ROOT

    # scripts/airflow.sh's default home (make run) when AIRFLOW_HOME is not set
    home = Path(os.environ.get("AIRFLOW_HOME") or PROJECT_ROOT / ".airflow")
    if (home / "airflow.db").exists():
        return f"sqlite:///{home / 'airflow.db'}"
    return None


def check_airflow(settings) -> list[Check]:
    conn = _airflow_conn()
    if not conn:
        return [Check("airflow", SKIP, "no Airflow metadata database configured (AIRFLOW_HOME or "
                                       "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN): CLI-only use")]
    try:
        import sqlalchemy

        engine = sqlalchemy.create_engine(conn, connect_args={"connect_timeout": 5} if conn.startswith("postgres")
                                          else {})
        with engine.connect() as db:
            pool = db.execute(sqlalchemy.text("SELECT slots FROM slot_pool WHERE pool = 'meetwire_duckdb'")).first()
            conns = {r[0] for r in db.execute(sqlalchemy.text("SELECT conn_id FROM connection"))}
        engine.dispose()
    except Exception as exc:
        return [Check("airflow", FAIL, f"the Airflow metadata database cannot be read ({_redact(conn)}): "
                                       f"{str(exc).splitlines()[0][:200]}; run `scripts/airflow.sh setup`")]
    out = []
    if pool is None:
        out.append(Check("airflow", FAIL, "the pool meetwire_duckdb is missing: DuckDB writers could run at once; "
                                          "run `scripts/airflow.sh setup` (airflow pools import airflow_settings/pools.json)"))
    elif pool[0] != 1 and getattr(settings, "store", "duckdb") == "duckdb":
        out.append(Check("airflow", FAIL, f"the pool meetwire_duckdb has {pool[0]} slots: the DuckDB file allows one "
                                          "writer, set it to 1"))
    else:
        out.append(Check("airflow", OK, f"metadata database {_redact(conn)}: pool meetwire_duckdb with {pool[0]} slot"))
    if settings.alert_email and not os.environ.get("AIRFLOW__SMTP__SMTP_HOST") and "smtp_default" not in conns:
        out.append(Check("airflow", WARN, "MEETWIRE_ALERT_EMAIL is set but no SMTP server is configured "
                                          "(AIRFLOW__SMTP__SMTP_HOST); email alerts would go to localhost:25"))
    return out


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def _tcp(host: str, port: int, timeout: float = 3.0) -> str | None:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as exc:
        return str(exc)


def check_services(settings) -> list[Check]:
    out = []
    conn = _airflow_conn() or ""
    if conn.startswith("postgresql"):
        parts = urlsplit(conn)
        err = _tcp(parts.hostname or "127.0.0.1", parts.port or 5432)
        out.append(Check("services", FAIL if err else OK,
                         f"PostgreSQL (Airflow metadata) at {parts.hostname}:{parts.port or 5432}: "
                         + (f"unreachable ({err})" if err else "reachable")))
    broker = os.environ.get("AIRFLOW__CELERY__BROKER_URL", "")
    if broker.startswith("redis"):
        parts = urlsplit(broker)
        try:
            import redis

            redis.Redis.from_url(broker, socket_connect_timeout=3).ping()
            out.append(Check("services", OK, f"Redis broker at {parts.hostname}:{parts.port or 6379}: answers PING"))
        except Exception as exc:
            out.append(Check("services", FAIL, f"Redis broker at {parts.hostname}:{parts.port or 6379}: {exc}"))
    if getattr(settings, "store", "duckdb") == "ducklake":
        catalog = dict(kv.split("=", 1) for kv in (getattr(settings, "ducklake_catalog", "") or "").split() if "=" in kv)
        host, port = catalog.get("host", "127.0.0.1"), int(catalog.get("port", 5432))
        err = _tcp(host, port)
        out.append(Check("services", FAIL if err else OK, f"PostgreSQL (DuckLake catalog) at {host}:{port}: "
                                                          + (f"unreachable ({err})" if err else "reachable")))
    if not out:
        out.append(Check("services", SKIP, "no PostgreSQL, Redis or DuckLake configured: single-machine setup"))
    return out


def check_alerts(settings, send_test: bool = False) -> list[Check]:
    from meetwire import alerts

    sinks = alerts.configured_sinks(settings)
    out = []
    if not sinks:
        out.append(Check("alerts", WARN, "no alert sink configured (MEETWIRE_ALERT_WEBHOOK, MEETWIRE_SLACK_WEBHOOK, "
                                         "MEETWIRE_ALERT_EMAIL): failures reach only the task log"))
    for name, url in (("MEETWIRE_ALERT_WEBHOOK", settings.alert_webhook), ("MEETWIRE_SLACK_WEBHOOK",
                                                                           settings.slack_webhook)):
        if not url:
            continue
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            out.append(Check("alerts", FAIL, f"{name} is not an http(s) URL"))
            continue
        try:
            socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
            out.append(Check("alerts", OK, f"{name}: {parts.scheme}://{parts.hostname} resolves"
                                           + ("" if parts.scheme == "https" else " (plain http: use https)")))
        except OSError as exc:
            out.append(Check("alerts", FAIL, f"{name}: the host {parts.hostname} does not resolve ({exc})"))
    if settings.alert_email:
        smtp = alerts._smtp_settings()
        err = _tcp(smtp["host"], smtp["port"])
        out.append(Check("alerts", FAIL if err else OK, f"MEETWIRE_ALERT_EMAIL: SMTP {smtp['host']}:{smtp['port']} "
                                                        + (f"unreachable ({err})" if err else "reachable")))
    if send_test:
        payload = {"suite": "doctor", "severity": "warn", "run_id": "doctor-test-alert", "failed_expectations": [],
                   "docs": None, "state": "test"}
        delivered = alerts.send(settings, payload)
        missed = sorted(set(sinks) - set(delivered))
        out.append(Check("alerts", FAIL if missed else OK,
                         f"test alert not delivered by {', '.join(missed)} (see the log above)" if missed
                         else f"test alert delivered to {', '.join(delivered)}"))
    return out


def run_checks(environ: dict[str, str] | None = None, send_test_alert: bool = False) -> list[Check]:
    environ = dict(os.environ if environ is None else environ)
    checks, settings = check_settings(environ)
    if settings is None:
        return checks
    for step in (lambda: [check_feeds(settings)], lambda: check_database(settings), lambda: check_disk(settings),
                 lambda: check_airflow(settings), lambda: check_services(settings),
                 lambda: check_alerts(settings, send_test_alert)):
        try:
            checks.extend(step())
        except Exception as exc:  # a broken check is reported, the others still run
            checks.append(Check("doctor", FAIL, f"a check crashed: {type(exc).__name__}: {exc}"))
    return checks
