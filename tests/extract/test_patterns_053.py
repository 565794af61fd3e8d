"""0.5.3 patterns, from the third blind written set: apposed event nouns, failed talks, rallies, deliberative
bodies in session, 'went into talks', huddles, meals framing a consultation, the parser's 'head of X and Y'."""
import pytest

from .helpers import occurred


@pytest.mark.parametrize("text", [
    "Negotiations between the government and the teachers' union collapsed on Monday over pay.",
    "The summit between the two blocs failed to produce a joint statement.",
    "The opposition party held a mass meeting in the capital on Sunday to demand early elections.",
    "The committee met its deadline on Friday.",
    "The board met on Monday.",
    "During lunch, the president signed the decree.",
])
def test_not_occurred(extract, text):
    assert not occurred(extract(text)), text


@pytest.mark.parametrize("text,n_participants", [
    ("The Chilean and Argentine presidents met in Santiago on Monday, their first encounter since the election.", 2),
    ("The U.N. Security Council met in emergency session on Friday to discuss the coup.", 1),
    ("The cabinet met on Monday to discuss the budget, a spokesman said.", 1),
    ("Arriving in Nairobi on Monday, the Somali foreign minister went straight into talks with his Kenyan counterpart.", 2),
    ("Senior diplomats from Berlin, Paris and Warsaw huddled in Vilnius on Thursday.", 1),
    ("Over lunch in Lima on Friday, the trade ministers of Peru and Chile reviewed the new customs rules.", 1),
    ("The head of Chad's transitional council and Sahel leaders conferred by video link on Sunday.", 2),
])
def test_occurred(extract, text, n_participants):
    evs = [e for e in extract(text) if e["status"] == "occurred"]
    assert evs, text
    assert len(evs[0]["participants"]) >= n_participants, evs[0]["participants"]
