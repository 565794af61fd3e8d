"""Duplicate detection.

* exact: the same canonical URL (one article per URL, by key) or the same normalised text (`content_sha256`);
* near: syndicated copies of one wire story (a different headline, a byline, a trailing paragraph) have 64-bit
  SimHashes of word 3-shingles within `NEAR_DISTANCE` (6 of 64) bits; unrelated texts differ in about 32 bits.
  Near and exact-text duplicates are stored, with `articles.duplicate_of` pointing at the earliest copy, so
  extraction can skip them without losing the link.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

NEAR_DISTANCE = 6
SHINGLE = 3
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(_WORD.findall(text))


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def simhash(text: str, bits: int = 64) -> int:
    """64-bit SimHash over word shingles (an unsigned int, fits DuckDB UBIGINT)."""
    words = normalise_text(text).split()
    if not words:
        return 0
    if len(words) < SHINGLE:
        shingles = [" ".join(words)]
    else:
        shingles = [" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)]
    weights = [0] * bits
    for sh in shingles:
        h = int.from_bytes(hashlib.blake2b(sh.encode("utf-8"), digest_size=8).digest(), "big")
        for i in range(bits):
            weights[i] += 1 if (h >> i) & 1 else -1
    out = 0
    for i, w in enumerate(weights):
        if w > 0:
            out |= 1 << i
    return out


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def find_duplicate(con, *, canonical_url: str, content_sha256: str, simhash_value: int,
                   exclude_id: str | None = None) -> tuple[str, str] | None:
    """('url' | 'content' | 'near', article_id of the original) or None.

    The original is the earliest stored article that is not itself a duplicate.
    """
    row = con.execute("SELECT article_id FROM articles WHERE canonical_url = ?", [canonical_url]).fetchone()
    if row and row[0] != exclude_id:
        return "url", row[0]
    row = con.execute(
        "SELECT coalesce(duplicate_of, article_id) FROM articles WHERE content_sha256 = ? AND article_id IS DISTINCT FROM ?"
        " ORDER BY (duplicate_of IS NOT NULL), fetched_at, article_id LIMIT 1",
        [content_sha256, exclude_id],
    ).fetchone()
    if row:
        return "content", row[0]
    row = con.execute(
        "SELECT coalesce(duplicate_of, article_id) FROM articles WHERE simhash IS NOT NULL"
        " AND article_id IS DISTINCT FROM ?"
        " AND bit_count(xor(simhash, ?::UBIGINT)) <= ?"
        " ORDER BY (duplicate_of IS NOT NULL), bit_count(xor(simhash, ?::UBIGINT)), fetched_at, article_id LIMIT 1",
        [exclude_id, simhash_value, NEAR_DISTANCE, simhash_value],
    ).fetchone()
    if row:
        return "near", row[0]
    return None
