"""Within-article reference: plural anaphora for the parties; later mentions take the meeting's date and place."""
import pytest

from .helpers import has_name

PUB = "2024-06-01"


def test_plural_anaphora(extract):
    evs = extract("Russian President Vladimir Putin met Chinese President Xi Jinping in Moscow on Tuesday. "
                  "The two leaders held talks again on Wednesday. They also met on Thursday.", PUB)
    occ = [e for e in evs if e["status"] == "occurred"]
    assert len(occ) == 3
    for e in occ:
        assert has_name(e, "Putin") and has_name(e, "Xi Jinping"), e["participants"]
    assert [e["date"] for e in occ] == ["2024-05-28", "2024-05-29", "2024-05-30"]
    assert not extract("They met on Thursday.", PUB)  # no antecedent: no participants


def test_definite_meeting_inherits_date(extract):
    evs = extract("Italian Foreign Minister Antonio Tajani met Egyptian Foreign Minister Sameh Shoukry in "
                  "Cairo on Tuesday. Egyptian President Abdel Fattah al-Sisi also stopped by the meeting to "
                  "greet Tajani.", PUB)
    greet = [e for e in evs if e["trigger"] == "greet"]
    assert greet and greet[0]["date"] == "2024-05-28" and greet[0]["location"] == "Cairo"


def test_seed_drop_in_gets_the_meeting_date(extract):
    from .helpers import SEED_PUBLISHED, seeds_dir

    d = seeds_dir()
    if d is None:
        pytest.skip("seeds not available")
    f = next(d.glob("001_*.txt"))
    evs = extract(f.read_text(encoding="utf-8"), SEED_PUBLISHED["001"])
    greet = [e for e in evs if has_name(e, "Sullivan")]
    assert greet and greet[0]["date"] == "2024-05-30" and greet[0]["status"] == "occurred"
