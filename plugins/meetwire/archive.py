"""The raw archive: every fetched feed and page body, gzip-compressed and content-addressed.

`raw_ref` is the sha256 of the (content-decoded) bytes; the file lives at `<archive_dir>/<ab>/<cd>/<sha>.gz`.
Writing is atomic (temporary file, then rename) and idempotent (the same bytes are stored once), so a killed run
never leaves a half-written archive entry behind. `raw_documents` records where and when each body was fetched;
`articles.raw_ref` points at the body an article was cleaned from, which is what `reprocess` reads.
"""

from __future__ import annotations

import gzip
import os
import re
import tempfile
from datetime import datetime
from pathlib import Path

from meetwire import store
from meetwire.ids import sha256_hex
from meetwire.settings import Settings, get_settings

_REF = re.compile(r"^[0-9a-f]{64}$")


class ArchiveError(Exception):
    pass


def path_for(raw_ref: str, settings: Settings | None = None) -> Path:
    if not _REF.match(raw_ref or ""):
        raise ArchiveError(f"not a raw_ref: {raw_ref!r}")
    settings = settings or get_settings()
    return settings.archive_dir / raw_ref[:2] / raw_ref[2:4] / f"{raw_ref}.gz"


def put(data: bytes, settings: Settings | None = None) -> str:
    """Store `data`; return its raw_ref. Safe to call repeatedly and from several threads/processes."""
    raw_ref = sha256_hex(data)
    path = path_for(raw_ref, settings)
    if path.exists():
        return raw_ref
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".gz", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as gz:
            gz.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return raw_ref


def read(raw_ref: str, settings: Settings | None = None) -> bytes:
    """The archived bytes of `raw_ref` (verified against the hash)."""
    path = path_for(raw_ref, settings)
    try:
        data = gzip.decompress(path.read_bytes())
    except FileNotFoundError as exc:
        raise ArchiveError(f"{raw_ref} is not in the archive ({path})") from exc
    except (OSError, EOFError) as exc:
        raise ArchiveError(f"{raw_ref}: unreadable archive file: {exc}") from exc
    if sha256_hex(data) != raw_ref:
        raise ArchiveError(f"{raw_ref}: archived bytes do not match their hash")
    return data


def exists(raw_ref: str, settings: Settings | None = None) -> bool:
    return path_for(raw_ref, settings).exists()


def record(
    con,
    *,
    raw_ref: str,
    url: str,
    final_url: str | None,
    kind: str,
    status_code: int | None,
    content_type: str | None,
    n_bytes: int,
    feed_id: str | None,
    fetched_at: datetime,
) -> None:
    """Row in raw_documents (first sighting wins: the same bytes fetched again add nothing)."""
    record_many(con, [dict(raw_ref=raw_ref, url=url, final_url=final_url, kind=kind, status_code=status_code,
                           content_type=content_type, n_bytes=n_bytes, feed_id=feed_id, fetched_at=fetched_at)])


def record_many(con, rows: list[dict]) -> None:
    """Rows of `record`'s arguments, in one statement."""
    store.upsert(con, "raw_documents", rows, key=["raw_ref"], update=[])
