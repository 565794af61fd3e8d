"""Helpers for the ingestion tests: a scriptable local HTTP server, document builders, a deterministic cleaner.

The server is a small threaded `http.server` (not pytest-httpserver) because the fault cases need byte-level
control: trickled bodies, unbounded streams, raw gzip bombs, redirects to other addresses.
"""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from meetwire.settings import Settings


def with_settings(settings: Settings, **changes) -> Settings:
    return dataclasses.replace(settings, **changes)


# --- the server ------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Reply:
    status: int = 200
    body: bytes | Iterable[bytes] | Callable[[], Iterable[bytes]] = b""
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    delay: float = 0.0  # before the status line


class LocalServer:
    def __init__(self, host: str = "127.0.0.1"):
        self.routes: dict[str, list] = {}
        self.log: list[tuple[str, str, dict[str, str]]] = []  # (method, path, headers)
        self.sent: dict[str, int] = {}  # body bytes written per path
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                path = self.path
                with server._lock:
                    server.log.append(("GET", path, {k.lower(): v for k, v in self.headers.items()}))
                    replies = server.routes.get(path.split("?")[0]) or server.routes.get(path)
                    if replies is None:
                        reply = Reply(404, b"not found") if path.startswith("/robots.txt") else Reply(404, b"no route")
                    else:
                        reply = replies[0] if len(replies) == 1 else replies.pop(0)
                if callable(reply) and not isinstance(reply, Reply):
                    reply = reply(self)
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body() if callable(reply.body) else reply.body
                try:
                    self.send_response(reply.status)
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    if isinstance(body, (bytes, bytearray)):
                        if "content-length" not in {k.lower() for k in reply.headers}:
                            self.send_header("Content-Length", str(len(body)))
                        self.send_header("Connection", "close")
                        self.end_headers()
                        self.wfile.write(body)
                        server._count(path, len(body))
                    else:
                        self.send_header("Connection", "close")
                        self.end_headers()
                        for chunk in body:
                            self.wfile.write(chunk)
                            self.wfile.flush()
                            server._count(path, len(chunk))
                except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
                    pass
                self.close_connection = True

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.host = host
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def _count(self, path, n):
        with self._lock:
            self.sent[path] = self.sent.get(path, 0) + n

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def route(self, path: str, *replies) -> None:
        """Replies are served in order; the last one repeats."""
        self.routes[path] = list(replies)

    def requests(self, path: str | None = None) -> list[tuple[str, str, dict]]:
        return [r for r in self.log if path is None or r[1] == path]

    def paths(self) -> list[str]:
        return [r[1] for r in self.log if r[1] != "/robots.txt"]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# --- documents -------------------------------------------------------------------------------------------------

PARAGRAPHS = [
    "The foreign minister of Freedonia met his counterpart from Sylvania in the capital on Tuesday to discuss "
    "trade, border security and the fate of the river treaty that has been stalled for years.",
    "Officials from both sides said the talks were frank and constructive, and that they had agreed to meet "
    "again before the end of the year in order to prepare a summit of their two presidents.",
    "The meeting was the first at this level since the dispute over fishing rights escalated last spring, "
    "when the navy of one country detained a trawler from the other for several weeks.",
    "Analysts said that the agreement to keep talking was a modest but real step, and that it would be tested "
    "by the elections that are due in both countries in the coming months.",
]


_WORDS = (
    "minister president delegation talks border trade summit treaty agreement officials capital embassy "
    "ambassador council security economy energy river harbour election parliament government opposition "
    "spokesman statement visit meeting week month year region neighbour envoy adviser cabinet sanctions "
    "exports imports farmers workers students budget reform court police army navy airport railway"
).split()


def _sentences(seed: str, n: int) -> list[str]:
    import random

    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words = [rng.choice(_WORDS) for _ in range(rng.randint(10, 16))]
        out.append(f"The {words[0]} of the {words[1]} said that the {' and the '.join(words[2:5])} "
                   f"would discuss the {' '.join(words[5:])} with the {rng.choice(_WORDS)}.")
    return out


def article_text(topic: str = "Freedonia", n: int = 4) -> str:
    """English article text; the same topic gives the same text, different topics clearly different texts."""
    paras = [p.replace("Freedonia", topic) for p in PARAGRAPHS[:n]]
    sentences = _sentences(topic, 9)
    paras += [" ".join(sentences[i : i + 3]) for i in range(0, 9, 3)]
    return "\n\n".join(paras)


def article_html(title: str, topic: str = "Freedonia", canonical: str | None = None, extra: str = "") -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    paras = "".join(f"<p>{p}</p>" for p in article_text(topic).split("\n\n"))
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>{link}</head>"
        f"<body><article><h1>{title}</h1>{paras}{extra}</article></body></html>"
    ).encode("utf-8")


def rss(items: list[dict], title: str = "Test feed") -> bytes:
    out = [f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
           f'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>{title}</title>'
           "<link>http://example.invalid/</link><description>d</description>"]
    for i, it in enumerate(items):
        out.append("<item>")
        out.append(f"<title>{it.get('title', 'An item')}</title>")
        if it.get("link"):
            out.append(f"<link>{it['link']}</link>")
        out.append(f"<guid isPermaLink='false'>{it.get('guid', it.get('link', 'x'))}</guid>")
        out.append(f"<pubDate>{it.get('date', f'Fri, 31 May 2024 16:{i:02d}:00 GMT')}</pubDate>")
        if it.get("description"):
            out.append(f"<description><![CDATA[{it['description']}]]></description>")
        if it.get("content"):
            out.append(f"<content:encoded><![CDATA[{it['content']}]]></content:encoded>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "".join(out).encode("utf-8")


# --- a deterministic cleaner -----------------------------------------------------------------------------------


class FakeCleanError(Exception):
    def __init__(self, reason, detail=""):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


@dataclasses.dataclass
class FakeCleaned:
    title: str | None
    text: str
    published_at: object
    language: str | None
    canonical_url: str | None
    source: str | None
    text_source: str


def fake_clean_document(body, *, url, content_type=None, fallback_title=None, fallback_published=None,
                        text_source=None):
    """Stands in for meetwire.clean so the fault matrix does not depend on the cleaner's heuristics."""
    text = body if isinstance(body, str) else body.decode("utf-8", "replace")
    canonical = None
    m = re.search(r'<link rel="canonical" href="([^"]+)"', text)
    if m:
        canonical = m.group(1)
    title = fallback_title
    m = re.search(r"<title>(.*?)</title>", text, re.S)
    if m:
        title = m.group(1).strip()
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<title>.*?</title>|<h1>.*?</h1>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", "\n", text)
    text = "\n".join(line.strip() for line in text.splitlines() if line.strip())
    if len(text) < 100:
        raise FakeCleanError("empty_text", f"{len(text)} characters")
    if " der " in text or " und " in text:
        raise FakeCleanError("not_english", "de")
    kind = text_source or ("file" if url.startswith("file:") else "page")
    return FakeCleaned(title, text, fallback_published, "en", canonical, None, kind)


