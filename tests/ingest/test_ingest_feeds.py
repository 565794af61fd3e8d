"""Feed parsing from bytes: the feedparser corpus, JSON Feed, URL canonicalisation, XML attacks."""

from __future__ import annotations

import gzip
import io
import time
import tracemalloc
import zlib
from datetime import datetime, timezone
from pathlib import Path

import feedparser
import pytest

from meetwire.feeds import (
    FeedError,
    canonical_url,
    check_xml_safety,
    html_to_text,
    looks_like_feed,
    parse_feed,
)

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "feedparser-tests"


def _corpus_docs(folder: str):
    if not CORPUS.exists():
        pytest.skip(f"{CORPUS} is not beside the repository")
    for path in sorted((CORPUS / folder).rglob("*")):
        if path.is_file():
            yield path


def _bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".gz":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError):
            return data  # the corpus has deliberately broken gzip files: they go in as they are
    if path.suffix == ".z":
        for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):
            try:
                return zlib.decompress(data, wbits)
            except zlib.error:
                pass
    return data


@pytest.mark.parametrize("folder", ["wellformed", "illformed", "encoding", "entities", "compression"])
def test_feedparser_corpus_parses_or_quarantines(folder):
    """Every document: entries (well-formed: all of them) or a FeedError reason; nothing else ever raises."""
    n = 0
    problems = []
    t0 = time.monotonic()
    for path in _corpus_docs(folder):
        n += 1
        body = _bytes(path)
        url = "http://example.com/feeds/" + path.name
        try:
            feed = parse_feed(body, url=url)
        except FeedError as exc:
            assert exc.reason, path
            if folder in ("wellformed", "entities"):
                problems.append(f"{path.name}: {exc.reason} {exc.detail}")
            continue
        except Exception as exc:  # noqa: BLE001 - the point of the test
            problems.append(f"{path.name}: raised {type(exc).__name__}: {exc}")
            continue
        # what feedparser itself finds is either an entry of ours or a recorded skip (no link): none is lost
        reference = feedparser.parse(io.BytesIO(body), response_headers={"content-location": url})
        if len(feed.entries) + len(feed.skipped) != len(reference.entries):
            problems.append(f"{path.name}: {len(feed.entries)}+{len(feed.skipped)} != {len(reference.entries)}")
        for e in feed.entries:
            if not e.url or not e.canonical_url:
                problems.append(f"{path.name}: entry without url")
    assert n > 0
    assert not problems, "\n".join(problems[:30])
    assert time.monotonic() - t0 < 30


def test_corpus_size():
    docs = list(_corpus_docs(""))
    assert len([p for p in docs if p.name != "LICENSE"]) >= 2000


RSS20 = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>One &amp; two</title><link>/news/1?utm_source=rss&amp;id=7</link>
<pubDate>Fri, 31 May 2024 16:15:00 GMT</pubDate><description>&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt;&lt;/p&gt;</description>
<source url="https://agency.example/">Agency</source></item>
<item><title>No link</title><description>x</description></item>
</channel></rss>"""

RSS091 = b"""<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><title>T</title>
<link>http://a.example/</link><description>d</description><language>en</language>
<item><title>Old</title><link>http://a.example/old</link><description>d</description></item></channel></rss>"""

RSS10 = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://a.example/"><title>T</title><link>http://a.example/</link><description>d</description></channel>
<item rdf:about="http://a.example/rdf1"><title>RDF one</title><link>http://a.example/rdf1</link>
<dc:date>2024-05-30T10:00:00Z</dc:date></item></rdf:RDF>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://b.example/">
<title>A</title><id>urn:x</id><updated>2024-05-30T12:00:00Z</updated>
<entry><title type="html">Atom &lt;i&gt;one&lt;/i&gt;</title><id>urn:1</id><link rel="alternate" href="posts/1#comments"/>
<link rel="enclosure" href="http://b.example/a.mp3"/>
<updated>2024-05-30T12:00:00+02:00</updated><content type="html">&lt;p&gt;Full text&lt;/p&gt;</content></entry>
</feed>"""

JSONFEED = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "J", "feed_url": "https://j.example/feed.json",
 "items": [
  {"id": "1", "url": "https://j.example/a?fbclid=zzz", "title": "Json one", "content_html": "<p>Body</p>",
   "date_published": "2024-05-30T08:00:00-04:00", "authors": [{"name": "Ann"}]},
  {"id": "https://j.example/b", "content_text": "Only text", "summary": "S"},
  {"id": "3", "external_url": "/c", "title": "relative"},
  {"id": "4", "title": "no url at all"},
  "not an object"
 ]}"""


def test_rss20():
    feed = parse_feed(RSS20, url="https://a.example/feed.xml")
    assert feed.kind == "rss20"
    [e] = feed.entries
    assert e.url == "https://a.example/news/1?utm_source=rss&id=7"
    assert e.canonical_url == "https://a.example/news/1?id=7"
    assert e.title == "One & two"
    assert e.summary == "Hello world"
    assert e.published_at == datetime(2024, 5, 31, 16, 15, tzinfo=timezone.utc)
    assert e.source == "Agency"
    assert [r for r, _ in feed.skipped] == ["no_link"]


def test_rss091_and_rss10_and_atom():
    f = parse_feed(RSS091, url="http://a.example/rss")
    assert f.kind == "rss091u" or f.kind.startswith("rss09")
    assert [e.url for e in f.entries] == ["http://a.example/old"]
    f = parse_feed(RSS10, url="http://a.example/rdf")
    assert f.kind == "rss10"
    assert f.entries[0].published_at == datetime(2024, 5, 30, 10, tzinfo=timezone.utc)
    f = parse_feed(ATOM, url="http://b.example/atom")
    assert f.kind == "atom10"
    [e] = f.entries
    assert e.url == "http://b.example/posts/1#comments" and e.canonical_url == "http://b.example/posts/1"
    assert e.content == "Full text"
    assert e.published_at == datetime(2024, 5, 30, 10, tzinfo=timezone.utc)


def test_json_feed():
    assert looks_like_feed(JSONFEED, "application/json")
    f = parse_feed(JSONFEED, url="https://j.example/feed.json", content_type="application/feed+json")
    assert f.kind == "jsonfeed1.1"
    urls = [e.url for e in f.entries]
    assert urls == ["https://j.example/a?fbclid=zzz", "https://j.example/b", "https://j.example/c"]
    assert f.entries[0].canonical_url == "https://j.example/a"
    assert f.entries[0].author == "Ann" and f.entries[0].content == "Body"
    assert f.entries[0].published_at == datetime(2024, 5, 30, 12, tzinfo=timezone.utc)
    assert f.entries[1].content == "Only text"
    assert sorted(r for r, _ in f.skipped) == ["bad_item", "no_link"]


@pytest.mark.parametrize("body,reason", [
    (b"", "empty"),
    (b"{not json", "bad_json"),
    (b'{"version": "something else", "items": []}', "not_a_feed"),
    (b"<!doctype html><html><body>hi</body></html>", "not_a_feed"),
    (b"just some text", "bad_xml"),
])
def test_not_feeds_are_reported(body, reason):
    with pytest.raises(FeedError) as ei:
        parse_feed(body, url="http://x.example/", content_type="application/json" if b"{" in body else None)
    assert ei.value.reason == reason


def test_truncated_feed_yields_recovered_entries():
    body = RSS20.replace(b"</channel></rss>", b"")[:-20]
    feed = parse_feed(body, url="https://a.example/feed.xml")
    assert feed.bozo
    assert [e.title for e in feed.entries] == ["One & two"]


def test_parse_never_opens_files_or_urls(tmp_path):
    secret = tmp_path / "feed.xml"
    secret.write_bytes(RSS20)
    # bytes that name an existing file must not be read as that file
    with pytest.raises(FeedError):
        parse_feed(str(secret).encode(), url="http://x.example/")
    with pytest.raises(FeedError):
        parse_feed(b"http://127.0.0.1:9/feed.xml", url="http://x.example/")


def test_canonical_url():
    assert canonical_url("HTTPS://Example.COM/a/b?utm_source=x&utm_medium=y&id=3&fbclid=abc#frag") == \
        "https://example.com/a/b?id=3"
    assert canonical_url("https://example.com/a?gclid=1&mc_cid=2") == "https://example.com/a"
    assert canonical_url("https://example.com") == "https://example.com/"
    assert canonical_url("file:///srv/feeds/a.txt#x") == "file:///srv/feeds/a.txt"


def test_html_to_text():
    assert html_to_text("<p>One <b>two</b></p><p>Three &amp; four</p><script>x()</script>") == \
        "One two\n\nThree & four"
    assert html_to_text(None) is None


# --- XML attacks ---------------------------------------------------------------------------------------------


def _xxe(target: Path) -> bytes:
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "{target.as_uri()}">]>'
        '<rss version="2.0"><channel><title>t</title><item><title>&xxe;</title>'
        "<link>http://a.example/1</link><description>&xxe;</description></item></channel></rss>"
    ).encode()


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % ("" if i == 1 else i - 1)) * 10}">'.encode() for i in range(1, 10)
    )
    + b']><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>'
    b"<link>http://a.example/1</link></item></channel></rss>"
)


def test_xxe_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    with pytest.raises(FeedError) as ei:
        parse_feed(_xxe(secret), url="http://a.example/feed")
    assert ei.value.reason == "xml_unsafe"


def test_feedparser_itself_does_not_read_external_entities(tmp_path):
    """Defence in depth: even without our pre-check, feedparser never pulls the file in."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    parsed = feedparser.parse(io.BytesIO(_xxe(secret)))
    assert "TOP-SECRET-CONTENT" not in repr(parsed)


def test_billion_laughs_is_refused_fast():
    """feedparser alone needs ~60 MB and seconds for this 1 KB document; the pre-check refuses it at once."""
    tracemalloc.start()
    try:
        t0 = time.monotonic()
        with pytest.raises(FeedError) as ei:
            parse_feed(BILLION_LAUGHS, url="http://a.example/feed")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert ei.value.reason == "xml_unsafe"
    assert time.monotonic() - t0 < 1
    assert peak < 1024 * 1024


def test_safe_internal_entities_still_parse():
    body = (b'<!DOCTYPE rss [<!ENTITY id "tag:example.com,">]><rss version="2.0"><channel>'
            b"<item><guid isPermaLink='false'>&id;2006</guid><link>http://a.example/x</link></item></channel></rss>")
    check_xml_safety(body)
    feed = parse_feed(body, url="http://a.example/")
    assert [e.url for e in feed.entries] == ["http://a.example/x"]
    assert feed.entries[0].guid.endswith("2006")


def test_utf16_prolog_is_checked(tmp_path):
    body = _xxe(tmp_path / "x").decode().replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="utf-16"?>')
    with pytest.raises(FeedError) as ei:
        check_xml_safety(b"\xff\xfe" + body.encode("utf-16-le"))
    assert ei.value.reason == "xml_unsafe"


@pytest.mark.parametrize("body,safe", [
    # a '>' or ']>' inside a value must not hide the declarations after it
    (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "x>y"><!ENTITY b "]>&a;&a;">]><rss/>', False),
    # encodings expat does not know are transcoded first
    ('<?xml version="1.0" encoding="big5"?><!DOCTYPE r [<!ENTITY a "\u4e2d"><!ENTITY b "&a;&a;">]><rss/>'
     .encode("big5"), False),
    # an ill-formed prolog is still read (by pattern)
    (b'<!DOCTYPE r [<!ENTITY a "x"> <!ENTITY b "&a;&a;" junk junk>]><rss/>', False),
    (b'<!DOCTYPE r [<!ENTITY x PUBLIC "-//X//EN" "http://attacker.example/x.dtd">]><rss>&x;</rss>', False),
    (b"<!DOCTYPE r [" + b"".join(b'<!ENTITY e%d "v">' % i for i in range(60)) + b"]><rss/>", False),
    (b'<!DOCTYPE r [<!ENTITY big "' + b"x" * 10000 + b'">]><rss/>', False),
    # allowed: plain internal entities, external DTD modules (never loaded), entity syntax quoted in CDATA
    (b'<!DOCTYPE rss [<!ENTITY id "tag:example.com,">]><rss/>', True),
    (b'<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY % HTMLlat1 PUBLIC "-//W3C//ENTITIES Latin 1 for XHTML//EN"'
     b' "http://www.w3.org/TR/xhtml1/DTD/xhtml-lat1.ent">%HTMLlat1;]><rdf:RDF/>', True),
    (b'<rss><channel><item><description><![CDATA[<!DOCTYPE x [<!ENTITY x SYSTEM "file:///etc/passwd">]>]]>'
     b"</description></item></channel></rss>", True),
])
def test_xml_safety_cases(body, safe):
    if safe:
        check_xml_safety(body)
    else:
        with pytest.raises(FeedError) as ei:
            check_xml_safety(body)
        assert ei.value.reason == "xml_unsafe"


def test_non_web_links_are_skipped_with_a_reason():
    """javascript: and data: links in a feed are never stored as articles."""
    from meetwire.feeds import parse_feed

    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
      <item><title>evil</title><link>javascript:alert(1)</link><description>x</description></item>
      <item><title>inline</title><link>data:text/html,hello</link><description>x</description></item>
      <item><title>ok</title><link>https://example.org/a</link><description>x</description></item>
    </channel></rss>"""
    parsed = parse_feed(rss, url="https://example.org/feed.xml")
    assert [e.url for e in parsed.entries] == ["https://example.org/a"]
    assert sorted(r for r, _ in parsed.skipped) == ["bad_scheme", "bad_scheme"]
