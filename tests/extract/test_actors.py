from .helpers import has_name


def _parts(extract, text, pub=None):
    evs = [e for e in extract(text, pub) if e["status"] == "occurred"]
    assert evs, text
    return evs[0]["participants"]


def test_title_country_and_name_are_separated(extract):
    ps = _parts(extract, "US Deputy Secretary of State Kurt M Campbell held a meeting with China's Ma Zhaoxu.")
    by = {p["name"]: p for p in ps}
    assert by["Kurt M Campbell"]["title"] == "Deputy Secretary of State"
    assert by["Kurt M Campbell"]["country"] == "United States"
    assert by["Kurt M Campbell"]["organization"] == "State Department"
    assert by["Ma Zhaoxu"]["country"] == "China"


def test_apposition_title(extract):
    ps = _parts(extract, "Mark Lambert, U.S. deputy assistant secretary of state, met virtually with Hong Liang, "
                         "the PRC's director-general for boundary and ocean affairs.")
    by = {p["name"]: p for p in ps}
    assert by["Hong Liang"]["country"] == "China"
    assert "director-general" in by["Hong Liang"]["title"]


def test_host_and_guest_roles(extract):
    ps = _parts(extract, "Deputy Secretary of State Kurt Campbell hosted China's Vice Foreign Minister Ma Zhaoxu.")
    roles = {p["name"]: p["role"] for p in ps}
    assert roles == {"Kurt Campbell": "host", "Ma Zhaoxu": "guest"}


def test_surname_coreference_within_article(extract):
    text = ("Deputy Secretary of State Kurt Campbell hosted Vice Foreign Minister Ma Zhaoxu on Thursday. "
            "Later, Campbell and Ma discussed trade with each other. "
            "Later in the afternoon, adviser Jon Finer continued discussions with Ma.")
    evs = extract(text, "2024-05-30")
    finer = [e for e in evs if has_name(e, "Finer")][0]
    assert any(p["name"] == "Ma Zhaoxu" and p["title"] == "Vice Foreign Minister" for p in finer["participants"])
    assert finer["date"] == "2024-05-30"  # "later in the afternoon" inherits the day


def test_title_only_coreference(extract):
    text = ("Deputy Secretary of State Kurt Campbell met Foreign Minister Wang Yi. "
            "The deputy secretary also met with Chinese Vice Premier Ding Xuexiang.")
    evs = extract(text)
    second = [e for e in evs if has_name(e, "Ding")][0]
    assert has_name(second, "Kurt Campbell")


def test_pronoun_resolves_to_person_in_sentence(extract):
    evs = extract("Barack Obama is ending a trip in Paris, where he had lunch with Emmanuel Macron.")
    assert any(has_name(e, "Obama") and has_name(e, "Macron") for e in evs)


def test_distributive_coordination(extract):
    evs = extract("The statement came ahead of the expected meeting between U.S. and China defense chiefs.")
    ps = evs[0]["participants"]
    assert {p["country"] for p in ps} == {"United States", "China"}
    assert evs[0]["status"] == "planned"
