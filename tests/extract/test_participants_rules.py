"""Who the parties are: the other side, mediators and mediated sides, groups, clerics, parser quirks."""
import pytest

from .helpers import has_name, names

PUB = "2024-06-01"


def _main(events):
    occ = [e for e in events if e["status"] == "occurred"]
    assert occ, events
    return occ[0]


@pytest.mark.parametrize("text,want", [
    ("The pope granted a private audience to Peru's president on Monday.", "Peru"),
    ("Chile's finance minister held a video conference with International Monetary Fund staff on Friday.", "staff"),
    ("Malaysia's foreign minister paid a courtesy call on the Sultan of Brunei on Monday.", "Sultan"),
    ("Panama's president mediated talks between the two rival Nicaraguan delegations on Thursday.", "delegations"),
    ("Albania's president hosted a dinner for the leaders of the opposition parties on Friday.", "leaders"),
    ("Police negotiators held talks through the night with the gunmen inside the bank.", "gunmen"),
    ("Union representatives met managers of the state mining company for six hours on Sunday.", "managers"),
    ("Peru's president received the mayors of the border region at the palace to discuss security.", "mayors"),
])
def test_other_side_is_a_participant(extract, text, want):
    evs = [e for e in extract(text) if e["status"] == "occurred"]
    assert evs, text
    texts = " | ".join(" ".join(str(p.get(k) or "") for k in ("name", "title", "country")) for e in evs
                       for p in e["participants"])
    assert want in texts, texts


@pytest.mark.parametrize("text,names", [
    # a caption's "file photo" is not the participant; its apposition is
    ("In this March 3, 2021 file photo, Senior adviser Maria Lopez attends a Cabinet meeting in Madrid.",
     {"Maria Lopez"}),
    # the mediated parties of a mediation effort
    ("The emir launched a mediation effort to resolve the rift between Kenya and Somalia.", {"Kenya", "Somalia"}),
    # an organisation's name runs on through its "of" phrase
    ("The League of Arab States hosted talks between the rival factions in Cairo.", {"League of Arab States"}),
    # a group of states as a party
    ("The bloc held talks with Central Asian countries in Astana on Monday.", {"Central Asian countries"}),
])
def test_participants(extract, text, names):
    evs = [e for e in extract(text) if e["status"] == "occurred"]
    assert evs, text
    found = {p["name"] for e in evs for p in e["participants"]}
    assert names <= found, found


def test_shared_meeting_arguments(extract):
    e = _main(extract("Colombian government and ELN negotiators met in Havana on Monday with Cuban mediators.", PUB))
    ns = names(e)
    assert any("ELN" in n for n in ns) and any("Colombian government" in n for n in ns)
    assert any("mediators" in n for n in ns)
    assert e["location"] == "Havana" and e["date"] == "2024-05-27"
    e = _main(extract("Malian President Assimi Goita and Tuareg envoys negotiated in Algiers.", PUB))
    assert has_name(e, "Assimi Goita") and any("Tuareg" in n for n in names(e)) and e["location"] == "Algiers"


# the parser's "head of X and Y"; an absolute "with X topping the agenda" is not a party
@pytest.mark.parametrize("text,n_participants", [
    ("The head of Chad's transitional council and Sahel leaders conferred by video link on Sunday.", 2),
    ("Governors of the northern states met in Kaduna on Sunday, with insecurity and farming topping the agenda.", 1),
])
def test_coordinated_head_of_and_absolute_with(extract, text, n_participants):
    evs = [e for e in extract(text) if e["status"] == "occurred"]
    assert evs, text
    assert len(evs[0]["participants"]) >= n_participants, evs[0]["participants"]


# religious leaders are parties
@pytest.mark.parametrize("text,names", [
    ("The Archbishop met Anglican bishops from across Asia in Manila on Wednesday.", set()),
])
def test_religious_leaders(extract, text, names):
    evs = [e for e in extract(text) if e["status"] == "occurred"]
    assert evs, text
    assert sum(len(e["participants"]) for e in evs) >= 2, evs
    found = {p["name"] for e in evs for p in e["participants"]}
    assert names <= found, found


def test_cleric_and_apposed_encounter(extract):
    evs = [e for e in extract("The pope met Egypt's grand imam at the Vatican in May 2016, a historic encounter "
                              "between the two religious leaders.") if e["status"] == "occurred"]
    assert evs, "no event"
    names = [p["name"] for p in evs[0]["participants"]]
    assert len(names) == 2 and not any("encounter" in n for n in names), names


# ---- article-wide: a title-only party is the person the article names with that title (parties.py)

def test_title_registry_reads_titles_before_and_after_names():
    from meetwire.extract.parties import title_registry

    text = ("Pakistani President Amir Qadri met reporters. Lena Vaskova, the Ruritanian foreign minister, said so. "
            "US Secretary of State Dana Holt arrived on Monday. Prime Minister Tom Varga spoke.")
    got = {(e["name"], e["title"], e["country"]) for e in title_registry(text)}
    assert ("Amir Qadri", "Pakistani President", "Pakistan") in got
    assert ("Lena Vaskova", "Ruritanian foreign minister", None) in got  # a title in apposition
    assert ("Dana Holt", "US Secretary of State", "United States") in got
    assert ("Tom Varga", "Prime Minister", None) in got
    assert all("Monday" not in n for n, _, _ in got)


@pytest.mark.parametrize("party,want", [
    ({"name": "the Pakistani president", "kind": "descriptive", "country": "Pakistan"}, "Amir Qadri"),
    ({"name": "prime minister", "kind": "descriptive"}, "Tom Varga"),
    ({"name": "the foreign minister", "kind": "descriptive"}, "Lena Vaskova"),
    # two presidents named: "the president" is ambiguous and stays as written
    ({"name": "the president", "kind": "descriptive"}, None),
    # "former" must agree
    ({"name": "the former prime minister", "kind": "descriptive"}, None),
    # groups stay groups
    ({"name": "foreign ministers", "kind": "descriptive"}, None),
])
def test_title_only_party_resolves_to_the_one_person_so_named(party, want):
    from meetwire.extract.parties import resolve_title, title_registry

    text = ("Pakistani President Amir Qadri met reporters. Lena Vaskova, the Ruritanian foreign minister, said so. "
            "President Joan Mbeki of Lindoria arrived. Prime Minister Tom Varga spoke.")
    got = resolve_title(party, title_registry(text))
    assert (got and got["name"]) == want, got
    if want:
        assert got["kind"] == "named" and got["coref"] == party["name"]


def test_article_names_the_title_holder_elsewhere(extract):
    text = ("Prime Minister Tom Varga of Lindoria flew home on Sunday.\n\n"
            "On Monday the prime minister met Ruritania's President Amir Qadri in the capital to discuss trade.")
    ev = _main(extract(text))
    assert has_name(ev, "Tom Varga") and has_name(ev, "Amir Qadri"), names(ev)


def test_a_visit_to_a_country_makes_the_state_a_party(extract):
    ev = _main(extract("Lindoria's foreign minister Tom Varga visited Kenya on Monday for talks on trade."))
    kenya = [p for p in ev["participants"] if p.get("country") == "Kenya"]
    assert ev["mode"] == "visit" and kenya and kenya[0]["role"] == "host", ev["participants"]
    # a visit at home adds no state: the visitor is from it
    from meetwire.extract.parties import add_visit_host

    ev2 = {"mode": "visit", "location": "Kenya", "participants": [{"name": "Ruto", "country": "Kenya"}]}
    add_visit_host(ev2)
    assert len(ev2["participants"]) == 1
