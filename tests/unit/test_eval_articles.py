"""The article-level matching rule of `meetwire eval articles`."""

import json

from meetwire.eval_articles import keyword_baseline, matches, participant_found, score

GOLD = [
    {"doc": "a", "status": "occurred", "mode": "in_person", "internal": False, "clear": True,
     "participants": ["Tony Blair", "George W Bush"], "date": "2005-03", "span": [10, 60]},
    {"doc": "a", "status": "planned", "mode": "multilateral", "internal": False, "clear": False,
     "participants": ["EU leaders"], "date": None, "span": [100, 150]},
    {"doc": "a", "status": "occurred", "mode": "in_person", "internal": True, "clear": True,
     "participants": ["the cabinet"], "date": None, "span": [200, 240]},
]


def ev(spans, status="occurred", names=(), **kw):
    return dict({"evidence_spans": spans, "status": status, "participants": [{"name": n} for n in names],
                 "evidence": "x"}, **kw)


def test_span_overlap_matches_whatever_the_parties():
    assert matches(ev([[50, 70]]), GOLD[0])
    assert not matches(ev([[60, 90]]), GOLD[0])  # touching is not overlapping


def test_parties_and_status_match_without_overlap():
    assert matches(ev([[300, 320]], names=["Blair", "Bush"]), GOLD[0])
    assert not matches(ev([[300, 320]], names=["Blair"]), GOLD[0])  # one of two is not enough
    assert not matches(ev([[300, 320]], status="planned", names=["Blair", "Bush"]), GOLD[0])


def test_participant_found_by_surname_or_description():
    assert participant_found("Tony Blair", [{"name": "Blair"}])
    assert participant_found("EU foreign ministers", [{"name": "foreign ministers"}])
    assert not participant_found("Tony Blair", [{"name": "Gordon Brown"}])
    assert not participant_found("the cabinet", [{"name": "the government"}])  # stop words never match
    assert participant_found("China's foreign minister", [{"name": "China"}])


def test_unclear_and_internal_gold_are_not_scored():
    rows = {"a": [ev([[10, 20]]), ev([[110, 120]], status="planned"), ev([[210, 220]]), ev([[400, 420]])]}
    res = score([{"id": "a", "text": ""}], GOLD, lambda d: rows[d["id"]])
    assert (res["right"], res["wrong"], res["ignored"]) == (1, 1, 2)
    assert res["n_gold"] == 1 and res["found"] == 1
    assert res["precision"] == 0.5 and res["recall"] == 1.0


def test_a_document_without_gold_makes_every_row_wrong():
    res = score([{"id": "b", "text": ""}], GOLD, lambda d: [ev([[0, 5]])])
    assert res["wrong"] == 1 and res["n_gold"] == 0


def test_field_scores_on_matched_rows():
    row = ev([[10, 20]], names=["Blair", "Bush"], mode="phone", date="2005-03-04")
    res = score([{"id": "a", "text": ""}], GOLD[:1], lambda d: [row])
    f = res["fields"]
    assert f["status"]["right"] == 1 and f["participants"]["right"] == 1 and f["date"]["right"] == 1
    assert f["mode"]["right"] == 0 and res["field_errors"][0]["fields"] == ["mode"]


def test_keyword_baseline_flags_every_sentence_with_a_meeting_word():
    rows = keyword_baseline({"id": "x", "text": "The club met its targets. Nothing else. Talks were held."})
    assert [r["evidence"] for r in rows] == ["The club met its targets.", "Talks were held."]


def test_cli_eval_articles(tmp_path):
    from typer.testing import CliRunner

    from meetwire.cli import app

    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"id": "a", "title": "Talks", "text": "Nothing here at all."}) + "\n")
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"docs": ["a"], "meetings": []}))
    res = CliRunner().invoke(app, ["eval", "articles", str(docs), str(gold), "--json", "--no-baseline"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["n_docs"] == 1 and out["n_gold"] == 0 and out["rows"] == 0
