"""0.5.7 patterns, from the sixth blind written set: the other side of audiences, courtesy calls, video
conferences, mediated talks and hosted dinners; more kinds of people across the table; accented datelines."""
import pytest

from .helpers import occurred


@pytest.mark.parametrize("text", [
    # a date after "call" is not a party
    "The emir praised Qatar's efforts to end the war during a phone call with the Turkish president on Sunday.",
])
def test_not_occurred(extract, text):
    assert not occurred(extract(text)), text


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


def test_accented_dateline_is_not_a_participant(extract):
    evs = extract("SAN JOSÉ, Costa Rica (AP) -- Costa Rica's president met Honduran delegates at his residence.")
    names = {p["name"] for e in evs for p in e["participants"]}
    assert evs and not any("JOS" in (n or "") for n in names), names
