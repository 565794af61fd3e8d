from datetime import datetime, timedelta, timezone

import pytest

from meetwire.clean import CleanError, clean_document, clean_text, detect_language, parse_datetime

IST = timezone(timedelta(hours=5, minutes=30))
BODY = (
    "The two ministers met in Geneva on Tuesday to discuss the ceasefire and the exchange of prisoners, "
    "officials said. They agreed to meet again next month and to keep talking through their envoys. "
    "The talks lasted three hours and were described by both sides as frank and useful for the region."
)


def test_seed_000_furniture_removed_and_byline_parsed(seeds_dir):
    doc = clean_document((seeds_dir / "000_868f1a1e4cdcbb71.txt").read_bytes(), url="file:///seeds/000.txt",
                         content_type="text/plain")
    assert doc.title == "US and China Navigate Tensions Amid Global Security Concerns"
    assert doc.published_at == datetime(2024, 5, 31, 21, 45, tzinfo=IST)
    assert doc.published_at.utcoffset() == timedelta(hours=5, minutes=30)
    assert doc.source == "PTI"
    assert doc.dateline == "Washington DC"
    for junk in ("Give Feedback", "Country:", "United States\n", "has not been edited", "Updated:", "Created:"):
        assert junk not in doc.text, junk
    # The headline is kept as title only, not repeated in the body.
    assert "Navigate Tensions" not in doc.text
    assert doc.text.startswith("US Deputy Secretary of State Kurt M Campbell held a candid meeting")
    assert doc.text.rstrip().endswith("Campbell said.")


def test_seed_001_trailing_reply_box_removed(seeds_dir):
    doc = clean_document((seeds_dir / "001_3bb466336d50e8be.txt").read_bytes(), url="file:///seeds/001.txt",
                         content_type="text/plain", fallback_title="US, China hold talks",
                         fallback_published=datetime(2024, 5, 30, 12, tzinfo=timezone.utc))
    assert "leave a reply" not in doc.text.lower()
    assert doc.title == "US, China hold talks"  # first line is a paragraph, not a headline
    assert doc.published_at == datetime(2024, 5, 30, 12, tzinfo=timezone.utc)
    assert "Mark Lambert" in doc.text


def test_html_goes_through_trafilatura():
    html = f"""<html><head><title>Ministers meet in Geneva</title>
    <link rel="canonical" href="https://news.example/world/ministers-meet"></head>
    <body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
    <article><h1>Ministers meet in Geneva</h1><p>{BODY}</p><p>{BODY.replace('Tuesday', 'Wednesday')}</p></article>
    <footer>Copyright 2024 Example News. All rights reserved. Subscribe now!</footer></body></html>"""
    doc = clean_document(html.encode(), url="https://news.example/x?utm_source=rss", content_type="text/html")
    assert "Geneva on Tuesday" in doc.text
    assert "All rights reserved" not in doc.text and "Home" not in doc.text.split()
    assert doc.title == "Ministers meet in Geneva"
    assert doc.text_source == "page"


def test_empty_and_foreign_pages_raise_with_reason():
    with pytest.raises(CleanError) as err:
        clean_document(b"<html><body><nav>Home</nav></body></html>", url="https://x.example/", content_type="text/html")
    assert err.value.reason == "empty_text"
    german = "Die Minister trafen sich am Dienstag in Genf und sprachen über den Waffenstillstand. " * 6
    with pytest.raises(CleanError) as err:
        clean_document(german, url="https://x.example/de", content_type="text/plain")
    assert err.value.reason == "not_english"


def test_byline_time_zones_and_duplicate_paragraphs():
    text, info = clean_text(f"Reuters | Delhi | Published: 02-01-2025 09:00 GMT\n\n{BODY}\n\n{BODY}\n\nShare\nPrint\n")
    assert info["published_at"] == datetime(2025, 1, 2, 9, 0, tzinfo=timezone.utc)  # day first
    assert info["source"] == "Reuters"
    assert text == BODY


@pytest.mark.parametrize("value,expected", [
    ("31-05-2024 21:45 IST", datetime(2024, 5, 31, 21, 45, tzinfo=IST)),
    ("Thu, 30 May 2024 14:00:00 GMT", datetime(2024, 5, 30, 14, 0, tzinfo=timezone.utc)),
    ("not a date", None),
])
def test_parse_datetime(value, expected):
    assert parse_datetime(value) == expected


def test_detect_language():
    assert detect_language(BODY) == "en"
    assert detect_language("short") is None
