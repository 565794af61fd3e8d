"""meetwire.http against a local server: retries, timeouts, size limits, redirects, SSRF, charsets, robots."""

from __future__ import annotations

import brotli
import codecs
import gzip
import ipaddress
import time
import tracemalloc
import zlib

import pytest

from meetwire import http as mw_http
from meetwire.http import AddressPolicy, Fetcher, FetchError, detect_encoding, is_public_address

from ingest_support import Reply, with_settings

pytestmark = pytest.mark.network_local


def fetch(settings, url, **kw):
    with Fetcher(settings) as f:
        return f.fetch(url, **kw)


def test_500_then_200_is_retried(settings, server):
    server.route("/p", Reply(500, b"boom"), Reply(200, b"hello", {"Content-Type": "text/plain"}))
    r = fetch(settings, server.url("/p"))
    assert r.status == 200 and r.body == b"hello"
    assert server.paths() == ["/p", "/p"]


def test_persistent_500_gives_up_after_retries(settings, server):
    server.route("/p", Reply(500, b"boom"))
    with pytest.raises(FetchError) as ei:
        fetch(settings, server.url("/p"))
    assert ei.value.reason == "http_500" and ei.value.status == 500
    assert server.paths() == ["/p"] * (settings.http_retries + 1)


def test_404_is_not_retried(settings, server):
    server.route("/p", Reply(404, b"gone"))
    with pytest.raises(FetchError) as ei:
        fetch(settings, server.url("/p"))
    assert ei.value.reason == "http_404"
    assert server.paths() == ["/p"]


def test_read_timeout(settings, server):
    s = with_settings(settings, http_read_timeout=0.3, http_retries=1)
    server.route("/slow", Reply(200, b"late", delay=2.0))
    t0 = time.monotonic()
    with pytest.raises(FetchError) as ei:
        fetch(s, server.url("/slow"))
    assert ei.value.reason == "timeout"
    assert time.monotonic() - t0 < 1.8  # two attempts of ~0.3 s, not two of 2 s
    assert server.paths() == ["/slow", "/slow"]  # timeouts are retried


def test_trickling_server_hits_the_deadline(settings, server):
    def trickle():
        for _ in range(1000):
            time.sleep(0.05)
            yield b"x"

    s = with_settings(settings, http_read_timeout=1.0, http_deadline=0.6, http_retries=0)
    server.route("/trickle", Reply(200, trickle, {"Content-Type": "text/plain"}))
    t0 = time.monotonic()
    with pytest.raises(FetchError) as ei:
        fetch(s, server.url("/trickle"))
    assert ei.value.reason == "timeout"
    assert time.monotonic() - t0 < 2.0  # each byte came within the read timeout; the deadline cut it off


def test_50mb_body_is_cut_off_with_bounded_memory(settings, server):
    chunk = b"a" * 65536
    total = 50 * 1024 * 1024

    def huge():
        for _ in range(total // len(chunk)):
            yield chunk

    server.route("/huge", Reply(200, huge, {"Content-Type": "text/html"}))
    tracemalloc.start()
    try:
        with pytest.raises(FetchError) as ei:
            fetch(settings, server.url("/huge"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert ei.value.reason == "too_large"
    assert peak < 8 * settings.http_max_bytes  # 1 MB limit: nowhere near 50 MB was held
    time.sleep(0.2)
    assert server.sent.get("/huge", 0) < total  # the client hung up early


def test_declared_content_length_over_limit_is_refused_before_reading(settings, server):
    server.route("/big", Reply(200, b"x" * 10, {"Content-Length": str(200 * 1024 * 1024)}))
    with pytest.raises(FetchError) as ei:
        fetch(settings, server.url("/big"))
    assert ei.value.reason == "too_large"


@pytest.mark.parametrize("coding,encode", [("gzip", gzip.compress), ("deflate", zlib.compress),
                                           ("br", brotli.compress)])
def test_decompression_bomb_is_stopped(settings, server, coding, encode):
    bomb = encode(b"\0" * (8 * 1024 * 1024))
    assert len(bomb) < settings.http_max_bytes  # small on the wire
    server.route("/bomb", Reply(200, bomb, {"Content-Type": "text/html", "Content-Encoding": coding}))
    tracemalloc.start()
    try:
        with pytest.raises(FetchError) as ei:
            fetch(settings, server.url("/bomb"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert ei.value.reason == "decompression_bomb"
    assert peak < 8 * settings.http_max_bytes


@pytest.mark.parametrize("coding,encode", [
    ("gzip", gzip.compress),
    ("deflate", zlib.compress),
    ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send it
    ("br", brotli.compress),
])
def test_content_encodings_are_decoded(settings, server, coding, encode):
    body = b"<p>" + b"hello world " * 1000 + b"</p>"
    server.route("/c", Reply(200, encode(body), {"Content-Type": "text/html", "Content-Encoding": coding}))
    r = fetch(settings, server.url("/c"))
    assert r.body == body


def test_redirect_loop_is_detected(settings, server):
    server.route("/a", Reply(302, b"", {"Location": "/b"}))
    server.route("/b", Reply(302, b"", {"Location": "/a"}))
    with pytest.raises(FetchError) as ei:
        fetch(settings, server.url("/a"))
    assert ei.value.reason == "redirect_loop"


def test_too_many_redirects(settings, server):
    for i in range(10):
        server.route(f"/r{i}", Reply(302, b"", {"Location": f"/r{i + 1}"}))
    with pytest.raises(FetchError) as ei:
        fetch(settings, server.url("/r0"))
    assert ei.value.reason == "too_many_redirects"
    assert len(server.paths()) == mw_http.MAX_REDIRECTS + 1


def test_redirects_are_followed_and_permanent_ones_reported(settings, server):
    server.route("/old", Reply(301, b"", {"Location": "/new"}))
    server.route("/new", Reply(200, b"ok", {"Content-Type": "text/plain"}))
    r = fetch(settings, server.url("/old"))
    assert r.final_url == server.url("/new") and r.permanent_url == server.url("/new")
    server.route("/tmp", Reply(302, b"", {"Location": "/new"}))
    assert fetch(settings, server.url("/tmp")).permanent_url is None


@pytest.mark.parametrize("target", [
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://10.1.2.3/",  # private
    "http://127.0.0.2:{port}/x",  # loopback, but not the allowed 127.0.0.1
    "http://[::1]:{port}/x",  # loopback v6
    "http://[fd00:ec2::254]/",  # metadata v6
    "http://0.0.0.0:{port}/",  # unspecified
])
def test_redirect_to_private_address_is_blocked(settings, server, target):
    server.route("/go", Reply(302, b"", {"Location": target.format(port=server.port)}))
    with pytest.raises(FetchError) as ei:
        fetch(settings, server.url("/go"))
    assert ei.value.reason == "ssrf_blocked"
    assert server.paths() == ["/go"]


def test_loopback_is_blocked_unless_allowed(settings, server):
    server.route("/p", Reply(200, b"ok"))
    with pytest.raises(FetchError) as ei:
        fetch(with_settings(settings, allow_private_hosts=()), server.url("/p"))
    assert ei.value.reason == "ssrf_blocked"
    assert server.log == []  # not even robots.txt was requested
    # a CIDR works as well as a literal host
    assert fetch(with_settings(settings, allow_private_hosts=("127.0.0.0/8",)), server.url("/p")).body == b"ok"


def test_guarded_connection_checks_the_address_itself(settings, server, monkeypatch):
    """Even if the pre-check is bypassed (DNS rebinding), the connection refuses a private address."""
    f = Fetcher(with_settings(settings, allow_private_hosts=()))
    monkeypatch.setattr(f, "check_url", lambda url: None)
    with pytest.raises(FetchError) as ei:
        f.fetch(server.url("/p"), check_robots=False)
    f.close()
    assert ei.value.reason == "ssrf_blocked"
    assert server.log == []


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "file:///etc/passwd", "gopher://127.0.0.1/", "data:,x"])
def test_other_schemes_are_refused(settings, url):
    with pytest.raises(FetchError) as ei:
        fetch(settings, url)
    assert ei.value.reason == "bad_scheme"


def test_redirect_to_file_is_refused(settings, server):
    server.route("/f", Reply(302, b"", {"Location": "file:///etc/passwd"}))
    with pytest.raises(FetchError) as ei:
        fetch(settings, server.url("/f"))
    assert ei.value.reason == "bad_scheme"


def test_file_urls_only_under_the_allowed_root(settings, tmp_path):
    root = tmp_path / "feeds"
    root.mkdir()
    (root / "a.txt").write_text("hello")
    (tmp_path / "secret.txt").write_text("secret")
    r = fetch(settings, (root / "a.txt").as_uri(), file_root=root)
    assert r.body == b"hello" and r.content_type == "text/plain"
    # conditional read: same validator -> 304
    assert fetch(settings, (root / "a.txt").as_uri(), file_root=root, etag=r.etag).status == 304
    for url in [(tmp_path / "secret.txt").as_uri(), (root / ".." / "secret.txt").as_uri()]:
        with pytest.raises(FetchError) as ei:
            fetch(settings, url, file_root=root)
        assert ei.value.reason == "bad_scheme"


def test_missing_charset_uses_meta(settings, server):
    body = "<html><head><meta charset='windows-1252'></head><body>Café “quoted”</body></html>".encode("cp1252")
    server.route("/m", Reply(200, body, {"Content-Type": "text/html"}))
    r = fetch(settings, server.url("/m"))
    assert r.encoding == "cp1252" and "Café “quoted”" in r.text


def test_wrong_header_charset_falls_back(settings, server):
    text = ("The café on the corner served crème brûlée to the délégation. " * 20)
    server.route("/w", Reply(200, text.encode("latin-1"), {"Content-Type": "text/html; charset=utf-8"}))
    r = fetch(settings, server.url("/w"))
    assert r.encoding != "utf-8"
    assert "café" in r.text and "crème brûlée" in r.text


def test_bom_wins(settings, server):
    body = "\ufeff<rss>é</rss>".encode("utf-16-le")
    server.route("/b", Reply(200, body, {"Content-Type": "application/xml; charset=iso-8859-1"}))
    r = fetch(settings, server.url("/b"))
    assert r.encoding == "utf-16" and "é" in r.text


def test_detect_encoding_units():
    assert detect_encoding("naïve".encode("utf-8"), None) == "utf-8"
    assert detect_encoding(b'<?xml version="1.0" encoding="iso-8859-1"?><a>\xe9</a>', None) == codecs.lookup("latin-1").name
    assert detect_encoding("Привет, как дела? Это тест на кириллицу. " .encode("cp1251") * 20, None) == "cp1251"
    assert detect_encoding("é".encode("utf-8"), "text/html; charset=bogus-charset") == "utf-8"


def test_robots_txt_disallow_is_honoured_and_cached(settings, server):
    server.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"}))
    server.route("/private/a", Reply(200, b"secret"))
    server.route("/public/a", Reply(200, b"fine"))
    with Fetcher(settings) as f:
        with pytest.raises(FetchError) as ei:
            f.fetch(server.url("/private/a"))
        assert ei.value.reason == "robots_disallowed"
        assert f.fetch(server.url("/public/a")).body == b"fine"
        assert f.fetch(server.url("/public/a")).body == b"fine"
    assert server.paths() == ["/public/a", "/public/a"]
    assert len(server.requests("/robots.txt")) == 1


def test_robots_txt_5xx_means_disallow_all(settings, server):
    server.route("/robots.txt", Reply(503, b"down"))
    server.route("/a", Reply(200, b"x"))
    with pytest.raises(FetchError) as ei:
        fetch(with_settings(settings, http_retries=0), server.url("/a"))
    assert ei.value.reason == "robots_disallowed"
    assert server.paths() == []


def test_user_agent_and_conditional_headers_are_sent(settings, server):
    server.route("/feed", Reply(304, b""))
    r = fetch(settings, server.url("/feed"), etag='"abc"', last_modified="Fri, 31 May 2024 16:15:00 GMT")
    assert r.status == 304 and r.body == b""
    _, _, headers = server.requests("/feed")[0]
    assert headers["user-agent"] == settings.user_agent
    assert headers["if-none-match"] == '"abc"'
    assert headers["if-modified-since"] == "Fri, 31 May 2024 16:15:00 GMT"
    _, _, robots_headers = server.requests("/robots.txt")[0]
    assert robots_headers["user-agent"] == settings.user_agent


def test_retry_after_short_is_slept_long_is_reported(settings, server):
    server.route("/ra", Reply(503, b"", {"Retry-After": "0"}), Reply(200, b"ok"))
    assert fetch(settings, server.url("/ra")).body == b"ok"
    server.route("/rl", Reply(503, b"", {"Retry-After": "3600"}))
    with pytest.raises(FetchError) as ei:
        fetch(settings, server.url("/rl"))
    assert ei.value.reason == "http_503" and ei.value.retry_after == 3600
    assert server.paths().count("/rl") == 1  # not retried: the caller comes back later


def test_min_interval_per_host(settings, server):
    server.route("/x", Reply(200, b"x"))
    s = with_settings(settings, http_min_interval=0.2)
    with Fetcher(s) as f:
        # timed from before the first request: three requests span at least two intervals, however slow each is
        t0 = time.monotonic()
        for _ in range(3):
            f.fetch(server.url("/x"), check_robots=False)
        assert time.monotonic() - t0 >= 0.39


def test_address_policy_units():
    for addr in ["127.0.0.1", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254", "224.0.0.1",
                 "0.0.0.0", "::1", "fe80::1", "fd00:ec2::254", "::ffff:127.0.0.1", "100.64.0.1", "240.0.0.1"]:
        assert not is_public_address(ipaddress.ip_address(addr)), addr
    for addr in ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"]:
        assert is_public_address(ipaddress.ip_address(addr)), addr
    policy = AddressPolicy(("10.0.0.0/8", "intranet.local"))
    assert policy.ip_allowed("x", ipaddress.ip_address("10.2.3.4"))
    assert not policy.ip_allowed("x", ipaddress.ip_address("192.168.0.1"))
    assert policy.ip_allowed("intranet.local", ipaddress.ip_address("192.168.0.1"))


def test_per_host_concurrency_limit(settings, server):
    from concurrent.futures import ThreadPoolExecutor

    server.route("/slow", Reply(200, b"x", delay=0.3))

    def run(limit):
        with Fetcher(with_settings(settings, http_per_host=limit)) as f:
            f.fetch(server.url("/slow"), check_robots=False)  # warm up
            t0 = time.monotonic()
            with ThreadPoolExecutor(4) as pool:
                list(pool.map(lambda _: f.fetch(server.url("/slow"), check_robots=False), range(4)))
            return time.monotonic() - t0

    assert run(1) >= 1.15  # four 0.3 s requests one after the other
    assert run(4) < 0.9  # in parallel


def test_queueing_behind_the_host_gate_does_not_eat_the_deadline(settings, server):
    from concurrent.futures import ThreadPoolExecutor

    server.route("/q", Reply(200, b"x", delay=0.25))
    s = with_settings(settings, http_per_host=1, http_deadline=0.6, http_retries=0)
    with Fetcher(s) as f:
        with ThreadPoolExecutor(5) as pool:  # 5 x 0.25 s in a queue of one: the last waits ~1 s
            results = list(pool.map(lambda _: f.fetch(server.url("/q"), check_robots=False), range(5)))
    assert [r.body for r in results] == [b"x"] * 5


def test_robots_crawl_delay_spaces_requests(settings, server):
    server.route("/robots.txt", Reply(200, b"User-agent: *\nCrawl-delay: 0.3\nAllow: /\n", {"Content-Type": "text/plain"}))
    server.route("/x", Reply(200, b"x"))
    with Fetcher(settings) as f:
        f.fetch(server.url("/x"))
        t0 = time.monotonic()
        f.fetch(server.url("/x"))
        f.fetch(server.url("/x"))
        assert time.monotonic() - t0 >= 0.55


def test_declared_utf8_with_a_few_bad_bytes_stays_utf8():
    """A page declared UTF-8 with stray bytes must not be read as windows-1252 (every accent garbled)."""
    from meetwire.clean import clean_document
    from meetwire.http import decode_report

    paras = "".join(f"<p>In meeting {i}, Zoë Müller met François Hollande in Zürich to discuss trade, the budget "
                    f"of the euro zone and the {i}th round of farm subsidies.</p>" for i in range(8))
    body = ("<html><head><meta charset='utf-8'><title>Talks</title></head><body><article>"
            + paras + "</article></body></html>").encode() + b"\xff\xfe"
    text, encoding, bad = decode_report(body, "text/html; charset=utf-8")
    assert encoding == "utf-8" and bad == 2 and "Zoë Müller" in text
    assert decode_report(body, None)[1] == "utf-8"  # the meta declaration is enough
    doc = clean_document(body, url="https://example.org/a", content_type="text/html")
    assert "François" in doc.text and "FranÃ" not in doc.text
    assert decode_report("Zoë".encode("cp1252"), None)[1] != "utf-8"  # undeclared cp1252 is still detected
