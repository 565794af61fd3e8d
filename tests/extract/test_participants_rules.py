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
