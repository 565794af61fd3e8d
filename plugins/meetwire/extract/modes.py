"""Mode of a meeting: in_person, phone, virtual, visit, multilateral or unknown."""

from __future__ import annotations

import re

_PHONE = re.compile(r"\b(?:phone|telephone|phoned|telephoned|by telephone|over the phone|phone call|call(?:ed)?\b(?! on| for| off| in))", re.I)
_PHONE_STRICT = re.compile(r"\b(?:phone\w*|telephon\w*)\b", re.I)
_VIRTUAL = re.compile(r"\b(?:virtual(?:ly)?|video ?(?:call|link|conference|conferencing)|videoconferenc\w*|online meeting|teleconferenc\w*|via (?:zoom|video)|remotely)\b", re.I)
MULTI_NOUNS = {"summit", "conference", "forum", "assembly", "congress", "convention", "dialogue", "ministerial", "plenary"}
VISIT_WORDS = {"visit", "trip", "tour", "call on"}
PHONE_WORDS = {"call", "phone", "telephone", "ring"}
IN_PERSON = {"meet", "meeting", "talks", "host", "receive", "welcome", "greet", "lunch", "dinner",
             "breakfast", "audience", "sit down", "hold", "discussion", "consultation", "conversation",
             "talk", "encounter", "shake", "dine", "lunch", "audience", "gather", "assemble", "convene"}


def mode_of(trigger: str, sentence: str, n_participants: int, multilateral_org: bool = False) -> str:
    """Decide the mode from the trigger lemma and cues in the sentence."""
    if _VIRTUAL.search(sentence):
        return "virtual"
    if trigger == "call" and re.search(r"\bcourtesy call", sentence, re.I):
        return "visit"  # a courtesy call is paid in person
    if re.search(r"\b(?:by|over the|on the) (?:tele)?phone\b|\btelephone (?:call|conversation|talks)|\bphone (?:call|conversation|talks)", sentence, re.I) \
            and trigger not in ("visit", "trip", "tour", "summit"):
        return "phone"
    if trigger in PHONE_WORDS or (trigger in ("speak", "talk", "conversation", "discuss", "call") and _PHONE_STRICT.search(sentence)):
        return "phone"
    if trigger in ("speak", "talk", "conversation") and _PHONE_STRICT.search(sentence):
        return "phone"
    if trigger in VISIT_WORDS:
        return "visit"
    if n_participants >= 3 or multilateral_org or (trigger in MULTI_NOUNS and n_participants != 2):
        return "multilateral"  # a summit of exactly two leaders is a bilateral, in-person meeting
    if trigger in MULTI_NOUNS:
        return "in_person"
    if trigger in IN_PERSON:
        return "in_person"
    return "unknown"


# Groups that make a meeting multilateral by themselves ("G7 finance ministers", "EU leaders", "Opec members").
_MULTI_GROUP = re.compile(r"\b(?:G\d{1,2}|Opec|Ecofin|Nato|Asean|Apec|Paris Club|eurozone|European Council|"
                          r"Security Council|WTO members|EU (?:leaders|ministers|members|heads)|"
                          r"(?:finance|foreign|trade|defen[cs]e|environment|energy) ministers|world leaders|"
                          r"leaders|heads of (?:state|government)|counterparts)\b", re.I)


def resolve_mode(event: dict, sentence: str) -> str:
    """The mode of a finished event: a multilateral group among the parties (or a summit of more than two)
    makes it multilateral; "discussed ... with" with no other cue is an in-person talk."""
    mode = event.get("mode") or "unknown"
    if mode in ("phone", "virtual", "visit"):
        return mode
    parties = event.get("participants") or []
    names = " ".join(str(p.get("name") or "") for p in parties)
    if _MULTI_GROUP.search(names) or re.search(r"\bsummit\b", sentence, re.I) and len(parties) != 2:
        return "multilateral"
    countries = {p.get("country") for p in parties if p.get("country")}
    if mode == "multilateral" and len(countries) < 3 and not re.search(
            r"\b(?:summit|conference|forum|ministerial|council|assembly)\b", sentence, re.I):
        # three people of one government (or a minister and two groups) meeting is not a multilateral meeting
        return "in_person"
    if mode == "unknown" and re.search(r"\b(?:discuss\w*|talks?|negotiat\w*|met|meeting)\b", sentence, re.I):
        return "in_person"
    return mode
