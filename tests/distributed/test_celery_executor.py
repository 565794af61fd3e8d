"""meetwire's DAGs on a distributed Airflow, for real: CeleryExecutor with Redis as broker, the metadata database and
Celery's result backend on PostgreSQL, and, as processes of this machine, a scheduler, a dag-processor, a
triggerer, an api-server and two Celery workers with names of their own.

A feed server on 127.0.0.1 lists real pages of the article-extraction benchmark (../shared/data) in several feeds;
`meetwire_ingest` is triggered through the REST API with one feed per batch, so its mapped `fetch_clean` tasks
spread over both workers; the assets then trigger `meetwire_extract` and `meetwire_quality`. While the ingest
runs, one worker is SIGKILLed (its whole process tree) in the middle of a `fetch_clean` task: the scheduler sees
the task's heartbeat stop, and its retry runs on the other worker. At the end every page served is in DuckDB
exactly once (an article, or a quarantine row saying why not), the events are loaded, the mapped tasks ran on
both workers, and nothing is left behind: no process, no database, no Redis key.

PostgreSQL and Redis must be reachable on 127.0.0.1: without them the test fails (it does not skip).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import secrets
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from celery_cluster import (PG, REDIS, REPO, Cluster, create_database, database_exists, drop_database, free_port,
                            free_redis_db, http_json, pg_admin, redis_client, wait_for)

pytestmark = [pytest.mark.distributed, pytest.mark.airflow, pytest.mark.network_local]

AEB = REPO.parent / "shared" / "data" / "article-extraction-benchmark"
N_FEEDS = 6
PAGES_PER_FEED = 5
WORKERS = ("worker-a", "worker-b")
# How long a task may go without a heartbeat before the scheduler calls it dead (production: 300 s).
HEARTBEAT_TIMEOUT_S = 12


# --- services: fail, never skip, when they are missing ---------------------------------------------------------


@pytest.fixture
def metadata_db():
    """A fresh PostgreSQL database for the metadata and the Celery results, dropped at the end."""
    try:
        pg_admin().close()
    except Exception as exc:
        pytest.fail(f"PostgreSQL is not reachable at {PG['host']}:{PG['port']} as {PG['user']}: {exc}")
    name = create_database()
    yield name
    drop_database(name)
    assert not database_exists(name), f"database {name} was not dropped"


@pytest.fixture
def broker_db():
    """An empty Redis db number for the broker, flushed at the end."""
    try:
        redis_client().ping()
    except Exception as exc:
        pytest.fail(f"Redis is not reachable at {REDIS[0]}:{REDIS[1]}: {exc}")
    number = free_redis_db()
    yield number
    client = redis_client(number)
    client.flushdb()
    assert client.dbsize() == 0


# --- the feed site ---------------------------------------------------------------------------------------------


MEETING_WORDS = re.compile(r"\b(met|meets|meeting|talks|summit|visit)\b", re.I)


def _pages() -> list[tuple[str, bytes]]:
    """The benchmark pages whose text mentions meetings first (so extraction has events to find), then the rest."""
    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted((key for key in truth if (AEB / "html" / f"{key}.html.gz").exists()),
                  key=lambda k: (not MEETING_WORDS.search(truth[k]["articleBody"]), k))
    assert len(keys) >= N_FEEDS * PAGES_PER_FEED, f"the article-extraction benchmark is missing under {AEB}"
    return [(key[:16], gzip.decompress((AEB / "html" / f"{key}.html.gz").read_bytes()))
            for key in keys[: N_FEEDS * PAGES_PER_FEED]]


@pytest.fixture
def site():
    """Feeds /feeds/<n>.xml of PAGES_PER_FEED pages each (title, link and date only: no feed text to fall back on,
    so a page is either cleaned into an article or quarantined)."""
    pages = _pages()
    by_path = {f"/pages/{key}.html": body for key, body in pages}
    feeds: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            path = self.path.split("?", 1)[0]
            if path in feeds:
                self._send(feeds[path], "application/rss+xml; charset=utf-8")
            elif path in by_path:
                self._send(by_path[path], "text/html; charset=utf-8")
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

        def _send(self, body: bytes, ctype: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_port}"
    now = datetime.now(timezone.utc).replace(microsecond=0)
    for n in range(N_FEEDS):
        items = "".join(
            f"<item><title>page {key}</title><link>{base}/pages/{key}.html</link>"
            f"<pubDate>{format_datetime(now - timedelta(hours=n * PAGES_PER_FEED + i))}</pubDate></item>"
            for i, (key, _) in enumerate(pages[n * PAGES_PER_FEED : (n + 1) * PAGES_PER_FEED]))
        feeds[f"/feeds/{n}.xml"] = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                                    f"<title>feed {n}</title><link>{base}/</link><description>benchmark pages"
                                    f"</description>{items}</channel></rss>").encode()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base, [f"{base}/feeds/{n}.xml" for n in range(N_FEEDS)], pages
    server.shutdown()
    server.server_close()


# --- the cluster -----------------------------------------------------------------------------------------------


def _environment(tmp: Path, metadata_db: str, broker_db: int, feeds_toml: Path, api_port: int) -> dict[str, str]:
    pg = f"postgres@{PG['host']}:{PG['port']}/{metadata_db}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "MEETWIRE_"))}
    env.update({
        "AIRFLOW_HOME": str(tmp / "airflow"),
        "AIRFLOW_CMD": f"{sys.executable} -m airflow",
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"postgresql+psycopg2://{pg}",
        "AIRFLOW__CELERY__BROKER_URL": f"redis://{REDIS[0]}:{REDIS[1]}/{broker_db}",
        "AIRFLOW__CELERY__RESULT_BACKEND": f"db+postgresql+psycopg2://{pg}",
        # one task at a time per worker (two cores): four mapped tasks at once must use both workers
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": "1",
        "AIRFLOW__CELERY__SYNC_PARALLELISM": "1",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",  # the DAGs start unpaused
        "AIRFLOW__CORE__HOSTNAME_CALLABLE": "worker_identity.worker_hostname",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parent), os.environ.get("PYTHONPATH")])),
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
        "AIRFLOW__API__SECRET_KEY": secrets.token_hex(16),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",  # the REST API without a login, on loopback
        "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(free_port()),
        # fast loops for a test; production keeps the defaults
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
        "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "30",
        "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
        "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.5",
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_SEC": "2",
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": str(HEARTBEAT_TIMEOUT_S),
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "2",
        "AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL": "2",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        "GX_ANALYTICS_ENABLED": "False",
        "PYTHONUNBUFFERED": "1",
        "MEETWIRE_HOME": str(REPO),
        "MEETWIRE_DB": str(tmp / "data" / "meetwire.duckdb"),
        "MEETWIRE_ARCHIVE_DIR": str(tmp / "data" / "raw"),
        "MEETWIRE_DOCS_DIR": str(tmp / "data" / "docs"),
        "MEETWIRE_STAGING_DIR": str(tmp / "data" / "staging"),
        "MEETWIRE_FEEDS": str(feeds_toml),
        "MEETWIRE_ALLOW_PRIVATE_HOSTS": "127.0.0.1",
        "MEETWIRE_HTTP_MIN_INTERVAL": "0",
        "MEETWIRE_INGEST_SCHEDULE": "none",  # triggered by the test only
        "MEETWIRE_QUALITY_SCHEDULE": "none",
        "MEETWIRE_AIRFLOW_RETRY_DELAY": "1",
        "MEETWIRE_EXTRACT_CHUNK": "10",
        "MEETWIRE_WORKERS": "1",  # the Celery workers are the parallelism here
    })
    return env


def _query(metadata_db: str, sql: str, params=()) -> list[tuple]:
    import psycopg2

    con = psycopg2.connect(dbname=metadata_db, connect_timeout=5, **PG)
    try:
        cur = con.cursor()
        cur.execute(sql, params)
        return cur.fetchall()
    finally:
        con.close()


def _run_state(metadata_db: str, dag_id: str) -> str | None:
    rows = _query(metadata_db, "SELECT state FROM dag_run WHERE dag_id = %s ORDER BY id DESC LIMIT 1", [dag_id])
    return rows[0][0] if rows else None


def _finished(metadata_db: str, dag_id: str, cluster: Cluster, timeout: float, verdict_ok: bool = False) -> str:
    """Wait for the DAG's latest run to end; it must succeed, unless `verdict_ok` (a run whose failure is a
    verdict on the data, not on the machinery)."""
    state = wait_for(f"a finished {dag_id} run",
                     lambda: (s := _run_state(metadata_db, dag_id)) in ("success", "failed") and s,
                     timeout, cluster)
    if state != "success" and not verdict_ok:
        tis = _query(metadata_db, "SELECT task_id, map_index, state, try_number, hostname FROM task_instance"
                     " WHERE dag_id = %s ORDER BY task_id, map_index", [dag_id])
        raise AssertionError(f"{dag_id} ended {state}: {tis}\n{cluster.tails()}")
    return state


def test_celery_workers_share_the_mapped_work_and_a_killed_worker_loses_nothing(tmp_path, metadata_db, broker_db,
                                                                              site):
    base, feed_urls, pages = site
    feeds_toml = tmp_path / "feeds.toml"
    feeds_toml.write_text("".join(f'[[feeds]]\nurl = "{u}"\nname = "benchmark {i}"\n\n'
                                  for i, u in enumerate(feed_urls)))
    api_port = free_port()
    env = _environment(tmp_path, metadata_db, broker_db, feeds_toml, api_port)
    cluster = Cluster(root=tmp_path, env=env)
    timings: dict[str, float] = {}
    t0 = mark = time.monotonic()

    def phase(name: str) -> None:
        nonlocal mark
        now = time.monotonic()
        timings[name] = now - mark
        mark = now

    killed: dict = {}
    try:
        cluster.run(["bash", str(REPO / "scripts" / "airflow.sh"), "setup"])  # migrate + the one-slot pool
        phase("migrate metadata DB and create the pool")

        cluster.start("api-server", ["api-server"])
        cluster.start("scheduler", ["scheduler"])
        cluster.start("dag-processor", ["dag-processor"])
        cluster.start("triggerer", ["triggerer"])
        for name in WORKERS:
            cluster.start(name, ["celery", "worker", "--celery-hostname", f"{name}@%h", "--concurrency", "1"],
                          MEETWIRE_TEST_WORKER_NAME=name,
                          AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT=str(free_port()))
        api = f"http://127.0.0.1:{api_port}"
        wait_for("the api-server's health endpoint", lambda: http_json(f"{api}/api/v2/monitor/health")[0] == 200,
                 120, cluster)
        for name in WORKERS:
            wait_for(f"{name} ready", lambda n=name: f"{n}@" in (t := cluster.logs[n].read_text(errors="replace"))
                     and " ready." in t, 120, cluster)
        wait_for("the DAGs parsed (meetwire_ingest, _extract, _quality)",
                 lambda: all(http_json(f"{api}/api/v2/dags/{d}")[0] == 200
                             for d in ("meetwire_ingest", "meetwire_extract", "meetwire_quality")), 120, cluster)
        phase("start 6 processes, wait until ready")

        status, body = http_json(f"{api}/api/v2/dags/meetwire_ingest/dagRuns",
                                 {"logical_date": None, "conf": {"batch_size": 1}})
        assert status == 200, f"trigger failed: {status} {body}"

        def fetch_tasks() -> list[tuple]:
            return _query(metadata_db, "SELECT map_index, state, hostname, try_number FROM task_instance"
                          " WHERE dag_id = 'meetwire_ingest' AND task_id = 'fetch_clean'")

        def victim() -> str | None:
            """The worker to kill: one running a fetch_clean task, once each worker has finished one."""
            tis = fetch_tasks()
            done = {host for _, state, host, _ in tis if state == "success"}
            running = [(host, i) for i, state, host, _ in tis if state == "running" and host in WORKERS]
            if set(WORKERS) <= done and running:
                killed["map_index"] = running[0][1]
                return running[0][0]
            assert len(tis) < N_FEEDS or any(s in (None, "queued", "scheduled", "running") for _, s, _, _ in tis), (
                f"every fetch_clean finished before a worker could be killed in one: {tis}")
            return None

        name = wait_for("a fetch_clean task running after each worker finished one", victim, 180, cluster, 0.2)
        phase("ingest until the kill")
        killed["worker"] = name
        killed["pids"] = cluster.kill(name)
        survivor = next(w for w in WORKERS if w != name)

        _finished(metadata_db, "meetwire_ingest", cluster, 240)
        phase("ingest after the kill (heartbeat timeout, retry elsewhere)")
        _finished(metadata_db, "meetwire_extract", cluster, 240)
        phase("extract (asset-triggered)")
        # the suites judge real pages: a failed fail-severity expectation fails the run, and that is their verdict
        quality_state = _finished(metadata_db, "meetwire_quality", cluster, 240, verdict_ok=True)
        phase("quality (asset-triggered)")

        tis = _query(metadata_db, "SELECT dag_id, task_id, map_index, state, try_number, hostname FROM task_instance")
        history = _query(metadata_db, "SELECT dag_id, task_id, map_index, state, try_number, hostname"
                         " FROM task_instance_history")
    finally:
        left = cluster.stop()
        phase("stop")
    timings["total"] = time.monotonic() - t0
    print("celery executor test, seconds per phase: "
          + json.dumps({k: round(v, 1) for k, v in timings.items()}), file=sys.stderr)
    assert not left, f"processes that ignored SIGTERM: {left}"

    # --- what reached DuckDB ----------------------------------------------------------------------------------
    con = duckdb.connect(env["MEETWIRE_DB"], read_only=True)
    try:
        one = lambda sql: con.execute(sql).fetchone()  # noqa: E731
        n_articles, n_urls = one("SELECT count(*), count(DISTINCT canonical_url) FROM articles")
        quarantined = {r[0] for r in con.execute(
            "SELECT url FROM quarantine WHERE stage IN ('fetch', 'clean', 'load')").fetchall()}
        article_urls = {r[0] for r in con.execute("SELECT url FROM articles").fetchall()}
        n_events = one("SELECT count(*) FROM events")[0]
        dup_links = one("SELECT count(*) - count(DISTINCT (event_id, article_id)) FROM event_articles")[0]
        extracted = one("SELECT count(*) FROM article_extractions WHERE n_failures = 0")[0]
        originals = one("SELECT count(*) FROM articles WHERE duplicate_of IS NULL")[0]
        pending = one("SELECT count(*) FROM stg_entries WHERE NOT is_processed")[0]
        runs = dict(con.execute("SELECT stage, status FROM runs").fetchall())
        dq_failed = one("SELECT count(*) FILTER (WHERE NOT success AND severity = 'fail'), count(*) FROM dq_results")
    finally:
        con.close()
    served = {f"{base}/pages/{key}.html" for key, _ in pages}
    by_host: dict[str, list[str]] = {}
    for r in tis + history:
        if r[1] in ("fetch_clean", "extract_events"):
            by_host.setdefault(r[5] or "?", []).append(f"{r[1]}[{r[2]}] try {r[4]} {r[3]}")
    summary = {"killed": {k: v for k, v in killed.items() if k != "pids"}, "by_worker": by_host,
               "pages_served": len(served), "articles": n_articles, "quarantined": len(quarantined & served),
               "events": n_events, "quality": quality_state, "dq_fail_severity_failed_of_checks": dq_failed}
    print("celery executor test: " + json.dumps(summary, indent=1), file=sys.stderr)

    # --- where the work ran ---------------------------------------------------------------------------------
    mapped = [r for r in tis + history if r[1] in ("fetch_clean", "extract_events")]
    hosts = {r[5] for r in mapped}
    assert set(WORKERS) <= hosts, f"mapped tasks ran on {hosts}, not on both workers: {mapped}"
    (retried,) = [r for r in tis if r[1] == "fetch_clean" and r[2] == killed["map_index"]]
    assert retried[3] == "success" and retried[4] >= 2, f"the killed task was not retried: {retried}"
    assert retried[5] == survivor, f"the retry ran on {retried[5]}, not on the surviving {survivor}"
    killed_tries = [r for r in history if r[1] == "fetch_clean" and r[2] == killed["map_index"]]
    assert any(r[5] == killed["worker"] for r in killed_tries), f"no try on the killed worker: {killed_tries}"
    assert all(r[3] == "success" for r in tis if r[0] in ("meetwire_ingest", "meetwire_extract")
               and r[1] != "mark_run_failed"), [r for r in tis if r[3] != "success"]

    accepted = served - quarantined
    assert n_articles == n_urls, "an article was loaded twice"
    assert article_urls == accepted, (f"served pages neither loaded nor quarantined: {served - article_urls - quarantined}"
                                      f"; loaded and quarantined: {article_urls & quarantined}")
    assert n_articles >= len(served) // 2, f"only {n_articles} of {len(served)} pages became articles"
    assert pending == 0, "entries left unprocessed"
    assert extracted == originals, f"{extracted} of {originals} articles extracted"
    assert n_events > 0 and dup_links == 0
    assert runs == {"ingest": "success", "extract": "success", "quality": quality_state}, runs
    assert dq_failed[1] > 0 and (quality_state == "success") == (dq_failed[0] == 0), (
        f"the quality run ended {quality_state} with {dq_failed[0]} failed fail-severity checks")
    staging = Path(env["MEETWIRE_STAGING_DIR"])
    assert not [p for p in staging.rglob("*") if p.is_file()], "staged files left after the loads"
