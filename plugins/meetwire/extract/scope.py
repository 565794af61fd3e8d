"""Scope of a meeting: one government's or party's own meeting (``internal``), two sides (``bilateral``) or
more (``multilateral``). Internal meetings are kept, and marked so analysts and the pairs views can leave them out.
"""

from __future__ import annotations

import re

INTERNAL, BILATERAL, MULTILATERAL = "internal", "bilateral", "multilateral"

# Bodies of one government or party meeting on their own (the guideline's "internal" examples and their kin).
_INTERNAL_BODY = re.compile(
    r"\b(?:cabinet|cobra|politburo|shadow cabinet|national security (?:council|committee)|security cabinet|"
    r"monetary policy committee|rate-setting|federal reserve|the fed\b|open market committee|central committee|"
    r"(?:party|spring|annual|autumn|labour|tory|conservative|liberal democrat|lib dem) conference|"
    r"parliamentary (?:labour )?party|plp|party executive|national executive|executive committee|"
    r"council of ministers|crisis (?:meeting|committee|talks)|war cabinet|steering committee)\b", re.I)
_COUNTERPART = re.compile(r"\b(?:with|between|and (?:his|her|their) (?:\w+ )?counterparts?|counterparts?|"
                          r"visiting|delegation|envoys?|ambassadors?)\b", re.I)


def scope_of(event: dict, sentence: str) -> str:
    countries = {p.get("country") for p in event.get("participants") or [] if p.get("country")}
    if event.get("mode") == "multilateral" or len(countries) >= 3:
        return MULTILATERAL
    if len(countries) <= 1 and _INTERNAL_BODY.search(sentence) and not (
            len(event.get("participants") or []) >= 2 and _COUNTERPART.search(sentence) and countries == set()):
        return INTERNAL
    return BILATERAL
