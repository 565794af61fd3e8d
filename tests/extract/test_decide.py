"""The decision step (decide.py), the entity fallback (fallback.py) and the within-article merge."""

import json

import pytest

from meetwire.extract import decide, fallback
from meetwire.extract.decide import THRESHOLDS, load_model, merge_in_article, political, tokens
from meetwire.extract.status import PLANNED, OCCURRED, CANCELLED, refine_status

from .helpers import REALNEWS, bbc_path, names


def test_lexical_tokens_carry_no_names():
    toks = tokens("Tony Blair met French President Jacques Chirac in Paris on Friday.")
    assert "tony" not in toks and "chirac" not in toks and "paris" not in toks
    assert toks[:3] == ["tony", "CAP", "met"] or toks[0] == "CAP"
    assert "president" in toks and "COUNTRY" in toks and "DATEWORD" in toks


def test_committed_model_loads_and_is_calibrated():
    d = load_model()
    assert d is not None
    for stage in (d.lexical_model, d.sentence_model):
        ys = [y for _, y in stage.calibration]
        assert ys == sorted(ys) and 0.0 <= ys[0] and ys[-1] <= 1.0
    assert 0.0 <= d.lexical("Ministers met in Brussels on Monday.") <= 1.0
    assert set(THRESHOLDS) == {"lexical_drop", "lexical_parse", "sentence"}


@pytest.mark.parametrize("text", [
    "Trouble-hit Mitsubishi Motors is in talks with French carmaker PSA Peugeot Citroen about a possible alliance.",
    "Murray will meet Dimitrov in the second round at Wimbledon on Wednesday.",
    "He said he couldn't recall ever meeting her.",
    "The singer is hoping to tour in Japan, Australia and the US in 2005.",
])
def test_not_meetings_under_the_guideline(extract_full, text):
    assert extract_full(text, "2005-03-09") == [], text


def test_company_business_needs_a_political_actor():
    assert not political("Euronext began talks with the LSE over a possible bid.", [{"name": "LSE", "kind": "org"}])
    assert political("The firms held discussions with Japanese regulators.", [{"name": "regulators"}])
    assert political("Talks with the bank.", [{"name": "Germany", "kind": "state", "country": "Germany"}])


def test_decider_false_keeps_what_the_rules_read(extract, extract_full):
    text = "The prime minister met with criticism over the deal."
    assert extract(text) == [] and extract_full(text) == []
    assert extract("Putin met Erdogan in Sochi on Monday.")  # the rule layer alone


def _ev(names_, status="occurred", span=(0, 10), date=None, title=None):
    return {"participants": [{"name": n, "kind": "named", "title": title} for n in names_], "status": status,
            "evidence_spans": [list(span)], "date": date, "location": None, "venue": None, "mode": "in_person",
            "topics": [], "keywords": [], "confidence": 0.5}


def test_merge_same_meeting_told_again():
    a = _ev(["Tony Blair", "George W Bush"])
    b = _ev(["Mr Blair"], span=(20, 30), title="Prime Minister")
    b["participants"][0]["name"] = "Blair"
    c = _ev(["Blair", "Jacques Chirac"], span=(40, 50))
    out = merge_in_article([a, b, c])
    assert len(out) == 2
    assert out[0]["evidence_spans"] == [[0, 10], [20, 30]]
    assert out[0]["participants"][0]["title"] == "Prime Minister"  # the fuller description is kept


def test_merge_keeps_planned_and_occurred_apart_and_dates_apart():
    assert len(merge_in_article([_ev(["Blair", "Bush"]), _ev(["Blair", "Bush"], status="planned")])) == 2
    assert len(merge_in_article([_ev(["Blair", "Bush"], date="2005-03-01"),
                                 _ev(["Blair", "Bush"], date="2005-04-02")])) == 2


@pytest.mark.parametrize("sentence,rule_status,trigger,want", [
    ("Opec members are next meeting to discuss production levels on 16 March.", OCCURRED, "meeting", PLANNED),
    ("The IMF is to look at a proposal when it meets in April.", OCCURRED, None, PLANNED),
    ("EU finance ministers are meeting on Thursday in Brussels.", OCCURRED, None, PLANNED),
    ("The two ministers met after the summit ended on Friday.", OCCURRED, "meet", OCCURRED),
    ("Mr Brown had already agreed a deal ahead of the meeting.", OCCURRED, None, OCCURRED),
    ("A trip to Africa, to publicise his scheme to cancel the debt of poor nations, went well.", CANCELLED, None,
     OCCURRED),
    ("The envoy refused to meet the rebel leaders.", CANCELLED, "meet", CANCELLED),
])
def test_refine_status(sentence, rule_status, trigger, want):
    from_rules = trigger is not None
    assert refine_status(rule_status, sentence, from_rules=from_rules, trigger=trigger) == want


@pytest.mark.parametrize("sentence", [
    "South Korea denied reports that a secret meeting with North Korean officials had taken place.",
    "The EU urged Armenia and Azerbaijan to resume talks.",
    "The opposition leader sent a letter requesting an urgent meeting with the president.",
])
def test_fallback_refuses_denials_and_appeals(nlp, sentence):
    doc = nlp(sentence)
    assert fallback.build(doc, sentence, 0, len(sentence), None) is None


def test_fallback_reads_parties_place_mode_and_status(nlp):
    s = ("The package was announced by agriculture minister Dominique Bussereau after talks with vintners' "
         "representatives in Paris on Friday.")
    ev = fallback.build(nlp(s), s, 0, len(s), __import__("datetime").date(2005, 3, 9))
    assert ev is not None
    assert any("Bussereau" in n for n in names(ev)) and any("representatives" in n for n in names(ev))
    assert ev["status"] == OCCURRED and ev["mode"] == "in_person" and ev["date"] == "2005-03-04"
    s2 = "Mr Straw will travel to Beijing for talks with Chinese leaders next week."
    ev2 = fallback.build(nlp(s2), s2, 0, len(s2), None)
    assert ev2["status"] == PLANNED


@pytest.mark.skipif(not bbc_path().exists(), reason="../shared/data not available")
def test_training_runs_and_writes_a_loadable_model(tmp_path, nlp):
    from meetwire.eval_articles import read_docs
    from meetwire.extract.learn import train

    gold = json.loads((REALNEWS / "bbc-dev.json").read_text())
    wanted = [d for d in gold["docs"] if d.startswith("bbc-politics")][:60]
    docs = [d for d in read_docs(bbc_path()) if d["id"] in set(wanted)]
    out = tmp_path / "decide.json"
    res = train(docs, gold["meetings"], out=out, folds=2)
    data = json.loads(out.read_text())
    assert {"lexical", "sentence", "trained_on", "oof_article_score"} <= set(data)
    assert data["trained_on"]["docs"] == 60 and res["oof"]["n_docs"] == 60
    d = decide.Decider(data)
    assert 0.0 <= d.lexical("Ministers met on Monday.") <= 1.0


def test_a_huge_one_line_page_does_not_break_extraction(extract_full):
    junk = "met talks summit " * 150_000  # a 2.5 MB "sentence" full of cues: spaCy refuses over 1,000,000 characters
    text = "Prime Minister Tony Blair met US President George W Bush in Washington on Friday.\n\n" + junk
    evs = extract_full(text, "2005-03-09")
    assert any("Bush" in " ".join(p["name"] for p in e["participants"]) for e in evs)


def test_an_encounter_with_ones_family_is_private():
    s = "From there he went to Cardiff University, where he met his future wife Glenys, now a Labour MEP."
    assert not political(s, [{"name": "Neil Kinnock", "kind": "named"}, {"name": "Glenys", "kind": "named"}])
    # coalition and trading partners are political; so is a victim's family meeting a minister
    assert political("The minister met his coalition partners on Monday.", [{"name": "minister"}, {"name": "partners"}])
    assert political("The minister met the victim's family on Monday.", [{"name": "minister"}, {"name": "family"}])


def test_article_features_say_what_the_whole_article_is_about():
    from meetwire.extract.decide import doc_features

    sport = ("Murray will meet Dimitrov in the second round of the tournament. " * 3 +
             "The coach said the squad was ready for the final and the cup match against the league leaders. " * 4)
    politics = ("The prime minister met the foreign minister and the ambassador at the embassy on Monday. " * 8)
    fs, fp = doc_features(sport), doc_features(politics)
    assert fs["doc_leisure:4"] == 1.0 and fs["doc_office:0"] == 1.0
    assert fp["doc_leisure:0"] == 1.0 and fp["doc_office:4"] == 1.0
    assert doc_features("Ministers met on Monday.") == {"doc:short": 1.0}  # a lone sentence says nothing


def test_row_confidence_is_a_conservative_non_decreasing_map():
    from meetwire.extract.learn import _calibrate_rows

    scores = [0.1] * 10 + [0.5] * 10 + [0.9] * 10
    right = [0] * 8 + [1] * 2 + [1] * 5 + [0] * 5 + [1] * 10
    steps = _calibrate_rows(scores, right)
    ys = [y for _, y in steps]
    assert ys == sorted(ys)
    d = decide.Decider({"lexical": {"bias": 0, "weights": {}}, "sentence": {"bias": 0, "weights": {}},
                        "row_calibration": steps})
    # ten rows all right promise less than certainty; five in ten promise less than a half
    assert 0.7 < d.confidence(0.95) < 1.0 and d.confidence(0.5) < 0.5 and d.confidence(0.1) < 0.2


def test_committed_row_confidence_holds_on_the_development_rows():
    # the committed model says how its rows did out of fold: confidence >= 0.8 right at least 90 % of the time
    data = load_model().data
    assert data["row_calibration"] and [y for _, y in data["row_calibration"]] == sorted(
        y for _, y in data["row_calibration"])
    top = next(r for r in data["confidence_table"] if r["min_confidence"] == 0.8)
    assert top["rows"] >= 30 and top["precision"] >= 0.9, top
