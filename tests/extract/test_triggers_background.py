"""Meetings as background: temporal (as/while/when), sequence (after) and relative clauses vs the main report."""
import pytest

from .helpers import has_name, occurred

PUB = "2024-06-01"


def _main(events):
    occ = [e for e in events if e["status"] == "occurred"]
    assert occ, events
    return occ[0]


# as/while/when clauses: the meeting is the setting, the main clause is the report
@pytest.mark.parametrize("s", [
    "North Korea fired two missiles while U.S. and Japanese officials met in Tokyo.",
    "North Korea fired two missiles as U.S. and Japanese officials met in Tokyo.",
    "Oil prices rose when OPEC ministers met in Vienna on Thursday.",
    "Rebels shelled the capital as government and opposition delegates met in Addis Ababa.",
])
def test_background_temporal_clause(extract, s):
    assert not occurred(extract(s, PUB)), s


@pytest.mark.parametrize("s", [
    "The two foreign ministers met in Geneva as tensions rose over the border.",
    "Kim Jong Un met Vladimir Putin in Vladivostok while his train waited at the station.",
])
def test_main_meeting_with_temporal_clause_kept(extract, s):
    assert occurred(extract(s, PUB)), s


# clauses of sequence
@pytest.mark.parametrize("text", [
    "Delhi cancelled the talks with Dhaka after Bangladesh's envoy met opposition leaders in Kolkata.",
])
def test_background_sequence_clause(extract, text):
    assert not occurred(extract(text)), text


@pytest.mark.parametrize("text,names", [
    ("The two leaders met in Paris after the French president had spoken with the Chinese leader.", set()),
])
def test_main_meeting_with_sequence_clause_kept(extract, text, names):
    evs = [e for e in extract(text) if e["status"] == "occurred"]
    assert evs, text
    assert sum(len(e["participants"]) for e in evs) >= 2, evs
    found = {p["name"] for e in evs for p in e["participants"]}
    assert names <= found, found


# relative clause on a delegation / mission / team
def test_mission_relative_clause(extract):
    e = _main(extract("Senegalese President Macky Sall led an African delegation that met Ukrainian "
                      "President Volodymyr Zelensky in Kyiv on Friday.", PUB))
    assert has_name(e, "Macky Sall") and has_name(e, "Zelensky") and e["date"] == "2024-05-31"
    assert occurred(extract("The Chinese envoy led a team that held talks with Taliban officials in Kabul.", PUB))
    # restrictive relative clauses elsewhere stay background; planned stays planned
    assert not occurred(extract("Officials who met the president said he looked tired.", PUB))
    assert not occurred(extract("A former envoy who met the rebels last year criticised the deal.", PUB))
    assert not occurred(extract("The Kremlin sent an envoy who will meet Syrian officials next week.", PUB))


def test_mission_relative_clause_needs_a_counterpart(extract):
    assert not occurred(extract("The president chaired a committee that met on Monday to discuss the budget.", PUB))
    assert not occurred(extract("She joined a team that met monthly to review budgets.", PUB))


def test_restrictive_where_clause_is_the_setting(extract):
    assert not occurred(extract("Protesters rallied outside the hotel where the ministers were meeting.", PUB))
    assert not occurred(extract("Police closed the street where the two delegations met on Monday.", PUB))
    # a non-restrictive "..., where he met X" is asserted
    assert occurred(extract("Blinken flew to Tokyo, where he met Prime Minister Fumio Kishida on Tuesday.", PUB))


# a meeting in a setting phrase of another clause: the clause's subject was there ("during a meeting with X")
@pytest.mark.parametrize("s,who", [
    ("The Lindorian president announced the trade deal during a meeting in the capital with Ruritania's top "
     "negotiator Amir Qadri.", ("president", "Amir Qadri")),
    ("Foreign Minister Lena Vaskova raised the detentions at a meeting with Ruritanian officials on Monday.",
     ("Lena Vaskova", "officials")),
])
def test_meeting_in_a_setting_phrase_takes_the_clause_subject(extract, s, who):
    evs = [e for e in extract(s, PUB) if e["status"] == "occurred"]
    assert evs and all(has_name(evs[0], w) for w in who), evs


# "his call with X": the owner is a party, resolved to the person the sentence named
def test_possessive_owner_of_a_call_is_a_party(extract):
    s = "Once Tom Varga released the transcript of his July 25th call with Ruritanian President Amir Qadri, it was clear."
    evs = [e for e in extract(s, "2024-10-01") if e["status"] == "occurred"]
    assert evs and has_name(evs[0], "Tom Varga") and has_name(evs[0], "Amir Qadri"), evs


def test_an_owned_meeting_in_a_setting_phrase_keeps_its_owner(extract):
    # the owner, not the clause subject, was at the meeting
    s = "Reporters asked questions during Tom Varga's meeting with Ruritanian President Amir Qadri."
    evs = [e for e in extract(s, PUB) if e["status"] == "occurred"]
    assert evs and not has_name(evs[0], "Reporters") and has_name(evs[0], "Tom Varga"), evs


def test_attending_a_named_summit_in_a_lead_phrase(extract):
    s = "At the recent Lindoria Climate Action Summit, Ruritanian Prime Minister Amir Qadri pledged to double solar power."
    evs = [e for e in extract(s, PUB) if e["status"] == "occurred"]
    assert evs and has_name(evs[0], "Amir Qadri") and evs[0]["mode"] == "multilateral", evs
    # an unnamed conference in the same place is not enough
    assert not occurred(extract("At the conference, Ruritanian Prime Minister Amir Qadri pledged more aid.", PUB))
