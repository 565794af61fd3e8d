"""Quality floors: they may only go up."""

import csv

import pytest

from meetwire.evaluate import eval_args, eval_plover

from .helpers import FIXTURES, occurred, plover_path

# The whole extractor (decision models included) since 0.6: PLOVER dev 0.7.0 P 0.929 R 0.946 F1 0.937 (the lexical model
# saw these sentences in training, so this is not a held-out score); the written sets below lost precision when the
# extractor began to report meetings mentioned in passing ("after talks with X, Y said ..."), which the guideline
# counts and PLOVER codes as the main clause's event. The challenge set pins the trigger-rule layer alone.
# args 0.967 / 1.0; challenge 439/441 (see docs/extraction.md); floors sit a small margin below
PLOVER_F1_FLOOR = 0.92
PLOVER_P_FLOOR = 0.92
ARGS_PARTICIPANTS_FLOOR = 0.93
ARGS_DATE_FLOOR = 0.95
CHALLENGE_ACC_FLOOR = 0.98
# written_heldout.tsv: an independent hand-written set (never edited, never tuned on sentence by sentence)
HELDOUT_F1_FLOOR = 0.84  # rules alone 1.000; whole extractor 0.6.4: P 0.772 R 1.000 F1 0.871
HELDOUT_P_FLOOR = 0.73
# later independent sets, each scored blind once before any tuning on it (docs/extraction.md):
# written_heldout2 blind 0.932 (0.5.0), now 0.987; written_heldout3 blind 0.908 (0.5.2), now 0.966;
# written_heldout4 blind 0.925 (0.5.3), now 0.967 (0.5.4); written_heldout5 blind 0.960 (0.5.5), now 0.993 (0.5.6);
# written_heldout6 blind 0.987 (0.5.6), now 1.000 (0.5.7); written_heldout7 blind 0.931 (0.5.7), now 0.966 (0.5.8)
# whole extractor 0.6.4 (F1, P): 0.861/0.819, 0.825/0.777, 0.882/0.845, 0.883/0.818, 0.878/0.890, 0.905/0.866
LATER_HELDOUT_FLOORS = {"written_heldout2.tsv": (0.83, 0.78), "written_heldout3.tsv": (0.79, 0.74),
                        "written_heldout4.tsv": (0.85, 0.81), "written_heldout5.tsv": (0.85, 0.78),
                        "written_heldout6.tsv": (0.85, 0.85), "written_heldout7.tsv": (0.87, 0.83)}


@pytest.mark.skipif(not plover_path().exists(), reason="PLOVER dev file not available")
def test_plover_floor(nlp):
    res = eval_plover(plover_path())
    assert res["n"] > 1000
    assert res["f1"] >= PLOVER_F1_FLOOR, res["f1"]
    assert res["precision"] >= PLOVER_P_FLOOR, res["precision"]
    for e in res["errors"]:
        assert {"id", "text", "gold", "pred"} <= set(e)
    # the file marks a source and a target actor per sentence: on the meetings we detect, both should be
    # among the participants (0.5.4: source 52/52, target 49/52; the 3 misses are places marked as targets)
    act = res["actors"]
    assert act["source"]["found"] / act["source"]["marked"] >= 0.95, act
    assert act["target"]["found"] / act["target"]["marked"] >= 0.90, act


def test_actor_found_is_not_vacuous():
    from meetwire.evaluate import actor_found

    parts = [{"name": "Qasem Soleimani", "title": "commander", "country": "Iran"}]
    assert actor_found("Top Iranian commander Qasem Soleimani", parts)
    assert not actor_found("Baghdad and Najaf", parts)
    assert not actor_found("Turkey", [])


def test_argument_quality_on_hand_labelled_consult_sentences(nlp):
    res = eval_args(FIXTURES / "consult_args.jsonl")
    assert res["n"] >= 20
    assert res["participants_acc"] >= ARGS_PARTICIPANTS_FLOOR, res["errors"]
    assert res["date_acc"] >= ARGS_DATE_FLOOR, res["errors"]


def test_own_challenge_set(extract):
    rows = list(csv.DictReader(open(FIXTURES / "challenge.tsv", encoding="utf-8"), delimiter="\t"))
    ok = sum(occurred(extract(r["sentence"])) == (r["label"] == "1") for r in rows)
    assert ok / len(rows) >= CHALLENGE_ACC_FLOOR


def test_written_heldout_floor(nlp):
    res = eval_plover(FIXTURES / "written_heldout.tsv")
    assert res["n"] >= 200
    assert res["f1"] >= HELDOUT_F1_FLOOR, (res["f1"], res["errors"])
    assert res["precision"] >= HELDOUT_P_FLOOR, (res["precision"], res["errors"])


@pytest.mark.parametrize("name", sorted(LATER_HELDOUT_FLOORS))
def test_later_written_heldout_floors(nlp, name):
    f1_floor, p_floor = LATER_HELDOUT_FLOORS[name]
    res = eval_plover(FIXTURES / name)
    assert res["n"] >= 300
    assert res["f1"] >= f1_floor, (res["f1"], res["errors"])
    assert res["precision"] >= p_floor, (res["precision"], res["errors"])
    act = res["actors"]
    if act["source"]["marked"]:  # sets 5-7 mark actors like the dev file: 72/74 71/74, 74/75 75/75, 67/70 67/70 found
        assert act["source"]["found"] / act["source"]["marked"] >= 0.93, act
        assert act["target"]["found"] / act["target"]["marked"] >= 0.90, act
