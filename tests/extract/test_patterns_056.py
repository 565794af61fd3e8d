"""0.5.6 patterns, from the fifth blind written set: clauses of sequence as background, state-media objects
placed after the place and time, shuttle diplomacy, religious leaders, callers who only express solidarity."""
import pytest

from .helpers import occurred


@pytest.mark.parametrize("text", [
    "Delhi cancelled the talks with Dhaka after Bangladesh's envoy met opposition leaders in Kolkata.",
    "The president received a phone call from the Saudi crown prince, who expressed solidarity with the victims.",
    "The company received at its headquarters on Monday the first batch of new trucks.",
    "Buses shuttled between the airport and the city.",
])
def test_not_occurred(extract, text):
    assert not occurred(extract(text)), text


@pytest.mark.parametrize("text,names", [
    ("The two leaders met in Paris after the French president had spoken with the Chinese leader.", set()),
    ("Bahrain's King received at Sakhir Palace on Monday the visiting Jordanian foreign minister.", set()),
    ("The Emir of Qatar received at Lusail Palace the President of Ghana, who is on a state visit.",
     {"President of Ghana"}),
    ("Egyptian mediators shuttled between Israeli and Palestinian negotiators in Cairo on Monday.", set()),
    ("The Archbishop met Anglican bishops from across Asia in Manila on Wednesday.", set()),
])
def test_occurred(extract, text, names):
    evs = [e for e in extract(text) if e["status"] == "occurred"]
    assert evs, text
    assert sum(len(e["participants"]) for e in evs) >= 2, evs
    found = {p["name"] for e in evs for p in e["participants"]}
    assert names <= found, found
