from pathlib import Path

from meetwire.settings import PROJECT_ROOT, get_settings

README = (Path(__file__).parents[2] / "README.md").read_text()


def test_every_setting_is_documented_in_the_readme():
    for name in get_settings().describe():
        assert f"`{name}`" in README, f"{name} is not in the README's settings table"


def test_defaults_and_overrides(monkeypatch):
    for name in ("MEETWIRE_DB", "MEETWIRE_HTTP_RETRIES", "MEETWIRE_ALLOW_PRIVATE_HOSTS", "MEETWIRE_GX_DOCS"):
        monkeypatch.delenv(name, raising=False)
    s = get_settings()
    assert s.db == PROJECT_ROOT / "data" / "meetwire.duckdb"
    assert s.allow_private_hosts == () and s.gx_docs is True
    monkeypatch.setenv("MEETWIRE_DB", "elsewhere/x.duckdb")
    monkeypatch.setenv("MEETWIRE_HTTP_RETRIES", "7")
    monkeypatch.setenv("MEETWIRE_ALLOW_PRIVATE_HOSTS", "127.0.0.1, 10.0.0.0/8")
    monkeypatch.setenv("MEETWIRE_GX_DOCS", "0")
    s = get_settings()
    assert s.db == PROJECT_ROOT / "elsewhere" / "x.duckdb"  # relative to the repository, not the cwd
    assert s.http_retries == 7
    assert s.allow_private_hosts == ("127.0.0.1", "10.0.0.0/8")
    assert s.gx_docs is False
