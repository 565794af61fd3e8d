"""A failing article is tried a few times, then left alone until the extractor changes (not re-quarantined on
every run), and an old version's mentions survive a crash of the new one."""

from meetwire import pipeline, store
from meetwire.ids import stable_id

TEXT = ("WASHINGTON, May 30, 2024 - Deputy Secretary of State Kurt Campbell met Chinese Executive Vice Foreign "
        "Minister Ma Zhaoxu in Washington on Thursday to discuss bilateral relations.")


def _article(settings, url="https://news.example/a"):
    with store.connect(settings) as con:
        con.execute(
            "INSERT INTO articles (article_id, url, canonical_url, published_at, fetched_at, content_sha256,"
            " text_source, text, cleaned_at) VALUES (?, ?, ?, TIMESTAMPTZ '2024-05-31', now(), 'h', 'page', ?, now())",
            [stable_id(url), url, url, TEXT])


def _state(settings):
    with store.connect(settings) as con:
        return (con.execute("SELECT extractor_version, n_failures FROM article_extractions").fetchall(),
                con.execute("SELECT stage, reason, n_seen FROM quarantine").fetchall(),
                con.execute("SELECT count(*) FROM events").fetchone()[0])


def test_failed_extraction_is_counted_and_stops_after_a_few_attempts(mw_env, monkeypatch):
    import meetwire.extract as extract_pkg

    _article(mw_env)
    version = extract_pkg.EXTRACTOR_VERSION
    assert pipeline.extract(mw_env)["articles_extracted"] == 1
    assert _state(mw_env) == ([(version, 0)], [], 1)

    def broken(text, **kw):
        raise ValueError("E088: text too long")

    monkeypatch.setattr(extract_pkg, "extract_events", broken)
    monkeypatch.setattr(extract_pkg, "EXTRACTOR_VERSION", version + ".next")
    for attempt in range(1, pipeline.MAX_EXTRACT_ATTEMPTS + 1):
        assert pipeline.extract(mw_env)["quarantined"] == 1
        assert _state(mw_env) == ([(version + ".next", attempt)], [("extract", "extract_error", attempt)], 1)
    # given up: the next runs do not try (or quarantine) it again; the earlier version's event is still there
    assert pipeline.extract(mw_env) == {"articles_extracted": 0, "mentions": 0, "events": 0, "quarantined": 0}
    assert _state(mw_env)[1] == [("extract", "extract_error", pipeline.MAX_EXTRACT_ATTEMPTS)]
    # a fixed extractor (a new version) reads it again and clears the count
    monkeypatch.undo()
    assert pipeline.extract(mw_env)["articles_extracted"] == 1
    assert _state(mw_env)[0] == [(version, 0)]


def test_each_load_publishes_a_whole_snapshot_for_readers(mw_env, monkeypatch, tmp_path):
    """MEETWIRE_EXPORT_DIR: after a load, every table and view is there as Parquet, readable while the pipeline
    holds the database; the next load replaces the folder whole."""
    import duckdb

    from meetwire.settings import get_settings

    monkeypatch.setenv("MEETWIRE_EXPORT_DIR", str(tmp_path / "snapshot"))
    settings = get_settings()
    _article(settings)
    assert pipeline.extract(settings)["events"] == 1
    snap = tmp_path / "snapshot"
    assert {"events.parquet", "v_events.parquet", "articles.parquet"} <= {p.name for p in snap.iterdir()}
    with store.connect(settings):  # the pipeline holds the file: the snapshot still reads
        reader = duckdb.connect()
        assert reader.execute(f"SELECT participants FROM '{snap / 'v_events.parquet'}'").fetchall() == [
            (["Kurt Campbell", "Ma Zhaoxu"],)]
    _article(settings, url="https://news.example/b")
    pipeline.extract(settings)
    assert reader.execute(f"SELECT count(*) FROM '{snap / 'articles.parquet'}'").fetchone() == (2,)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".snapshot")] == []  # no leftovers
