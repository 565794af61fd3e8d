"""0.5.2 patterns: 'discussed' with a subject that names both sides, gatherings of heads of state, and a
'discussed ... with' that has no official on either side."""
import pytest

from .helpers import occurred


@pytest.mark.parametrize("text", [
    "Listeners discussed the budget with the host on the morning show.",
    "Ministers discussed the budget at length.",
    "Lawmakers discussed the bill for hours.",
    "The two ministers will discuss trade in Hanoi next week.",
])
def test_not_occurred(extract, text):
    assert not occurred(extract(text)), text


@pytest.mark.parametrize("text,n_participants", [
    ("The two foreign ministers discussed trade and security in Hanoi on Tuesday.", 1),
    ("The foreign ministers of Peru and Chile discussed the maritime border in Lima.", 2),
    ("Arab heads of state gathered in the Saudi capital on Friday for the opening of the summit.", 1),
    ("Officials discussed the plan with their Chinese counterparts.", 2),
])
def test_occurred(extract, text, n_participants):
    evs = [e for e in extract(text) if e["status"] == "occurred"]
    assert evs, text
    assert len(evs[0]["participants"]) >= n_participants
