"""A small, documented topic taxonomy matched lexically over the evidence text."""

from __future__ import annotations

import re

# topic id -> regex. Keep this list short and documented in docs/extraction.md.
TAXONOMY: dict[str, str] = {
    "taiwan": r"\bTaiwan\w*|cross-strait",
    "ukraine_russia": r"\bUkrain\w*|\bDonbas\w*|\bCrimea\w*|Russia(?:'s|’s)? (?:war|invasion|defen[cs]e industr\w*|military)|support (?:for|to) Russia|Russia(?:'s|’s)? defen[cs]e",
    "south_china_sea": r"South China Sea|Second Thomas Shoal|Spratly|Paracel|Scarborough Shoal|East China Sea|freedom of navigation",
    "human_rights": r"human rights|rights abuses|wrongfully detained|political prisoners|Uy?i?ghur|Xinjiang|Tibet\w*|Hong Kong|exit bans|religious freedom",
    "korean_peninsula": r"North Korea\w*|Korean Peninsula|denucleari[sz]\w*|Pyongyang|\bDPRK\b",
    "middle_east": r"Middle East|\bGaza\b|Israel\w*|Palestin\w*|\bSyria\w*|Leban\w*|\bYemen\w*|\bIraq\w*|Jordan Valley|Idlib|Hezbollah|Hamas|Houthi\w*",
    "iran_nuclear": r"Iran\w* nuclear|nuclear deal|\bJCPOA\b|2015 deal|uranium|enrichment",
    "counternarcotics": r"counter-?narcotics|narcotics|fentanyl|drug trafficking|drugs",
    "military_security": r"military-to-military|\bdefen[cs]e\b|military|missiles?|arms control|security cooperation|drills|troops|weapons",
    "trade_economy": r"\btrade\b|tariffs?|econom\w*|investment\w*|supply chains?|\bexports?\b|\bimports?\b|financ\w*|business",
    "sanctions": r"\bsanctions?\b|export controls",
    "technology_ai": r"artificial intelligence|\bAI\b|semiconductor\w*|\bchips?\b|technology|cyber\w*",
    "climate_energy": r"climate|emissions|\benergy\b|\boil\b|\bgas\b|OPEC|renewable\w*",
    "afghanistan": r"Afghan\w*|Taliban|Kabul",
    "peace_process": r"peace (?:talks|process|deal|agreement|efforts?)|ceasefire|cease-fire|truce|mediat\w*|reconciliation|settlement",
    "terrorism": r"terror\w*|Islamic State|\bISIS\b|\bISIL\b|extremis\w*|insurgen\w*",
    "migration": r"migra\w*|refugees?|asylum|border crossings?",
    "health": r"COVID|coronavirus|pandemic|vaccin\w*|\bhealth\b",
    "brexit": r"Brexit",
    "bilateral_relations": r"bilateral (?:ties|relations|relationship|cooperation)|bilateral relations|brotherly ties|diplomatic relations|open (?:lines|channels) of communication",
}
TAXONOMY["technology_ai"] = r"artificial intelligence|(?-i:\bAI\b)|semiconductor\w*|technolog\w*|cyber\w*"
# Literal gates: a topic's regex only runs when one of these substrings occurs (fast path).
_GATES = {
    k: [g.lower() for g in re.findall(r"[A-Za-z][A-Za-z -]{1,}", re.sub(r"\\[bBwWsSd]\*?|\(\?-i:|\(\?:|[()?*+|\]\[]", "|", v))
        if len(g.strip()) >= 2]
    for k, v in TAXONOMY.items()
}
_GATES = {k: sorted({g.strip().split(" ")[0] for g in v if g.strip()}) for k, v in _GATES.items()}
_COMPILED = {k: re.compile(v, re.I) for k, v in TAXONOMY.items()}


_GATE_TOPICS: dict[str, list[str]] = {}
for _k, _gs in _GATES.items():
    for _g in _gs:
        _GATE_TOPICS.setdefault(_g, []).append(_k)
_GATE_RX = re.compile("|".join(sorted(map(re.escape, _GATE_TOPICS), key=len, reverse=True)))


def topics_of(text: str) -> tuple[list[str], list[str]]:
    """Return (topic ids in taxonomy order, matched keywords)."""
    low = text.lower()
    maybe = {k for g in set(_GATE_RX.findall(low)) for k in _GATE_TOPICS[g]}
    topics: list[str] = []
    keywords: list[str] = []
    seen = set()
    for k, rx in _COMPILED.items():
        if k not in maybe:
            continue
        found = rx.findall(text)
        if not found:
            continue
        topics.append(k)
        for f in found:
            f = f.strip() if isinstance(f, str) else ""
            if f and f.lower() not in seen:
                seen.add(f.lower())
                keywords.append(f)
    return topics, keywords
