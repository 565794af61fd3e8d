"""Event nouns as triggers: light verbs ("went into talks"), an apposed "encounter", meals framing talks."""
import pytest

from .helpers import occurred


@pytest.mark.parametrize("text,n_participants", [
    ("The Chilean and Argentine presidents met in Santiago on Monday, their first encounter since the election.", 2),
    ("Arriving in Nairobi on Monday, the Somali foreign minister went straight into talks with his Kenyan counterpart.", 2),
    ("Over lunch in Lima on Friday, the trade ministers of Peru and Chile reviewed the new customs rules.", 1),
])
def test_light_verbs_apposed_nouns_and_meals(extract, text, n_participants):
    evs = [e for e in extract(text) if e["status"] == "occurred"]
    assert evs, text
    assert len(evs[0]["participants"]) >= n_participants, evs[0]["participants"]


@pytest.mark.parametrize("text", [
    "During lunch, the president signed the decree.",
])
def test_meal_without_a_consultation_is_not_a_meeting(extract, text):
    assert not occurred(extract(text)), text
