"""Fuzzing the readers of outside input (bounded: a few hundred examples each, no deadline per example): feeds,
HTML cleaning, dates, the `extract --jsonl` reader and the extractor. Each may refuse with its own error, never crash
or hang (pytest-timeout stops a hang)."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetwire.clean import CleanError, clean_document
from meetwire.extract.dates import find_dates, resolve, to_date
from meetwire.feeds import FeedError, parse_feed

FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# fragments that steer random bytes towards the shapes the parsers care about
_XMLISH = st.sampled_from([b"<?xml version='1.0'?>", b"<rss version='2.0'>", b"<channel>", b"<item>", b"<title>",
                           b"</title>", b"<link>", b"http://example.org/a", b"</item>", b"<feed xmlns='http://www.w3.org/2005/Atom'>",
                           b"<entry>", b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]>", b"&a;", b"<![CDATA[", b"]]>", b"\xff\xfe",
                           b"\x00", b"<", b">", b"&", b"\xe2\x80\x94", b"javascript:alert(1)"])
_HTMLISH = st.sampled_from(["<html>", "<head>", "<meta charset='utf-8'>", "<title>Talks</title>", "<body>", "<p>",
                            "</p>", "<script>var x=1;</script>", "<article>", "Ministers met in Paris on Monday. ",
                            "<div>", "&nbsp;", "<br>", "é", "\u202e", "<table><tr><td>", "</body></html>"])


@FUZZ
@given(st.lists(st.one_of(_XMLISH, st.binary(max_size=40)), max_size=40).map(b"".join))
def test_feeds_parse_or_refuse(body):
    try:
        parsed = parse_feed(body, url="https://example.org/feed.xml")
    except FeedError:
        return
    for entry in parsed.entries:
        assert entry.url.startswith(("http://", "https://", "file:"))


@FUZZ
@given(st.lists(st.one_of(_HTMLISH, st.text(max_size=40)), max_size=60).map("".join),
       st.sampled_from(["text/html", "text/html; charset=utf-8", "text/plain", None]))
def test_cleaning_cleans_or_refuses(html, content_type):
    for body in (html, html.encode("utf-8", "surrogatepass")):
        try:
            doc = clean_document(body, url="https://example.org/a", content_type=content_type)
        except CleanError:
            continue
        assert isinstance(doc.text, str) and doc.text.strip()


@FUZZ
@given(st.text(max_size=200), st.one_of(st.none(), st.dates().map(str)), st.booleans())
def test_dates_find_and_resolve(text, pub, future):
    published = to_date(pub)
    for mention in find_dates(text):
        value, precision = resolve(mention, published, future=future)
        assert precision in ("day", "month", "year", "unknown")


@FUZZ
@given(st.text(max_size=80))
def test_to_date_never_raises(value):
    to_date(value)


@FUZZ
@given(st.lists(st.one_of(
    st.text(max_size=60),
    st.builds(lambda t, p: json.dumps({"id": 1, "text": t, "published_at": p}), st.text(max_size=120),
              st.one_of(st.none(), st.text(max_size=20), st.just("2024-05-30"))),
    st.just("{}"), st.just("[1, 2]"), st.just('{"text": 5}')), max_size=5))
def test_extract_jsonl_reader(lines):
    from typer.testing import CliRunner

    from meetwire.cli import app

    res = CliRunner().invoke(app, ["extract", "--jsonl"], input="\n".join(lines) + "\n")
    assert res.exit_code in (0, 2), res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from([
    "Prime Minister Tony Blair met ", "President Bush ", "talks with ", "in Paris ", "on Friday. ", "He said ",
    "the two sides ", "will meet ", "called off the summit ", "\n\n", "“", "”", "Mr Brown's visit to China ",
    "denied reports of a meeting. ", "three days ago", "Ministers of the EU ", "é", "."]), max_size=30).map("".join))
def test_extractor_never_crashes(text):
    from meetwire.extract import extract_events

    for ev in extract_events(text, "2024-05-30"):
        assert ev["status"] in ("occurred", "planned", "cancelled")
        for s, e in ev["evidence_spans"]:
            assert 0 <= s < e <= len(text)
