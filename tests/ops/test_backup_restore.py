"""`meetwire backup` / `restore`: a round trip keeps every row and raw file; damage and overwrites are refused."""

from __future__ import annotations

import duckdb
import pytest
from typer.testing import CliRunner

from meetwire import archive, pipeline
from meetwire.backup import BackupError, backup, restore
from meetwire.cli import app
from meetwire.settings import get_settings


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The seeds ingested and extracted into a temporary database (module-wide: extraction loads spaCy)."""
    data = tmp_path_factory.mktemp("loaded")
    env = {"MEETWIRE_DB": str(data / "meetwire.duckdb"), "MEETWIRE_ARCHIVE_DIR": str(data / "raw"),
           "MEETWIRE_DOCS_DIR": str(data / "docs")}
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        settings = get_settings()
        pipeline.ingest(settings)
        pipeline.extract(settings)
    return env


def _rows(db, table):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
    finally:
        con.close()


def _settings(monkeypatch, env):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    return get_settings()


def test_round_trip_keeps_every_row_and_raw_file(loaded, tmp_path, monkeypatch):
    source = _settings(monkeypatch, loaded)
    res = backup(source, tmp_path / "bk")
    assert res.tables["articles"] == 2 and res.tables["events"] >= 1 and res.raw_files >= 3
    target = _settings(monkeypatch, {"MEETWIRE_DB": str(tmp_path / "new" / "m.duckdb"),
                                     "MEETWIRE_ARCHIVE_DIR": str(tmp_path / "new" / "raw"),
                                     "MEETWIRE_DOCS_DIR": str(tmp_path / "new" / "docs")})
    out = restore(target, tmp_path / "bk")
    assert out["tables"] == res.tables and out["raw_files_added"] == res.raw_files
    for table in ("articles", "events", "event_participants", "event_articles", "runs", "schema_migrations"):
        assert _rows(target.db, table) == _rows(source.db, table), table
    for (raw_ref,) in duckdb.connect(str(target.db), read_only=True).execute(
            "SELECT raw_ref FROM articles").fetchall():
        assert archive.read(raw_ref, target) == archive.read(raw_ref, source)
    # the restored database is a working meetwire database: views answer
    con = duckdb.connect(str(target.db), read_only=True)
    assert con.execute("SELECT count(*) FROM v_events").fetchone()[0] == res.tables["events"]
    con.close()


def test_damaged_backup_and_overwrite_are_refused(loaded, tmp_path, monkeypatch):
    source = _settings(monkeypatch, loaded)
    backup(source, tmp_path / "bk", include_archive=False)
    with pytest.raises(BackupError, match="exists: pass --force"):
        restore(source, tmp_path / "bk")
    parquet = next((tmp_path / "bk" / "database").glob("*.parquet"))
    parquet.write_bytes(parquet.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(BackupError, match="checksum"):
        restore(source, tmp_path / "bk", force=True)
    with pytest.raises(BackupError, match="not empty"):
        backup(source, tmp_path / "bk")


def test_cli_backup_then_forced_restore_keeps_the_previous_file(loaded, tmp_path, monkeypatch):
    source = _settings(monkeypatch, loaded)
    copy_db = tmp_path / "copy" / "m.duckdb"
    settings = _settings(monkeypatch, {"MEETWIRE_DB": str(copy_db), "MEETWIRE_ARCHIVE_DIR": str(tmp_path / "raw")})
    runner = CliRunner()
    monkeypatch.setenv("MEETWIRE_DB", str(source.db))
    res = runner.invoke(app, ["backup", str(tmp_path / "bk")])
    assert res.exit_code == 0, res.output
    assert "backup written to" in res.output
    monkeypatch.setenv("MEETWIRE_DB", str(copy_db))
    assert runner.invoke(app, ["restore", str(tmp_path / "bk")]).exit_code == 0
    refused = runner.invoke(app, ["restore", str(tmp_path / "bk")])
    assert refused.exit_code == 1 and "--force" in refused.output
    forced = runner.invoke(app, ["restore", "--force", str(tmp_path / "bk")])
    assert forced.exit_code == 0 and "previous database is kept" in forced.output
    assert len(list(copy_db.parent.glob("m.duckdb.before-restore-*"))) == 1
    assert _rows(settings.db, "events") == _rows(source.db, "events")
    missing = runner.invoke(app, ["backup", str(tmp_path / "other")], env={"MEETWIRE_DB": str(tmp_path / "no.duckdb")})
    assert missing.exit_code == 1 and "nothing to back up" in missing.output


def test_a_ducklake_store_is_told_how_to_back_up(tmp_path, monkeypatch):
    monkeypatch.setenv("MEETWIRE_STORE", "ducklake")
    monkeypatch.setenv("MEETWIRE_DB", str(tmp_path / "m.duckdb"))
    with pytest.raises(BackupError, match="pg_dump"):
        backup(get_settings(), tmp_path / "bk")
