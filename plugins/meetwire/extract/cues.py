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


# Meeting cues: the surface forms of the trigger vocabulary of events.py (meeting verbs and
# event nouns). A sentence without any of them cannot yield an event, so it is never parsed.
_STRONG = re.compile(
    r"\b(?:meet|meets|met|meeting|meetings|talks|summit\w*|visit|visits|visited|visiting|"
    r"phoned|phoning|telephon\w*|phone call|phone conversation|by phone|mediat\w*|negotiat\w*|"
    r"consultations?|consulted|conferred|confer|convened|convene|audience with|sat down|sit down|"
    r"conversation\w* with|sh[ao]\w* hands|(?:leaders|ministers|officials|envoys|diplomats|delegates|negotiators|heads|presidents|premiers|chiefs)"
    r" (?:\w+ ){0,3}(?:gathered|assembled)|"
    r"(?:leaders|ministers|envoys|diplomats|negotiators|presidents|premiers|sides|counterparts|delegations) (?:\w+ ){0,4}discussed|led (?:a|an|the|his|her) (?:\w+ ){0,3}delegation|huddl(?:e|es|ed|ing)\b|courtesy call|shuttl(?:ed|es|ing) between|pos(?:e|es|ed|ing) (?:for (?:a |photos? |pictures? )?)?with|tête-à-tête|tete-a-tete|parley\w*|trip|tour(?:ed)?|"
    r"videoconferenc\w*|teleconferenc\w*|video ?call|conference call|exchang(?:ed|es|ing) (?:views|pleasantries|greetings|opinions)|"
    r"talk(?:ed|ing|s)? (?:with|to)|sp[eo]ke? (?:with|to|by)|speaks (?:with|to|by)|speaking (?:with|to|by)|spoken (?:with|to)|"
    r"(?:dined|dines|dining|lunched|breakfasted|golfed|played golf) with|(?:over|during) (?:a |an |the |their )?(?:[\w-]+ ){0,2}(?:dinner|lunch|luncheon|breakfast)|audience (?:with|to)|in audience|an audience)\b",
    re.I,
)
# Cues that need a human counterpart right after them or a "with" somewhere.
_CONTEXT = re.compile(
    r"\b(?:(?:call(?:s|ed|ing)?|phone[sd]?|rang|ring|host(?:s|ed|ing)?|receiv(?:e|es|ed|ing)|"
    r"welcom(?:e|es|ed|ing)|greet(?:s|ed|ing)?)\s+(?:on\s+|upon\s+|in audience\s+)?(?:the\s+|his\s+|her\s+|their\s+|a\s+)?(?:[a-z-]+\s+){0,2}"
    r"(?:[A-Z][\w’'.-]*|visiting|delegation|counterpart|leaders?|officials?|ministers?|envoys?|ambassadors?|president|king|prince"
    r"|mayors?|governors?|elders|chiefs?|commanders?|generals?|representatives?|delegates|negotiators?|mediators?"
    r"|lawmakers|senators?|members|bishops?|envoys)"
    r"|(?:discuss\w*|lunch\w*|dinner|breakfast|call|conference|dialogue|session|round)\b[^.;]*?\bwith\b"
    # "a news conference between X and Y": two people on one stage
    r"|\b(?:news|press|joint) conference between\b"
    r"|\b(?:received|welcomed|hosted|greeted|phoned|called on) (?:[\w-]+ ){0,4}?by\b"
    r"|\b(?:received|receives|accepted|accepts) (?:the )?(?:credentials|letters of credence)\b"
    r"|\band\b[^.;]{0,70}\b(?:talked|discussed|conferred|negotiated|spoke)\b"
    r"|\b[A-Z][\w.-]+(?: [A-Z][\w.-]+)* and (?:[A-Z][\w.-]+ )*[A-Z][\w.-]+ (?:also )?discuss\w*"
    r"|\b(?:had|hosted|held|gave|hold|have|holds|has|attend\w*) (?:a |an |the |their |his |her )?(?:[\w-]+ ){0,4}(?:lunch|dinner|breakfast|conference|discussions?|dialogue|session|round|banquet)\w*)",
)
# A leading background adjunct ("During the meeting, ...", "After talks with X, ...").
_LEAD_ADJUNCT = re.compile(
    r"^\W*(?:During|After|Following|Before|Ahead of|On the sidelines of|At|On|Speaking (?:at|after|during|on)|"
    r"In the run-up to|On the eve of)\b[^,]{0,80},\s*",
)
_NOT_EVENT = re.compile(r"\b(?:a|the|visiting)\s+visiting\b|\bmet (?:with )?(?:criticism|protests?|resistance|opposition|skepticism|scepticism)\b", re.I)


# An event noun buried in a prepositional phrase ("a readout of the meeting", "during his
# visit to the country") can only yield a background mention, and those need their
# own relational arguments ("meeting of X with Y", "talks between X and Y", "visit by X").
_PP_NOUN = re.compile(
    r"\b(?:of|during|in|after|before|following|at|from|about|over|since|ahead of|amid|despite)"
    r"\s+(?:the|a|an|his|her|their|its|this|that|these|those|last|next|recent|latest)?\s*"
    r"(?:[a-z-]+\s+)?$"
)
_REL_AFTER = re.compile(r"^[\w-]*\s+(?:[\w-]+\s+){0,3}?(?:with|between|among|by|of)\b")


def _only_background(body: str, matches) -> bool:
    for m in matches:
        w = m.group(0).lower()
        if w in ("consultations", "consultation", "negotiations", "negotiation") and not re.search(
                r"\b(?:hold|holds|held|holding|have|had|has|began|begin|begins|started|start|opened|open|"
                r"resumed|resume|continued|conducted|enter(?:ed)?|launched|concluded)\s+(?:\w+\s+){0,3}$",
                body[max(0, m.start() - 40):m.start()]):
            if not _REL_AFTER.match(body[m.start():m.start() + 60]):
                continue  # "diplomacy and consultations in the period ahead"
        if w not in ("meeting", "meetings", "talks", "visit", "visits", "trip", "summit", "summits",
                     "consultations", "consultation", "tour", "negotiations", "negotiation"):
            return False
        before = body[max(0, m.start() - 40):m.start()]
        if not _PP_NOUN.search(before) or re.search(
                r"\b(?:days?|hours?|weeks?|months?|rounds?|series|sessions?|minutes?)\s+of\s+(?:\w+\s+)?$", before):
            return False  # "held two days of talks" is the object of "held"
        if _REL_AFTER.match(body[m.start():m.start() + 60]):
            return False
        if w.startswith("summit") and body[m.start()].isupper():
            return False  # a named summit ("at the Woodside Summit") takes its parties from the clause
    return True


# "At the recent UN Climate Action Summit, X pledged ...": attending a named summit (a lead adjunct, so it is looked
# for before the adjunct is set aside)
_AT_NAMED_GATHERING = re.compile(
    r"\b[Aa]t (?:the |this |last )?(?:(?:recent|annual|\d{4}|year's|week's|month's)\s+)?"
    r"(?:[A-Z][\w&'’-]*\s+){1,7}(?:Summit|Conference)\b")


def is_candidate(sentence: str) -> bool:
    """True when the sentence may report a meeting (generous: recall first)."""
    if _AT_NAMED_GATHERING.search(sentence):
        return True
    body = _LEAD_ADJUNCT.sub("", sentence, count=1)
    ms = list(_STRONG.finditer(body))
    if ms:
        if all(m.group(0).lower() == "visiting" for m in ms) and re.search(
                r"\b(?:a|the)\s+visiting\b", body, re.I) and not _CONTEXT.search(body):
            return False  # "a visiting official" alone is not a meeting predicate
        if _only_background(body, ms) and not _CONTEXT.search(body):
            return False
        return True
    return bool(_CONTEXT.search(body))


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
