"""Feed parsing from bytes we fetched ourselves: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed by hand.

feedparser is only ever given an in-memory stream (`io.BytesIO`): given `bytes` or `str` it would try to open them
as a file name or URL. Before feedparser sees a document, `check_xml_safety` refuses internal DTD subsets that
declare external general entities (XXE) or entities that expand other entities (billion laughs); feedparser itself
does not load external entities and drops unsafe declarations, which a test verifies too.

`parse_feed` never raises anything but `FeedError(reason, detail)`; a partly broken feed yields what feedparser
recovers (`ParsedFeed.bozo` tells).
"""

from __future__ import annotations

import calendar
import html
import io
import json
import re
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html.parser import HTMLParser

import courlan

from meetwire.errors import QuarantinableError

FEED_MEDIA_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",
    "application/json",
    "application/x-rss+xml",
)
JSON_FEED_VERSION = "https://jsonfeed.org/version/"
MAX_ENTITY_DECLS = 50
MAX_ENTITY_VALUE = 4096


class FeedError(QuarantinableError):
    """Nothing feed-like could be read from a document."""


@dataclass
class FeedEntry:
    url: str  # absolute link as published
    canonical_url: str  # normalised, tracking parameters removed
    title: str | None = None
    summary: str | None = None  # plain text
    content: str | None = None  # plain text of the feed's full content, if any
    published_at: datetime | None = None
    guid: str | None = None
    author: str | None = None
    source: str | None = None  # the publisher named by the feed (RSS <source>, JSON Feed author), if any


@dataclass
class ParsedFeed:
    kind: str  # rss20 | atom10 | rss10 | jsonfeed | ... (feedparser's version string)
    title: str | None
    entries: list[FeedEntry] = field(default_factory=list)
    bozo: bool = False
    bozo_reason: str | None = None
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (reason, detail) for entries without a link


# --- URLs ------------------------------------------------------------------------------------------------------

_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|yclid|_hsenc|_hsmi|mkt_tok|"
    r"ref_src|cmpid|at_medium|at_campaign|ocid|spm|__twitter_impression)$",
    re.I,
)


def canonical_url(url: str) -> str:
    """Normalise an article URL: lower-case scheme/host, no fragment, no tracking parameters (courlan + our list)."""
    url = url.strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return urllib.parse.urlunsplit((parts.scheme.lower(), parts.netloc, parts.path, parts.query, ""))
    try:
        normalised = courlan.normalize_url(url, strict=False)
    except Exception:  # courlan rejects some odd URLs; fall back to ours
        normalised = url
    parts = urllib.parse.urlsplit(normalised)
    query = [
        (k, v)
        for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.match(k)
    ]
    return urllib.parse.urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", urllib.parse.urlencode(query), "")
    )


# --- text helpers ----------------------------------------------------------------------------------------------


class _TextExtractor(HTMLParser):
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article"}
    SKIP = {"script", "style", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_to_text(value: str | None) -> str | None:
    """Feed HTML (summary, content) to plain text with paragraph breaks."""
    if not value:
        return None
    if "<" not in value and "&" not in value:
        text = value
    else:
        parser = _TextExtractor()
        try:
            parser.feed(value)
            parser.close()
            text = "".join(parser.parts)
        except Exception:
            text = re.sub(r"<[^>]+>", " ", html.unescape(value))
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    out = "\n\n".join(line for line in lines if line)
    return out or None


def _struct_to_dt(value) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc)
    except (TypeError, ValueError, OverflowError):
        return None


def _iso_to_dt(value) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            from dateutil import parser as dateparser

            dt = dateparser.parse(value)
        except (ValueError, OverflowError, TypeError):
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


# --- XML safety ------------------------------------------------------------------------------------------------

# Quote-aware: a '>' or ']>' inside an entity value does not end the declaration.
_ENTITY_DECL = re.compile(rb"""<!ENTITY\s+(%\s+)?([^\s>]+)\s+((?:"[^"]*"|'[^']*'|[^"'>])*)>""", re.S)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["'][^>]*\?>""")
_EXPAT_ENCODINGS = {"utf-8", "utf8", "utf-16", "utf16", "iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"}


class _Stop(Exception):
    pass


def _as_utf8(body: bytes) -> bytes:
    """The document as UTF-8 without an XML declaration naming another encoding (for expat, which knows few)."""
    for bom, enc in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                     (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"), (b"\xef\xbb\xbf", "utf-8")):
        if body.startswith(bom):
            text = body[len(bom):].decode(enc, "replace")
            break
    else:
        if body[:4] in (b"<\x00?\x00", b"<\x00!\x00"):
            text = body.decode("utf-16-le", "replace")
        elif body[:4] in (b"\x00<\x00?", b"\x00<\x00!"):
            text = body.decode("utf-16-be", "replace")
        else:
            m = _XML_DECL.match(body[:512])
            enc = m.group(1).decode("ascii").lower() if m else "utf-8"
            if enc in _EXPAT_ENCODINGS - {"utf-16", "utf16"}:
                return body
            try:
                text = body.decode(enc, "replace")
            except LookupError:
                text = body.decode("utf-8", "replace")
    data = text.encode("utf-8")
    return _XML_DECL.sub(b"", data[:512], count=1) + data[512:]


def _entity_decls_expat(data: bytes) -> list[tuple[bool, str, str | None, bool]]:
    """(is_parameter, name, value, external) for each entity declared before the root element, read by expat.

    Parsing stops at the root element's start tag, so no entity is ever expanded in content here, and no
    external entity or DTD is loaded (parameter-entity parsing off, no external entity handler).
    """
    from xml.parsers import expat

    decls: list[tuple[bool, str, str | None, bool]] = []
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def on_entity(name, is_parameter, value, base, system_id, public_id, notation):
        decls.append((bool(is_parameter), name, value, bool(system_id or public_id)))
        if len(decls) > MAX_ENTITY_DECLS:
            raise _Stop()

    def on_start(*_args):
        raise _Stop()

    parser.EntityDeclHandler = on_entity
    parser.StartElementHandler = on_start
    try:
        parser.Parse(data, True)
    except _Stop:
        pass
    return decls


def _entity_decls_regex(data: bytes) -> list[tuple[bool, str, str | None, bool]]:
    """The same, by pattern, for documents whose prolog expat rejects (feedparser then falls back to its loose
    parser, which does not expand declared entities; this is belt and braces)."""
    doctype = data.find(b"<!DOCTYPE")
    if doctype < 0:
        return []
    decls = []
    for is_param, name, rest in _ENTITY_DECL.findall(data[doctype:]):
        rest = rest.strip()
        external = rest[:6].upper() in (b"SYSTEM", b"PUBLIC")
        value = None if external else (rest[1:-1] if rest[:1] in (b'"', b"'") else rest).decode("utf-8", "replace")
        decls.append((bool(is_param), name.decode("utf-8", "replace"), value, external))
    if data.count(b"<!ENTITY", doctype) > len(decls):
        decls.append((False, "?", "&unparsable;", False))  # a declaration the pattern could not read: refuse
    return decls


def check_xml_safety(body: bytes) -> None:
    """Refuse DTDs that could read local files or expand exponentially. Raises FeedError('xml_unsafe').

    Refused: external general entities (XXE), entity values that reference other entities (the billion-laughs
    construction), more than MAX_ENTITY_DECLS declarations, values longer than MAX_ENTITY_VALUE. Allowed: plain
    internal entities and external parameter entities (DTD modules), which are never loaded.
    """
    if b"ENTITY" not in body and b"E\x00N\x00T\x00I\x00T\x00Y" not in body and b"\x00E\x00N\x00T\x00I\x00T\x00Y" not in body:
        return
    data = _as_utf8(body)
    if b"<!ENTITY" not in data:
        return
    from xml.parsers import expat

    try:
        decls = _entity_decls_expat(data)
    except expat.ExpatError:
        decls = _entity_decls_regex(data)
    if len(decls) > MAX_ENTITY_DECLS:
        raise FeedError("xml_unsafe", f"more than {MAX_ENTITY_DECLS} entity declarations")
    for is_param, name, value, external in decls:
        if external:
            if not is_param:
                raise FeedError("xml_unsafe", f"external entity {name} (XXE)")
            continue  # an external DTD module: never loaded (feedparser disables external entities)
        value = value or ""
        if len(value) > MAX_ENTITY_VALUE:
            raise FeedError("xml_unsafe", f"entity {name} is {len(value)} characters")
        if re.search(r"&[A-Za-z_:][\w.:-]*;|%[A-Za-z_:][\w.:-]*;", value):
            raise FeedError("xml_unsafe", f"entity {name} expands other entities")


# --- detection -------------------------------------------------------------------------------------------------


def _strip_bom(body: bytes) -> bytes:
    return body[3:] if body.startswith(b"\xef\xbb\xbf") else body


def looks_like_json_feed(body: bytes, content_type: str | None = None) -> bool:
    head = _strip_bom(body[:4096]).lstrip()
    if not head.startswith(b"{"):
        return False
    if content_type and ("feed+json" in content_type):
        return True
    return b"jsonfeed.org/version" in head.replace(b"\\/", b"/")


def looks_like_feed(body: bytes, content_type: str | None = None) -> bool:
    """Is this document a feed (rather than an article page)?"""
    media = (content_type or "").split(";")[0].strip().lower()
    if media in ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"):
        return True
    if looks_like_json_feed(body, content_type):
        return True
    head = _strip_bom(body[:2048]).lstrip().lower()
    if head.startswith(b"<!doctype html") or head.startswith(b"<html"):
        return False
    return bool(re.search(rb"<(rss|feed|rdf:rdf|channel)[\s>]", head))


# --- parsing ---------------------------------------------------------------------------------------------------


def _resolve(base: str | None, link: str | None) -> str | None:
    if not link or not isinstance(link, str):
        return None
    link = link.strip()
    if not link:
        return None
    return urllib.parse.urljoin(base, link) if base else link


def _make_entry(url, title, summary_html, content_html, published, guid, author, skipped,
                source=None) -> FeedEntry | None:
    if not url:
        skipped.append(("no_link", (title or guid or "")[:200]))
        return None
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https", "file"):
        # javascript:, data:, mailto: ...: not an article address, and never to be stored or shown as a link
        skipped.append(("bad_scheme", f"{scheme}: {(title or guid or '')[:150]}"))
        return None
    return FeedEntry(
        url=url,
        canonical_url=canonical_url(url),
        title=html_to_text(title) if title else None,
        summary=html_to_text(summary_html),
        content=html_to_text(content_html),
        published_at=published,
        guid=guid,
        author=author,
        source=source,
    )


def parse_json_feed(body: bytes, *, url: str | None = None) -> ParsedFeed:
    try:
        doc = json.loads(_strip_bom(body).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FeedError("bad_json", str(exc)[:200]) from exc
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith(JSON_FEED_VERSION):
        raise FeedError("not_a_feed", "JSON without a jsonfeed.org version")
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedError("bad_json", "items is not a list")
    base = _resolve(url, doc.get("feed_url")) or url
    feed = ParsedFeed(kind="jsonfeed" + str(doc["version"]).rsplit("/", 1)[-1], title=doc.get("title"))
    for item in items:
        if not isinstance(item, dict):
            feed.skipped.append(("bad_item", repr(item)[:200]))
            continue
        link = _resolve(base, item.get("url") or item.get("external_url"))
        if link is None and isinstance(item.get("id"), str) and item["id"].startswith(("http://", "https://")):
            link = item["id"]
        authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        author = ", ".join(a.get("name", "") for a in authors if isinstance(a, dict) and a.get("name")) or None
        content = item.get("content_html") or (html.escape(item["content_text"]) if item.get("content_text") else None)
        entry = _make_entry(
            link,
            item.get("title") if isinstance(item.get("title"), str) else None,
            item.get("summary") if isinstance(item.get("summary"), str) else None,
            content if isinstance(content, str) else None,
            _iso_to_dt(item.get("date_published")) or _iso_to_dt(item.get("date_modified")),
            str(item.get("id")) if item.get("id") is not None else None,
            author,
            feed.skipped,
        )
        if entry:
            feed.entries.append(entry)
    return feed


def parse_feed(body: bytes, *, url: str | None = None, content_type: str | None = None) -> ParsedFeed:
    """Entries of an RSS/Atom/JSON feed document. Raises FeedError(reason) when nothing feed-like is in it."""
    if not body or not body.strip():
        raise FeedError("empty", "empty document")
    if looks_like_json_feed(body, content_type) or (content_type or "").startswith("application/json"):
        return parse_json_feed(body, url=url)
    check_xml_safety(body)
    import feedparser

    # feedparser's own URL joining mangles file:///path bases (-> file://path); for local feeds links are
    # resolved here instead (see _resolve).
    local = bool(url) and urllib.parse.urlsplit(url).scheme.lower() not in ("http", "https")
    headers = {"content-location": "" if local else (url or "")}
    if content_type:
        headers["content-type"] = content_type
    try:
        # A stream, never bytes/str: feedparser would treat those as a file name or URL and open it.
        parsed = feedparser.parse(io.BytesIO(body), response_headers=headers, sanitize_html=True,
                                  resolve_relative_uris=True)
    except Exception as exc:  # feedparser is meant not to raise; be sure
        raise FeedError("bad_xml", f"{type(exc).__name__}: {exc}"[:300]) from exc
    bozo_reason = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        bozo_reason = f"{type(exc).__name__}: {exc}"[:300] if exc is not None else "bozo"
    version = parsed.get("version") or ""
    entries = parsed.get("entries") or []
    if not version and not entries:
        head = _strip_bom(body[:2048]).lstrip().lower()
        if head.startswith(b"<!doctype html") or head.startswith(b"<html"):
            raise FeedError("not_a_feed", "an HTML page, not a feed")
        if not parsed.get("feed"):
            raise FeedError("bad_xml" if bozo_reason else "not_a_feed", bozo_reason or "no feed elements")
    base = url
    feed = ParsedFeed(
        kind=version or "unknown",
        title=(parsed.get("feed") or {}).get("title"),
        bozo=bool(parsed.get("bozo")),
        bozo_reason=bozo_reason,
    )
    for e in entries:
        link = e.get("link")
        if not link:
            for candidate in e.get("links") or []:
                if candidate.get("href") and candidate.get("rel", "alternate") == "alternate":
                    link = candidate["href"]
                    break
        if not link and e.get("guidislink") is not False and isinstance(e.get("id"), str) \
                and e["id"].startswith(("http://", "https://")):
            link = e["id"]
        content_html = None
        for c in e.get("content") or []:
            if c.get("value"):
                content_html = c["value"]
                break
        published = (_struct_to_dt(e.get("published_parsed")) or _struct_to_dt(e.get("updated_parsed"))
                     or _struct_to_dt(e.get("created_parsed")))
        entry = _make_entry(
            _resolve(base, link),
            e.get("title"),
            e.get("summary"),
            content_html,
            published,
            e.get("id"),
            e.get("author"),
            feed.skipped,
            source=(e.get("source") or {}).get("title") if isinstance(e.get("source"), dict) else None,
        )
        if entry:
            feed.entries.append(entry)
    return feed
