"""Phone, video and telephone calls: a meeting only when both sides talk, carrying the call's mode."""
import pytest

from .helpers import occurred


@pytest.mark.parametrize("text", [
    "In a phone call on Monday, the minister discussed the budget.",
    "The emir received a phone call from the Prime Minister of Malaysia, who conveyed his congratulations on the national day.",
    "The president received a phone call from the Saudi crown prince, who expressed solidarity with the victims.",
    # a date after "call" is not a party
    "The emir praised Qatar's efforts to end the war during a phone call with the Turkish president on Sunday.",
])
def test_one_sided_calls_are_not_meetings(extract, text):
    assert not occurred(extract(text)), text


@pytest.mark.parametrize("text,mode", [
    ("Spanish Prime Minister Pedro Sanchez and Moroccan King Mohammed VI spoke in a video call on Tuesday about migration.", "virtual"),
    ("In a phone call on Monday, Kenyan President William Ruto and Tanzanian President Samia Suluhu Hassan discussed trade.", "phone"),
])
def test_calls_between_two_parties_carry_their_mode(extract, text, mode):
    evs = [e for e in extract(text) if e["status"] == "occurred"]
    assert evs, text
    if mode:
        assert evs[0]["mode"] == mode
        assert len(evs[0]["participants"]) >= 2


@pytest.mark.parametrize("text,n_participants", [
    ("In a telephone conversation on Friday, the Kenyan president and the Ugandan president reviewed the oil "
     "pipeline project.", 2),
])
def test_telephone_conversation_framing_a_review(extract, text, n_participants):
    evs = [e for e in extract(text) if e["status"] == "occurred"]
    assert evs, text
    assert len(evs[0]["participants"]) >= n_participants, evs[0]["participants"]
