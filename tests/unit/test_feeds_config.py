import pytest

from meetwire import feeds_config


def test_add_list_remove_roundtrip(tmp_path, monkeypatch):
    from meetwire.settings import get_settings

    monkeypatch.setenv("MEETWIRE_FEEDS", str(tmp_path / "feeds.toml"))
    settings = get_settings()
    assert feeds_config.list_feeds(settings) == []
    feeds_config.add_feed(settings, "https://a.example/rss", name='A "quoted" feed', tags=["world", "asia"])
    feeds_config.add_feed(settings, "https://b.example/atom", enabled=False)
    feeds = feeds_config.list_feeds(settings)
    assert [f["url"] for f in feeds] == ["https://a.example/rss", "https://b.example/atom"]
    assert feeds[0]["name"] == 'A "quoted" feed' and feeds[0]["tags"] == ["world", "asia"]
    assert feeds[1]["enabled"] is False
    with pytest.raises(feeds_config.FeedsFileError, match="already configured"):
        feeds_config.add_feed(settings, "https://a.example/rss")
    assert feeds_config.remove_feed(settings, "https://a.example/rss") is True
    assert feeds_config.remove_feed(settings, "https://a.example/rss") is False
    assert [f["url"] for f in feeds_config.list_feeds(settings)] == ["https://b.example/atom"]


@pytest.mark.parametrize("content,message", [
    ("feeds = 3", "array of tables"),
    ("[[feeds]]\nname = 'x'", "has no url"),
    ("[[feeds]]\nurl = 'https://a'\ncolour = 'red'", "unknown keys"),
    ("[[feeds]]\nurl = 'https://a'\n[[feeds]]\nurl = 'https://a'", "listed twice"),
    ("[[feeds]\nurl=", "feeds.toml"),
])
def test_bad_feeds_file_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "feeds.toml"
    path.write_text(content)
    with pytest.raises(feeds_config.FeedsFileError, match=message):
        feeds_config.load_feeds(path)


def test_read_feeds_keeps_the_good_and_lists_the_bad(tmp_path):
    path = tmp_path / "feeds.toml"
    path.write_text("[[feeds]]\nurl = 'https://a'\n[[feeds]]\nname = 'x'\n[[feeds]]\nurl = 'https://b'\nenabled = false\n")
    feeds, problems = feeds_config.read_feeds(path)
    assert [(f["url"], f["enabled"]) for f in feeds] == [("https://a", True), ("https://b", False)]
    assert len(problems) == 1 and "#2 has no url" in problems[0]
