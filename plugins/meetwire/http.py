"""The only module that touches the network.

`Fetcher.fetch(url)` returns a `FetchResult` or raises `FetchError(reason, detail)`. What it guarantees:

* timeouts: connect and read timeouts plus a total deadline per request, counted from when the request may start
  (after the per-host gate), so a server trickling bytes is cut off;
* size: the body is streamed and cut off at `settings.http_max_bytes`, counted on the wire *and* after
  decompression (gzip, deflate, brotli are decoded here, so a decompression bomb is stopped, not inflated);
* redirects: followed by hand, at most `MAX_REDIRECTS`, loops detected, every hop checked again;
* SSRF: a URL whose host resolves to a loopback, private, link-local, multicast, reserved, unspecified or cloud
  metadata address is refused, unless the host or address is allowed by `settings.allow_private_hosts`
  (host names or CIDRs). The check runs before each hop *and* inside the connection itself (the connection goes to
  the address that was checked, so DNS rebinding between check and connect does not help);
* schemes: only http and https; `file:` only when the caller allows it, and then only under a given directory;
* retries: exponential backoff with jitter, on 5xx, timeouts and connection errors only;
* politeness: an identifying User-Agent, robots.txt (fetched once per host and cached; Crawl-delay widens the
  host's interval, up to CRAWL_DELAY_MAX), at most
  `settings.http_per_host` concurrent requests per host and `settings.http_min_interval` seconds between starts;
* charset: BOM, then the Content-Type charset, then an XML declaration or HTML meta charset, then
  charset_normalizer; the first candidate that decodes strictly wins.
"""

from __future__ import annotations

import codecs
import ipaddress
import logging
import mimetypes
import random
import re
import socket
import threading
import time
import urllib.parse
import urllib.request
import urllib.robotparser
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import httpcore
import httpx

from meetwire.errors import QuarantinableError
from meetwire.settings import Settings, get_settings

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
ROBOTS_MAX_BYTES = 512 * 1024
CHUNK = 64 * 1024

# robots.txt Crawl-delay is honoured up to this many seconds between requests to one host.
CRAWL_DELAY_MAX = 30.0

METADATA_ADDRESSES = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
REDIRECT_CODES = {301, 302, 303, 307, 308}
PERMANENT_REDIRECTS = {301, 308}


class FetchError(QuarantinableError):
    """A fetch that produced nothing usable. `reason` is short and machine-readable (it goes to quarantine)."""

    def __init__(
        self,
        reason: str,
        detail: str = "",
        *,
        url: str | None = None,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        final_url: str | None = None,
        retry_after: float | None = None,
        permanent_url: str | None = None,
    ):
        super().__init__(reason, detail)
        self.url = url
        self.status = status
        self.headers = headers or {}
        self.final_url = final_url
        self.retry_after = retry_after  # seconds, from a Retry-After header
        self.permanent_url = permanent_url


@dataclass
class FetchResult:
    url: str  # what was asked for
    final_url: str  # after redirects
    status: int
    headers: dict[str, str]  # lower-cased names
    body: bytes  # decoded content-encoding (gzip etc.), not charset
    content_type: str | None  # the media type, lower-cased, without parameters
    encoding: str | None  # the charset the text decodes with (None for a 304)
    elapsed: float
    n_wire_bytes: int = 0
    redirects: list[tuple[int, str]] = field(default_factory=list)  # (status, location) per hop
    permanent_url: str | None = None  # set when every hop from the start was a 301/308

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def text(self) -> str:
        return self.body.decode(self.encoding or "utf-8", errors="replace")

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type_header(self) -> str | None:
        return self.headers.get("content-type")


# --- SSRF ------------------------------------------------------------------------------------------------------


def _allow_rules(allow: tuple[str, ...] | list[str]) -> tuple[set[str], list]:
    hosts: set[str] = set()
    nets = []
    for item in allow:
        item = item.strip().lower()
        if not item:
            continue
        try:
            nets.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            hosts.add(item.strip("[]"))
    return hosts, nets


def is_public_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES:
        return False
    return not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or getattr(ip, "is_site_local", False)
        or not ip.is_global
    )


class AddressPolicy:
    """Which addresses a host name may resolve to."""

    def __init__(self, allow: tuple[str, ...] | list[str] = ()):
        self.hosts, self.nets = _allow_rules(allow)

    def ip_allowed(self, host: str, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        if is_public_address(ip):
            return True
        if host.lower().strip("[]") in self.hosts or str(ip) in self.hosts:
            return True
        return any(ip in net for net in self.nets if net.version == ip.version)

    def resolve(self, host: str, port: int) -> list[str]:
        """The host's addresses, all checked; raises FetchError(ssrf_blocked) if any is not allowed."""
        host = host.strip("[]")
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise FetchError("dns_error", f"{host}: {exc}") from exc
        addresses = []
        for info in infos:
            addr = info[4][0].split("%", 1)[0]
            ip = ipaddress.ip_address(addr)
            if not self.ip_allowed(host, ip):
                raise FetchError("ssrf_blocked", f"{host} resolves to {ip}, which is not a public address")
            if addr not in addresses:
                addresses.append(addr)
        if not addresses:
            raise FetchError("dns_error", f"{host}: no addresses")
        return addresses


class _GuardedBackend(httpcore.SyncBackend):
    """Resolve, check and connect to the checked address (defeats DNS rebinding between check and connect)."""

    def __init__(self, policy: AddressPolicy):
        super().__init__()
        self.policy = policy

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = self.policy.resolve(host, port)
        last: Exception | None = None
        for addr in addresses:
            try:
                return super().connect_tcp(addr, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                last = exc
        assert last is not None
        raise last


def _guarded_transport(policy: AddressPolicy) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(trust_env=False, retries=0)
    # httpx builds its own connection pool; rebuild it with the guarded network backend.
    transport._pool = httpcore.ConnectionPool(  # noqa: SLF001 - httpx offers no public hook for this
        ssl_context=httpx.create_ssl_context(),
        max_connections=100,
        max_keepalive_connections=20,
        keepalive_expiry=5.0,
        http1=True,
        http2=False,
        retries=0,
        network_backend=_GuardedBackend(policy),
    )
    return transport


# --- charset ---------------------------------------------------------------------------------------------------

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """'text/html; charset=ISO-8859-1' -> ('text/html', 'iso-8859-1')."""
    if not value:
        return None, None
    parts = value.split(";")
    media = parts[0].strip().lower() or None
    charset = None
    for part in parts[1:]:
        key, _, val = part.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").lower() or None
    return media, charset


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


_LATIN_FAMILY = {
    codecs.lookup(n).name
    for n in ("cp1250", "cp1252", "latin-1", "iso8859-15", "iso8859-2", "cp1254", "iso8859-9", "cp1257",
              "iso8859-13", "iso8859-4", "iso8859-3", "mac-roman", "mac-latin2", "cp850", "cp437", "iso8859-16",
              "iso8859-14", "iso8859-10")
}


def detect_encoding(body: bytes, content_type: str | None = None) -> str:
    """The charset to decode `body` with: BOM, header, XML declaration / meta, charset_normalizer, utf-8."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    _, header = parse_content_type(content_type)
    head = body[:4096]
    candidates = [header]
    m = _XML_DECL.match(head)
    if m:
        candidates.append(m.group(1).decode("ascii", "ignore"))
    m = _META_CHARSET.search(head)
    if m:
        candidates.append(m.group(1).decode("ascii", "ignore"))
    declared = []
    for cand in candidates:
        name = _codec(cand)
        if name is None:
            continue
        if name in {"utf-16", "utf-32"}:  # declared but no BOM: the declaration was written by an ASCII tool
            continue
        declared.append(name)
        try:
            body.decode(name)
        except UnicodeDecodeError:
            continue
        return name
    # A page declared UTF-8 with a few bad bytes is still UTF-8: decoding it as windows-1252 would garble every
    # accented name on it. Keep the declaration when the damage is small (the bad bytes become U+FFFD).
    for name in declared:
        if name == "utf-8" and count_replacements(body, name) <= max(8, len(body) // 1000):
            return name
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:200_000]).best()
        name = _codec(best.encoding) if best is not None else None
        # Without a BOM, a UTF-16/32 guess on an 8-bit document is nearly always wrong; and among the Latin
        # single-byte code pages the guess is a coin toss on short texts, where windows-1252 is the web's
        # fallback (WHATWG). Other scripts (Cyrillic, CJK, ...) keep the detector's answer.
        if name and not name.startswith(("utf-16", "utf-32")) and name not in _LATIN_FAMILY:
            return name
    except Exception:  # pragma: no cover - detection is best effort
        log.debug("charset detection failed", exc_info=True)
    try:
        body.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def count_replacements(body: bytes, encoding: str) -> int:
    """How many replacement characters decoding ``body`` in ``encoding`` produces (one per undecodable sequence;
    U+FFFD already in the document is not counted)."""
    text = body.decode(encoding, errors="replace")
    try:
        own = "\ufffd".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        own = b""
    return text.count("\ufffd") - (body.count(own) if own else 0)


def decode_body(body: bytes, content_type: str | None = None) -> str:
    return decode_report(body, content_type)[0]


def decode_report(body: bytes, content_type: str | None = None) -> tuple[str, str, int]:
    """(text, encoding, replacements): the declared or detected charset, bad sequences replaced and counted."""
    encoding = detect_encoding(body, content_type)
    text = body.decode(encoding, errors="replace")
    bad = count_replacements(body, encoding) if "\ufffd" in text else 0
    if bad:
        log.warning("%d undecodable byte sequences replaced (decoded as %s)", bad, encoding)
    return text, encoding, bad


# --- decompression with a budget -------------------------------------------------------------------------------


class _Decoder:
    """Content-Encoding decoder that never produces more than `limit` bytes in total."""

    def __init__(self, encoding: str, limit: int):
        self.encoding = encoding
        self.limit = limit
        self.produced = 0
        self._pending = b""
        if encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._z = None  # decided on the first bytes: zlib-wrapped or raw deflate
        elif encoding == "br":
            import brotli

            self._br = brotli.Decompressor()
        else:
            raise FetchError("bad_encoding", f"unsupported Content-Encoding {encoding!r}")

    def _bomb(self) -> FetchError:
        return FetchError("decompression_bomb", f"{self.encoding} body decompresses past {self.limit} bytes")

    def feed(self, data: bytes) -> bytes:
        room = self.limit - self.produced + 1
        try:
            if self.encoding == "br":
                out = self._br.process(data, output_buffer_limit=room)
                chunks = [out]
                total = len(out)
                while total < room and not self._br.can_accept_more_data():
                    more = self._br.process(b"", output_buffer_limit=room - total)
                    if not more:
                        break
                    chunks.append(more)
                    total += len(more)
                out = b"".join(chunks)
            else:
                if self._z is None:
                    self._pending += data
                    if len(self._pending) < 2:
                        return b""
                    data, self._pending = self._pending, b""
                    first = data[0]
                    wbits = zlib.MAX_WBITS if (first & 0x0F) == 8 and ((data[0] << 8) | data[1]) % 31 == 0 else -zlib.MAX_WBITS
                    self._z = zlib.decompressobj(wbits)
                out = self._z.decompress(data, room)
                if self._z.unconsumed_tail:
                    raise self._bomb()
        except FetchError:
            raise
        except Exception as exc:
            raise FetchError("bad_encoding", f"{self.encoding}: {exc}") from exc
        self.produced += len(out)
        if self.produced > self.limit:
            raise self._bomb()
        return out

    def flush(self) -> bytes:
        try:
            if self.encoding == "br":
                return b""
            if self._z is None:
                if not self._pending:
                    return b""
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                out = self._z.decompress(self._pending, self.limit - self.produced + 1)
            else:
                out = self._z.flush()
        except Exception as exc:
            raise FetchError("bad_encoding", f"{self.encoding}: {exc}") from exc
        self.produced += len(out)
        if self.produced > self.limit:
            raise self._bomb()
        return out


# --- rate limiting ---------------------------------------------------------------------------------------------


class _HostGate:
    def __init__(self, per_host: int, min_interval: float):
        self.sem = threading.BoundedSemaphore(max(1, per_host))
        self.min_interval = max(0.0, min_interval)
        self.lock = threading.Lock()
        self.next_start = 0.0

    def __enter__(self):
        self.sem.acquire()
        with self.lock:
            now = time.monotonic()
            wait = self.next_start - now
            self.next_start = max(now, self.next_start) + self.min_interval
        if wait > 0:
            time.sleep(wait)
        return self

    def __exit__(self, *exc):
        self.sem.release()


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        from email.utils import parsedate_to_datetime

        when = parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


# --- the fetcher -----------------------------------------------------------------------------------------------


class Fetcher:
    """One per ingest run: holds the connection pool, the robots cache and the per-host gates. Thread-safe."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        backoff_base: float | None = None,
        backoff_max: float | None = None,
        retry_after_sleep_max: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.settings = settings or get_settings()
        self.policy = AddressPolicy(self.settings.allow_private_hosts)
        # Backoff between retries: base * 2**attempt, capped, times a random jitter in [0.5, 1.0].
        self.backoff_base = self.settings.http_backoff if backoff_base is None else backoff_base
        self.backoff_max = self.settings.http_backoff_max if backoff_max is None else backoff_max
        self.retry_after_sleep_max = (
            self.settings.http_retry_after_sleep_max if retry_after_sleep_max is None else retry_after_sleep_max
        )
        self.sleep = sleep
        self.client = httpx.Client(
            transport=_guarded_transport(self.policy),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": self.settings.user_agent, "Accept-Encoding": "gzip, deflate, br"},
        )
        self._gates: dict[str, _HostGate] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | FetchError | None] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self.requests_made: list[tuple[str, str]] = []  # (method, url), for tests and logs

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- public ---------------------------------------------------------------------------------------------

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
        file_root: Path | None = None,
        check_robots: bool = True,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """GET `url` (conditional when etag/last_modified are given). `file_root` allows `file:` URLs under it."""
        url = urllib.parse.urldefrag(url)[0]  # never sent; keeps final_url comparable
        scheme = urllib.parse.urlsplit(url).scheme.lower()
        if scheme == "file":
            if file_root is None:
                raise FetchError("bad_scheme", "file: URLs are only allowed for locally configured feeds", url=url)
            return self._fetch_file(url, file_root, max_bytes or self.settings.http_max_bytes, etag, last_modified)
        if scheme not in ("http", "https"):
            raise FetchError("bad_scheme", f"scheme {scheme!r} is not fetched", url=url)
        attempts = max(0, self.settings.http_retries) + 1
        last: FetchError | None = None
        for attempt in range(attempts):
            try:
                return self._fetch_chain(url, etag, last_modified, accept, check_robots, max_bytes)
            except FetchError as exc:
                last = exc
                if not self._retryable(exc) or attempt == attempts - 1:
                    raise
                delay = min(self.backoff_max, self.backoff_base * (2**attempt)) * random.uniform(0.5, 1.0)
                if exc.retry_after is not None:
                    if exc.retry_after > self.retry_after_sleep_max:
                        raise
                    delay = max(delay, exc.retry_after)
                log.info("retrying %s after %s (attempt %d, %.2fs)", url, exc.reason, attempt + 1, delay)
                self.sleep(delay)
        raise last  # pragma: no cover - the loop always returns or raises

    # -- internals ------------------------------------------------------------------------------------------

    @staticmethod
    def _retryable(exc: FetchError) -> bool:
        if exc.reason in {"timeout", "connect_error", "network_error"}:
            return True
        return exc.status is not None and 500 <= exc.status <= 599

    def _gate(self, url: str) -> _HostGate:
        host = (urllib.parse.urlsplit(url).hostname or "").lower()
        with self._lock:
            gate = self._gates.get(host)
            if gate is None:
                gate = self._gates[host] = _HostGate(self.settings.http_per_host, self.settings.http_min_interval)
            return gate

    def check_url(self, url: str) -> None:
        """Scheme and SSRF check of one hop (raises FetchError)."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            raise FetchError("bad_scheme", f"scheme {parts.scheme!r} is not fetched", url=url)
        if not parts.hostname:
            raise FetchError("bad_url", "no host", url=url)
        if parts.username or parts.password:
            raise FetchError("bad_url", "credentials in URL", url=url)
        try:
            port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        except ValueError as exc:
            raise FetchError("bad_url", str(exc), url=url) from exc
        try:
            self.policy.resolve(parts.hostname, port)
        except FetchError as exc:
            exc.url = url
            raise

    def _fetch_chain(self, url, etag, last_modified, accept, check_robots, max_bytes) -> FetchResult:
        started = time.monotonic()
        seen = {url}
        redirects: list[tuple[int, str]] = []
        permanent_url: str | None = None
        all_permanent = True
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            self.check_url(current)
            if check_robots:
                self._check_robots(current)
            headers = {}
            if accept:
                headers["Accept"] = accept
            if etag and current == url:
                headers["If-None-Match"] = etag
            if last_modified and current == url:
                headers["If-Modified-Since"] = last_modified
            status, resp_headers, body, wire, encoding = self._request(current, headers, max_bytes)
            if status in REDIRECT_CODES:
                location = resp_headers.get("location")
                if not location:
                    raise FetchError("bad_redirect", f"{status} without Location", url=url, status=status)
                target = urllib.parse.urljoin(current, location.strip())
                target = urllib.parse.urldefrag(target)[0]
                redirects.append((status, target))
                if status in PERMANENT_REDIRECTS and all_permanent:
                    permanent_url = target
                else:
                    all_permanent = False
                if target in seen:
                    raise FetchError("redirect_loop", f"{target} visited twice", url=url, final_url=target)
                seen.add(target)
                current = target
                continue
            elapsed = time.monotonic() - started
            media, _ = parse_content_type(resp_headers.get("content-type"))
            if status == 304:
                return FetchResult(url, current, 304, resp_headers, b"", media, None, elapsed, wire, redirects,
                                   permanent_url)
            if status >= 400 or status < 200:
                raise FetchError(
                    f"http_{status}",
                    body[:200].decode("utf-8", "replace"),
                    url=url,
                    status=status,
                    headers=resp_headers,
                    final_url=current,
                    retry_after=_retry_after_seconds(resp_headers.get("retry-after")),
                    permanent_url=permanent_url,
                )
            return FetchResult(url, current, status, resp_headers, body, media, encoding, elapsed, wire, redirects,
                               permanent_url)
        raise FetchError("too_many_redirects", f"more than {MAX_REDIRECTS} redirects", url=url, final_url=current)

    def _request(self, url, headers, max_bytes):
        limit = max_bytes or self.settings.http_max_bytes
        s = self.settings
        with self._gate(url):
            # The deadline runs from when this request may start, not from when it queued behind the host gate.
            deadline = time.monotonic() + s.http_deadline
            remaining = s.http_deadline
            timeout = httpx.Timeout(
                connect=min(s.http_connect_timeout, remaining),
                read=min(s.http_read_timeout, remaining),
                write=min(s.http_read_timeout, remaining),
                pool=min(s.http_connect_timeout, remaining),
            )
            self.requests_made.append(("GET", url))
            try:
                with self.client.stream("GET", url, headers=headers, timeout=timeout) as resp:
                    resp_headers = {k.lower(): v for k, v in resp.headers.items()}
                    status = resp.status_code
                    if status in REDIRECT_CODES or status == 304:
                        return status, resp_headers, b"", 0, None
                    declared = resp_headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > limit:
                        raise FetchError("too_large", f"Content-Length {declared} > {limit}", url=url,
                                         status=status)
                    encoding_header = resp_headers.get("content-encoding", "identity").strip().lower()
                    codings = [c.strip() for c in encoding_header.split(",") if c.strip() not in ("", "identity")]
                    if len(codings) > 1:
                        raise FetchError("bad_encoding", f"stacked Content-Encoding {encoding_header!r}", url=url)
                    decoder = _Decoder(codings[0], limit) if codings else None
                    chunks: list[bytes] = []
                    wire = 0
                    size = 0
                    for raw in resp.iter_raw():
                        wire += len(raw)
                        if wire > limit:
                            raise FetchError("too_large", f"body exceeds {limit} bytes", url=url, status=status)
                        if time.monotonic() > deadline:
                            raise FetchError("timeout", f"deadline of {s.http_deadline}s passed while reading",
                                             url=url, status=status)
                        data = decoder.feed(raw) if decoder else raw
                        size += len(data)
                        if size > limit:
                            raise FetchError("too_large", f"body exceeds {limit} bytes", url=url, status=status)
                        chunks.append(data)
                    if decoder:
                        tail = decoder.flush()
                        size += len(tail)
                        chunks.append(tail)
                    body = b"".join(chunks)
            except FetchError as exc:
                exc.url = exc.url or url
                raise
            except httpx.TimeoutException as exc:
                raise FetchError("timeout", f"{type(exc).__name__}: {exc}", url=url) from exc
            except httpx.ConnectError as exc:
                raise FetchError("connect_error", str(exc), url=url) from exc
            except (httpx.TransportError, httpx.StreamError) as exc:
                raise FetchError("network_error", f"{type(exc).__name__}: {exc}", url=url) from exc
            except httpx.InvalidURL as exc:
                raise FetchError("bad_url", str(exc), url=url) from exc
        encoding = detect_encoding(body, resp_headers.get("content-type")) if 200 <= status < 300 else None
        return status, resp_headers, body, wire, encoding

    def _fetch_file(self, url: str, root: Path, limit: int, etag: str | None = None,
                    last_modified: str | None = None) -> FetchResult:
        """A local file, with HTTP-like validators (ETag = content hash) so conditional reads work the same way."""
        started = time.monotonic()
        parts = urllib.parse.urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise FetchError("bad_scheme", f"file: URL with a host ({parts.netloc})", url=url)
        path = Path(urllib.request.url2pathname(parts.path)).resolve()
        root = root.resolve()
        if path != root and root not in path.parents:
            raise FetchError("bad_scheme", f"{path} is outside {root}", url=url)
        if not path.is_file():
            raise FetchError("http_404", f"no such file {path}", url=url, status=404)
        with path.open("rb") as fh:
            body = fh.read(limit + 1)
        if len(body) > limit:
            raise FetchError("too_large", f"file exceeds {limit} bytes", url=url)
        import hashlib
        from email.utils import formatdate

        validator = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        modified = formatdate(path.stat().st_mtime, usegmt=True)
        if etag is not None and etag == validator:
            return FetchResult(url, url, 304, {"etag": validator, "last-modified": modified}, b"", None, None,
                               time.monotonic() - started, 0)
        guessed, _ = mimetypes.guess_type(path.name)
        if path.suffix.lower() in (".xml", ".rss", ".atom", ".rdf"):
            guessed = "application/xml"
        elif path.suffix.lower() == ".json":
            guessed = "application/json"
        media = guessed or "application/octet-stream"
        encoding = detect_encoding(body, media)
        headers = {
            "content-type": f"{media}; charset={encoding}" if media.startswith("text/") else media,
            "etag": validator,
            "last-modified": modified,
        }
        return FetchResult(url, url, 200, headers, body, media, encoding, time.monotonic() - started, len(body))

    # -- robots.txt -----------------------------------------------------------------------------------------

    def _check_robots(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        with self._lock:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:
            if origin not in self._robots:
                try:
                    self._robots[origin] = self._load_robots(origin)
                except FetchError as exc:
                    self._robots[origin] = exc  # the host is unreachable: fail its pages the same way this run
            parser = self._robots[origin]
        if isinstance(parser, FetchError):
            raise FetchError(parser.reason, f"robots.txt: {parser.detail}", url=url)
        if parser is not None and not parser.can_fetch(self.settings.user_agent, url):
            raise FetchError("robots_disallowed", f"robots.txt of {origin} disallows {parts.path or '/'}", url=url)

    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        """RFC 9309: 4xx means no restrictions; 5xx or unreachable means everything is disallowed."""
        robots_url = origin + "/robots.txt"
        parser = urllib.robotparser.RobotFileParser(robots_url)
        try:
            result = self.fetch(robots_url, check_robots=False, max_bytes=ROBOTS_MAX_BYTES)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                return None
            if exc.reason == "too_large":
                return None
            if exc.status is None:
                raise  # unreachable host, refused address, timeout: the page itself would fail the same way
            log.warning("robots.txt of %s unavailable (%s): treating the host as disallowed", origin, exc.reason)
            parser.parse(["User-agent: *", "Disallow: /"])
            return parser
        parser.parse(result.text.splitlines())
        delay = _crawl_delay(result.text, self.settings.user_agent)
        if delay:
            gate = self._gate(robots_url)
            gate.min_interval = max(gate.min_interval, min(float(delay), CRAWL_DELAY_MAX))
        return parser


def _crawl_delay(robots_txt: str, user_agent: str) -> float | None:
    """Crawl-delay for our agent (or '*'), fractional seconds allowed (urllib.robotparser reads integers only)."""
    ours = user_agent.split("/")[0].strip().lower()
    agents: list[str] = []
    in_rules = False
    specific = generic = None
    for line in robots_txt.splitlines():
        line = line.split("#", 1)[0].strip()
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "user-agent":
            if in_rules:
                agents, in_rules = [], False
            agents.append(value.lower())
        elif key:
            in_rules = True
            if key == "crawl-delay":
                try:
                    delay = float(value)
                except ValueError:
                    continue
                if any(a != "*" and a in ours for a in agents):
                    specific = delay
                elif "*" in agents and generic is None:
                    generic = delay
    return specific if specific is not None else generic


def file_url(path: Path) -> str:
    return path.resolve().as_uri()

