"""Meetings in the background of another clause: a meeting noun in a time or setting phrase ("announced the deal
during a meeting with X", "At the UN Climate Action Summit, X pledged") takes that clause's subject as a party."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the Event class is only a type here; events.py imports this module
    from .events import Event

_SETTING_PREPS = {"during", "after", "following", "at", "before", "in"}


def setting_of_clause(ev: Event) -> bool:
    """A meeting noun in a time/setting phrase of another clause, with its counterpart but no owner of its own
    ("... during a meeting with X", not "during his meeting with X" or "at the meeting of X and Y")."""
    n = ev.noun
    if n is None or ev.main or n.dep_ != "pobj" or n.head.lower_ not in _SETTING_PREPS:
        return False
    verb = n.head.head
    if verb.pos_ not in ("VERB", "AUX") or any(c.dep_ == "poss" for c in n.children):
        return False
    if named_gathering(ev):
        return n.head.lower_ == "at"  # "At the UN Climate Action Summit, X pledged ...": X attended it
    return any(c.dep_ == "prep" and c.lower_ in ("with",) for c in n.children) and bool(ev.own_rel)


def named_gathering(ev: Event) -> bool:
    """A summit or conference with a proper name ("the Woodside Summit", "the UN Climate Action Summit")."""
    return ev.noun is not None and ev.noun.pos_ == "PROPN" and ev.lemma in ("summit", "conference", "meeting")
