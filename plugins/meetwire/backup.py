"""`meetwire backup` / `meetwire restore`: the database and the raw archive, as one folder with a manifest.

A backup is a folder:

    manifest.json        what is inside: row counts per table, sha256 of every file, schema and meetwire versions
    database/            DuckDB's EXPORT DATABASE (schema.sql, load.sql, one Parquet file per table): portable
                         across DuckDB versions and readable without meetwire
    raw-archive.tar      the raw archive's files as they are (already gzip-compressed; content-addressed)

The database is exported from one read-only connection, so the copy is consistent (no writer can hold the file at
the same time). Restoring imports into a new file beside the target, checks the row counts against the manifest,
and only then swaps it in (the previous file is kept as `<name>.before-restore-<time>`), so a failed restore changes
nothing. Raw files are content-addressed: restoring them over an existing archive adds what is missing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tarfile
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import duckdb

from meetwire import store
from meetwire.settings import Settings

log = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_DIR = "database"
ARCHIVE_TAR = "raw-archive.tar"


class BackupError(RuntimeError):
    """A backup cannot be written or restored; the message says why in plain words."""


@dataclass
class BackupResult:
    path: Path
    tables: dict[str, int]
    raw_files: int
    bytes: int


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _sql_literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    names = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary "
        "ORDER BY table_name").fetchall()]
    return {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def _version() -> str:
    try:
        return metadata.version("meetwire")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "unknown"


def _file_store_only(settings: Settings) -> None:
    if settings.store != "duckdb":
        raise BackupError("MEETWIRE_STORE=ducklake: back up the catalog database with pg_dump and copy the data folder "
                          "(MEETWIRE_DUCKLAKE_DATA) and the raw archive; see docs/scaling.md. `meetwire backup` "
                          "covers the DuckDB file.")


def backup(settings: Settings, dest: Path, include_archive: bool = True) -> BackupResult:
    """Write a backup of the settings' database (and raw archive) into the new folder `dest`."""
    _file_store_only(settings)
    if not settings.db.exists():
        raise BackupError(f"no database at {settings.db} (MEETWIRE_DB): nothing to back up")
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} exists and is not empty: choose a new folder for the backup")
    dest.mkdir(parents=True, exist_ok=True)
    partial = dest / ".incomplete"
    partial.touch()
    try:
        return _write_backup(settings, dest, include_archive)
    except BaseException:
        remove_incomplete(dest)  # no half-written backup that looks usable
        raise


def _write_backup(settings: Settings, dest: Path, include_archive: bool) -> BackupResult:
    partial = dest / ".incomplete"
    con = store._connect_with_retry(str(settings.db), read_only=True, timeout=settings.db_lock_timeout)
    try:
        tables = _table_counts(con)
        schema_version = con.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
        con.execute(f"EXPORT DATABASE {_sql_literal(dest / DATABASE_DIR)} (FORMAT parquet, COMPRESSION zstd)")
    finally:
        con.close()

    raw_files = 0
    if include_archive and settings.archive_dir.is_dir():
        with tarfile.open(dest / ARCHIVE_TAR, "w") as tar:
            for path in sorted(settings.archive_dir.rglob("*.gz")):
                if path.name.startswith(".tmp-"):  # a write in progress elsewhere; its rename is not ours to copy
                    continue
                tar.add(path, arcname=str(path.relative_to(settings.archive_dir)), recursive=False)
                raw_files += 1

    files = {}
    for path in sorted(p for p in dest.rglob("*") if p.is_file() and p.name not in (MANIFEST, ".incomplete")):
        files[str(path.relative_to(dest))] = {"sha256": _sha256(path), "bytes": path.stat().st_size}
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "meetwire_version": _version(),
        "duckdb_version": duckdb.__version__,
        "schema_version": schema_version,
        "source_db": settings.db.name,
        "tables": tables,
        "raw_files": raw_files if include_archive else None,
        "files": files,
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    partial.unlink()
    total = sum(f["bytes"] for f in files.values())
    log.info("backup of %s in %s: %d tables, %d raw files, %.1f MB", settings.db, dest, len(tables), raw_files,
             total / 1e6)
    return BackupResult(dest, tables, raw_files, total)


def read_manifest(src: Path) -> dict:
    if (src / ".incomplete").exists():
        raise BackupError(f"{src} is an incomplete backup (the backup that wrote it did not finish)")
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{src} is not a meetwire backup: no {MANIFEST}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{src}: backup format {manifest.get('format')!r} is not supported (expected {FORMAT})")
    return manifest


def verify(src: Path) -> dict:
    """Check every file of the backup against the manifest's sha256; return the manifest."""
    manifest = read_manifest(src)
    for rel, meta in manifest["files"].items():
        path = src / rel
        if not path.is_file():
            raise BackupError(f"{src}: {rel} is missing")
        if _sha256(path) != meta["sha256"]:
            raise BackupError(f"{src}: {rel} does not match its checksum (the backup is damaged)")
    return manifest


def _no_writer_holds(path: Path, timeout: float) -> None:
    if not path.exists():
        return
    try:
        store._connect_with_retry(str(path), read_only=False, timeout=timeout).close()
    except store.DatabaseLocked as exc:
        raise BackupError(f"{path} is in use; stop the pipeline and other clients before restoring ({exc})") from exc


def restore(settings: Settings, src: Path, force: bool = False, include_archive: bool = True) -> dict:
    """Replace the settings' database (and add to the raw archive) from the backup folder `src`."""
    _file_store_only(settings)
    manifest = verify(src)
    target = settings.db
    if target.exists() and not force:
        raise BackupError(f"{target} exists: pass --force to replace it (it is kept as a .before-restore copy)")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.restoring")
    for leftover in (staging, Path(f"{staging}.wal")):
        leftover.unlink(missing_ok=True)
    con = duckdb.connect(str(staging))
    try:
        con.execute(f"IMPORT DATABASE {_sql_literal(src / DATABASE_DIR)}")
        counts = _table_counts(con)
    finally:
        con.close()
    if counts != manifest["tables"]:
        staging.unlink(missing_ok=True)
        diff = {t: (manifest["tables"].get(t), counts.get(t)) for t in set(counts) | set(manifest["tables"])
                if manifest["tables"].get(t) != counts.get(t)}
        raise BackupError(f"restored row counts differ from the manifest (table: expected, got): {diff}")

    _no_writer_holds(target, timeout=min(settings.db_lock_timeout, 10.0))
    kept = None
    if target.exists():
        kept = target.with_name(f"{target.name}.before-restore-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}")
        os.replace(target, kept)
        wal = Path(f"{target}.wal")
        if wal.exists():
            os.replace(wal, Path(f"{kept}.wal"))
    os.replace(staging, target)
    with store.connect(settings):  # migrations newer than the backup apply now; views are re-created
        pass

    added = 0
    if include_archive and (src / ARCHIVE_TAR).is_file():
        settings.archive_dir.mkdir(parents=True, exist_ok=True)
        with tarfile.open(src / ARCHIVE_TAR) as tar:
            for member in tar:
                if not (settings.archive_dir / member.name).exists():
                    _extract_safely(tar, member, settings.archive_dir)
                    added += 1
    log.info("restored %s from %s (%d tables; %d raw files added)", target, src, len(counts), added)
    return {"db": str(target), "tables": counts, "raw_files_added": added,
            "previous_db": str(kept) if kept else None, "backup_created_at": manifest["created_at"]}


def _extract_safely(tar: tarfile.TarFile, member: tarfile.TarInfo, into: Path) -> None:
    """Only plain files inside `into` (no absolute paths, no "..", no links): a damaged or hostile tar cannot
    write elsewhere. Python's own `filter="data"` where this Python has it (3.11.4+), the same checks otherwise."""
    target = (into / member.name).resolve()
    if not member.isfile() or into.resolve() not in target.parents:
        raise BackupError(f"refused archive member {member.name!r}: not a plain file inside the raw archive")
    if hasattr(tarfile, "data_filter"):
        tar.extract(member, into, filter="data")
    else:  # pragma: no cover - older 3.11 patch releases
        tar.extract(member, into)


def remove_incomplete(dest: Path) -> None:
    """Drop a backup folder a failed `backup` left behind (only if it is marked incomplete)."""
    if (dest / ".incomplete").exists():
        shutil.rmtree(dest)
