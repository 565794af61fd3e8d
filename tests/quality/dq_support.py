"""Helpers for the quality tests: a small consistent database, a local webhook receiver, a tiny SMTP server."""

from __future__ import annotations

import json
import socket
import socketserver
import threading
from datetime import date, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from meetwire import pipeline, store
from meetwire.ids import stable_id

NOW = datetime.now(timezone.utc)


def build_healthy_db(settings) -> dict[str, list[str]]:
    """Articles, actors, events, participants, topics, event_articles, one feed: consistent with each other.

    Publication dates are from 2024 (like the seeds); fetched_at is recent, so freshness holds.
    """
    feed_id = stable_id("https://example.org/feed.xml")
    articles = []
    for i in range(3):
        url = f"https://example.org/news/{i}"
        articles.append({
            "article_id": stable_id(url), "url": url, "canonical_url": url, "feed_id": feed_id,
            "title": f"Ministers meet {i}", "source": "Example Wire",
            "published_at": datetime(2024, 5, 31 - i, 16, 0, tzinfo=timezone.utc),
            "fetched_at": NOW - timedelta(hours=1), "language": "en", "content_sha256": stable_id("text", i, length=64),
            "simhash": 12345 + i, "duplicate_of": None, "raw_ref": None, "text_source": "page",
            "text": f"Minister A met Minister B in Paris on May {29 - i}, 2024, to discuss trade.",
            "cleaned_at": NOW - timedelta(hours=1),
        })
    actors = [
        {"actor_id": stable_id("actor", n), "name": n, "title": "Minister", "organization": None, "country": c,
         "updated_at": NOW}
        for n, c in (("Ada Alpha", "FR"), ("Bo Beta", "DE"), ("Cy Gamma", "US"))
    ]
    events = []
    for i in range(3):
        events.append({
            "event_id": stable_id("event", i), "event_date": date(2024, 5, 29 - i), "date_precision": "day",
            "location": "Paris", "venue": None, "mode": "in_person", "status": "occurred", "confidence": 0.9,
            "evidence": articles[i]["text"], "keywords": ["trade"], "extractor_version": "test-1",
            "first_seen_at": NOW, "updated_at": NOW,
        })
    # A planned event may be dated after its articles.
    events.append({**events[0], "event_id": stable_id("event", "planned"), "event_date": date(2024, 9, 1),
                   "status": "planned", "mode": "visit"})
    participants, topics, links = [], [], []
    for i, ev in enumerate(events):
        a = articles[min(i, 2)]
        participants += [
            {"event_id": ev["event_id"], "actor_id": actors[0]["actor_id"], "role": "host", "title": None},
            {"event_id": ev["event_id"], "actor_id": actors[1 + i % 2]["actor_id"], "role": "guest", "title": None},
        ]
        topics.append({"event_id": ev["event_id"], "topic": "trade"})
        links.append({"event_id": ev["event_id"], "article_id": a["article_id"], "evidence": a["text"],
                      "start_char": 0, "end_char": len(a["text"])})
    feed = {"feed_id": feed_id, "url": "https://example.org/feed.xml", "name": "Example", "last_status": 200,
            "last_fetched_at": NOW - timedelta(hours=1), "is_enabled": True}
    with store.connect(settings) as con, store.transaction(con):
        store.upsert(con, "feeds", [feed], ["feed_id"])
        store.upsert(con, "articles", articles, ["article_id"])
        store.upsert(con, "actors", actors, ["actor_id"])
        store.upsert(con, "actor_aliases", [{"alias": "A. Alpha", "actor_id": actors[0]["actor_id"]}],
                     ["alias", "actor_id"])
        store.upsert(con, "events", events, ["event_id"])
        store.upsert(con, "event_participants", participants, ["event_id", "actor_id"])
        store.upsert(con, "event_topics", topics, ["event_id", "topic"])
        store.upsert(con, "event_articles", links, ["event_id", "article_id"])
        pipeline.refresh_event_rollups(con)  # as every load does
    return {"articles": [a["article_id"] for a in articles], "actors": [a["actor_id"] for a in actors],
            "events": [e["event_id"] for e in events]}


class Receiver:
    """A threaded HTTP server on 127.0.0.1 recording every JSON body POSTed to it."""

    def __init__(self, status: int = 200):
        self.bodies: list[dict] = []
        self.status = status
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                receiver.bodies.append({"path": self.path, "json": json.loads(raw or b"null")})
                self.send_response(receiver.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def json_at(self, path: str) -> list[dict]:
        return [b["json"] for b in self.bodies if b["path"] == path]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SMTPServer:
    """Just enough SMTP (HELO/EHLO, MAIL, RCPT, DATA, QUIT) for smtplib, recording each message."""

    def __init__(self):
        self.messages: list[dict] = []
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                def say(line: str):
                    self.wfile.write((line + "\r\n").encode())

                say("220 localhost test SMTP")
                mail_from, rcpts = None, []
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    cmd = line.decode(errors="replace").strip()
                    upper = cmd.upper()
                    if upper.startswith("EHLO") or upper.startswith("HELO"):
                        say("250 localhost")
                    elif upper.startswith("MAIL FROM:"):
                        mail_from = cmd[10:].strip(); say("250 OK")  # noqa: E702
                    elif upper.startswith("RCPT TO:"):
                        rcpts.append(cmd[8:].strip()); say("250 OK")  # noqa: E702
                    elif upper == "DATA":
                        say("354 End data with <CR><LF>.<CR><LF>")
                        data = []
                        while True:
                            chunk = self.rfile.readline()
                            if chunk in (b".\r\n", b".\n", b""):
                                break
                            data.append(chunk)
                        outer.messages.append({"from": mail_from, "to": rcpts,
                                               "data": b"".join(data).decode(errors="replace")})
                        mail_from, rcpts = None, []
                        say("250 OK queued")
                    elif upper == "QUIT":
                        say("221 bye")
                        return
                    elif upper == "RSET" or upper == "NOOP":
                        say("250 OK")
                    else:
                        say("502 not implemented")

        class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
