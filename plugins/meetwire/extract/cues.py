"""Cheap sentence splitting and the lexical prefilter ("parse only what can hold a meeting")."""

from __future__ import annotations

import re

# Lines that are page furniture rather than prose (robustness when text is not cleaned).
_JUNK_LINE = re.compile(
    r"^\s*(?:give feedback|leave a reply:?|share|print|advertisement|read more|"
    r"•.*|country:?|\(this story has not been edited.*\)|.*\|\s*updated:.*|"
    r"follow us.*|subscribe.*|related.*:?)\s*$",
    re.I,
)
_ABBREV = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "st", "sen", "rep",
    "gov", "prof", "jr", "sr", "no", "vs", "etc", "inc", "ltd", "co", "corp", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k",
    "u.n", "e.u", "a.m", "p.m", "rev", "fig", "adm", "brig", "cmdr", "h.e", "mt", "ft",
}
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) character spans of sentences. Paragraph breaks always split."""
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        p_start = para.start()
        p = para.group()
        if _JUNK_LINE.match(p):
            continue
        last = 0
        for m in _BOUNDARY.finditer(p):
            cut = m.start()
            # the word before the period
            wm = re.search(r"(\S+)$", p[last:cut + 1])
            word = wm.group(1).lower().rstrip(".") if wm else ""
            if word in _ABBREV or (len(word) == 1 and word.isalpha()) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):
                continue
            end = m.end()
            seg = p[last:end].rstrip()
            if seg.strip():
                s0 = last + (len(p[last:end]) - len(p[last:end].lstrip()))
                spans.append((p_start + s0, p_start + last + len(seg)))
            last = end
        seg = p[last:].strip()
        if seg:
            s0 = last + (len(p[last:]) - len(p[last:].lstrip()))
            spans.append((p_start + s0, p_start + s0 + len(seg)))
    return spans


# Meeting cues. Generous on purpose: every word that can head a meeting predicate.
CUE = re.compile(
    r"\b(?:meet|meets|met|meeting|meetings|talks|talked|talk(?:ing)? (?:with|to)|"
    r"visit\w*|call(?:s|ed|ing)?\b|phone\w*|telephon\w*|spok[e]|speak\w* (?:with|to|by)|"
    r"summit\w*|host\w*|receiv\w*|welcom\w*|mediat\w*|negotiat\w*|discuss\w*|"
    r"consult\w*|confer\b|conferr\w*|conferenc\w*|dialogue|lunch\w*|dinner|breakfast|"
    r"audience|sat down|sit down|conversation\w*|tête-à-tête|parley\w*|greet\w*|"
    r"trip|tour(?:ed|ing)?|video ?link|videoconferenc\w*|teleconferenc\w*|"
    r"exchanged views|bilateral\w*|courtesy call|envoy\w*|delegation\w*|"
    r"session\w*|gathering|forum|rendezvous|encounter\w*|huddl\w*)\b",
    re.I,
)
# A cue word that very often is not a meeting at all; needs a second signal.
_WEAK = re.compile(r"^(?:call\w*|receiv\w*|welcom\w*|host\w*|envoy\w*|delegation\w*|session\w*|"
                   r"forum|gathering|bilateral\w*|trip|tour\w*|greet\w*|encounter\w*|discuss\w*)$", re.I)
_SECOND = re.compile(
    r"\b(?:with|by phone|telephone|[A-Z][a-z]+ [A-Z][a-z]+|President|Minister|Secretary|"
    r"King|Prince|leader|ambassador|envoy|delegation|counterpart|officials)\b"
)


def is_candidate(sentence: str) -> bool:
    """True when the sentence may report a meeting. Must stay generous (recall)."""
    found = False
    for m in CUE.finditer(sentence):
        w = m.group(0).split()[0]
        if not _WEAK.match(w):
            return True
        found = True
    if not found:
        return False
    return bool(_SECOND.search(sentence))


_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)*\s*\|\s*)?"  # agency "PTI |"
    r"(?P<place>[A-Z][A-Za-z.]+(?:[ ,]+[A-Z][A-Za-z.]+){0,3})"
    r"\s*(?:\([A-Za-z ]+\)\s*)?(?:[-—–|:]|,\s+[A-Z][a-z]+\.? \d)",
)


def find_dateline(text: str) -> str | None:
    """Place of a dateline like "PTI | Washington DC | Updated" or "KABUL (Pajhwok):"."""
    for line in text.splitlines()[:40]:
        m = re.match(r"^\s*[A-Z][A-Za-z]+\s*\|\s*([A-Z][A-Za-z .]+?)\s*\|", line)
        if m:
            return m.group(1).strip()
    m = _DATELINE.match(text.lstrip()[:120])
    if m:
        return m.group("place").strip(" ,")
    return None
