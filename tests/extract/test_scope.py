"""Scope of a meeting (scope.py): internal bodies are kept and marked; two sides are bilateral; more are
multilateral."""

import pytest

from meetwire.extract.scope import scope_of


def ev(*parties, mode="in_person"):
    return {"mode": mode, "participants": [{"name": n, "country": c} for n, c in parties]}


@pytest.mark.parametrize("event,sentence,want", [
    (ev(("cabinet", "United Kingdom")), "The cabinet met on Monday to discuss the budget.", "internal"),
    (ev(("Tony Blair", "United Kingdom")), "Mr Blair chaired an emergency Cobra meeting.", "internal"),
    (ev(("Monetary Policy Committee", None)), "The Bank's Monetary Policy Committee meets on Thursday.", "internal"),
    (ev(("Tony Blair", "United Kingdom"), ("George W Bush", "United States")),
     "Mr Blair met President Bush at the White House.", "bilateral"),
    (ev(("Jack Straw", "United Kingdom"), ("Iranian counterpart", "Iran")),
     "Mr Straw briefed the cabinet after talks with his Iranian counterpart.", "bilateral"),
    (ev(("G7 finance ministers", None), mode="multilateral"), "G7 finance ministers met in London.", "multilateral"),
    (ev(("France", "France"), ("Germany", "Germany"), ("Italy", "Italy")), "Talks in Rome.", "multilateral"),
])
def test_scope(event, sentence, want):
    assert scope_of(event, sentence) == want


def test_extracted_events_carry_a_scope(extract_full):
    evs = extract_full("Prime Minister Tony Blair met US President George W Bush in Washington on Friday.",
                       "2005-03-09")
    assert evs and all(e["scope"] in ("internal", "bilateral", "multilateral") for e in evs)
