"""The static events report: every event listed, untrusted text escaped, only http(s) links."""

from __future__ import annotations

from meetwire import quality, report, store


def test_report_lists_events_and_escapes(healthy_db):
    settings, ids = healthy_db
    with store.connect(settings) as con:
        con.execute("UPDATE events SET evidence = '<script>alert(1)</script> met' WHERE event_id = ?",
                    [ids["events"][0]])
        con.execute("UPDATE articles SET url = 'javascript:alert(1)', title = 'Evil' WHERE article_id = ?",
                    [ids["articles"][1]])
    index = report.write_report(settings)
    text = (settings.docs_dir / "events.html").read_text()
    assert text.count("<tr id=") == len(ids["events"])
    assert "Ada Alpha (FR)" in text and "Paris" in text
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt; met" in text
    assert "href='javascript:" not in text and "Evil" in text
    assert "href='https://example.org/news/0'" in text
    assert "2024-05-29" in text
    # filters offered from the data, and every page links every other
    assert "<option>occurred</option>" in text and "<option>FR</option>" in text
    pages = {p: (settings.docs_dir / p).read_text() for p in ("index.html", "events.html", "health.html")}
    assert index.name == "index.html"
    for body in pages.values():
        for href in ("index.html", "events.html", "health.html", "quality/index.html"):
            assert f"href='{href}'" in body
    # charts are inline SVG (nothing to fetch at view time)
    assert pages["index.html"].count("<svg") >= 4 and "http://" not in pages["index.html"].split("<svg", 1)[0]
    assert "<script src" not in "".join(pages.values())


def test_quality_run_refreshes_report(healthy_db):
    settings, _ = healthy_db
    quality.run_quality(settings, suites=["actors"])
    assert (settings.docs_dir / "events.html").exists()
    assert "quality/index.html" in (settings.docs_dir / "index.html").read_text()


def test_gx_pages_escape_hostile_values(healthy_db):
    """A value from the web (here a mode) shown as an unexpected value on GX's own page must not become markup."""
    settings, ids = healthy_db
    with store.connect(settings) as con:
        con.execute("UPDATE events SET mode = '<img src=x onerror=alert(1)>' WHERE event_id = ?", [ids["events"][0]])
    report_ = quality.run_quality(settings, run_id="hostile", suites=["events"])
    assert not report_.success
    pages = list((settings.docs_dir / "quality" / "gx" / "hostile").glob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text()
        assert "<img src=x" not in text, page.name
    assert any("onerror=alert(1)" in p.read_text() for p in pages)  # shown, as text
