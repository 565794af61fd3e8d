"""Meeting verbs (discuss, meet, negotiate, talk, gather, huddle, sit down, shuttle) and the sides they need."""
import pytest

from .helpers import occurred

PUB = "2024-06-01"


# "discussed" needs both sides in its subject or an official on either side of its "with"
@pytest.mark.parametrize("text", [
    "Listeners discussed the budget with the host on the morning show.",
    "Ministers discussed the budget at length.",
    "Lawmakers discussed the bill for hours.",
    "The two ministers will discuss trade in Hanoi next week.",
])
def test_discussed_without_both_sides_is_not_a_meeting(extract, text):
    assert not occurred(extract(text)), text


@pytest.mark.parametrize("text,n_participants", [
    ("The two foreign ministers discussed trade and security in Hanoi on Tuesday.", 1),
    ("The foreign ministers of Peru and Chile discussed the maritime border in Lima.", 2),
    ("Arab heads of state gathered in the Saudi capital on Friday for the opening of the summit.", 1),
    ("Officials discussed the plan with their Chinese counterparts.", 2),
])
def test_discussed_with_both_sides_and_gatherings_of_leaders(extract, text, n_participants):
    evs = [e for e in extract(text) if e["status"] == "occurred"]
    assert evs, text
    assert len(evs[0]["participants"]) >= n_participants


# a deliberative body meets when it sits in session to do business
@pytest.mark.parametrize("text", [
    "The board met on Monday.",
])
def test_body_meeting_without_business_is_not_a_meeting(extract, text):
    assert not occurred(extract(text)), text


@pytest.mark.parametrize("text,n_participants", [
    ("The U.N. Security Council met in emergency session on Friday to discuss the coup.", 1),
    ("The cabinet met on Monday to discuss the budget, a spokesman said.", 1),
    ("Senior diplomats from Berlin, Paris and Warsaw huddled in Vilnius on Thursday.", 1),
    ("Elders of rival clans sat down in Baidoa on Tuesday under the mediation of the regional administration.", 1),
])
def test_bodies_in_session_huddles_and_mediated_sit_downs(extract, text, n_participants):
    evs = [e for e in extract(text) if e["status"] == "occurred"]
    assert evs, text
    assert len(evs[0]["participants"]) >= n_participants, evs[0]["participants"]


@pytest.mark.parametrize("text,names", [
    ("Egyptian mediators shuttled between Israeli and Palestinian negotiators in Cairo on Monday.", set()),
])
def test_shuttle_diplomacy(extract, text, names):
    evs = [e for e in extract(text) if e["status"] == "occurred"]
    assert evs, text
    assert sum(len(e["participants"]) for e in evs) >= 2, evs
    found = {p["name"] for e in evs for p in e["participants"]}
    assert names <= found, found


# coordinated / plural subject + facilitator "with" or "under ... auspices"
@pytest.mark.parametrize("s", [
    "Armenian and Azerbaijani delegates met in Almaty on Friday with Kazakh observers.",
    "Yemeni government and Houthi representatives met in Muscat on Sunday with Omani facilitators.",
    "Colombian government and ELN negotiators met in Havana with Cuban mediators.",
    "Kosovo and Serbia representatives negotiated in Brussels under EU auspices on Monday.",
    "Government and rebel negotiators talked in Nairobi under regional auspices.",
    "Malian President Assimi Goita and Tuareg envoys negotiated in Algiers.",
])
def test_shared_meeting_with_facilitators(extract, s):
    assert occurred(extract(s, PUB)), s


def test_shared_subject_talking_to_others_is_not_a_meeting(extract):
    assert not occurred(extract("Israeli and Palestinian officials talked to reporters after the vote.", PUB))
    assert not occurred(extract("Government and opposition negotiators talked about the budget on television.", PUB))
