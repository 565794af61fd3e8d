from meetwire.extract.cues import find_dateline, is_candidate, split_sentences


def test_split_keeps_offsets_and_abbreviations():
    text = "U.S. Secretary Blinken met Mr. Wang in Beijing. They talked for hours.\nGive Feedback"
    spans = split_sentences(text)
    sents = [text[s:e] for s, e in spans]
    assert sents == ["U.S. Secretary Blinken met Mr. Wang in Beijing.", "They talked for hours."]


def test_junk_lines_are_dropped():
    text = "Country:\n• United States\nThe two ministers met on Monday."
    assert [text[s:e] for s, e in split_sentences(text)] == ["The two ministers met on Monday."]


def test_prefilter_keeps_meeting_sentences():
    for s in ["Putin held talks with Modi.", "Trump called King Salman on Saturday.",
              "The Emir received the Iraqi delegation.", "Lavrov spoke by phone with Blinken.",
              "X was received by Y in Beijing.", "Scholz and Macron discussed energy."]:
        assert is_candidate(s), s


def test_prefilter_drops_sentences_without_meeting_cues():
    for s in ["The central bank raised interest rates by half a point.",
              "During the meeting, Campbell emphasised that both need to prevent miscalculations.",
              "The minister called for calm.", "He said it in a readout of the meeting."]:
        assert not is_candidate(s), s


def test_dateline():
    assert find_dateline("PTI | Washington DC | Updated: 31-05-2024") == "Washington DC"
    assert find_dateline("KABUL (Pajhwok): President Ghani met ...") == "KABUL"
