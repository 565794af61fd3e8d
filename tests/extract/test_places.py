import pytest


@pytest.mark.parametrize("text,location,venue", [
    ("Lavrov held talks in Jerusalem with Netanyahu on July 23.", "Jerusalem", None),
    ("Pence meets Iceland's President Gudni Johannesson at Hofdi House in Reykjavik.", "Reykjavik", "Hofdi House"),
    ("Mohammed bin Salman met Mauritania's President at the presidential palace in Nouakchott.", "Nouakchott", "presidential palace"),
    ("President Biden met Xi Jinping in Bali on Monday.", "Bali", None),
    ("Pope Francis visited Iraq in March.", "Iraq", None),
])
def test_location_and_venue(extract, text, location, venue):
    e = extract(text)[0]
    assert e["location"] == location
    if venue is not None:
        assert e["venue"] == venue


def test_here_resolves_to_the_dateline(extract):
    text = ("PTI | Washington DC | Updated: 31-05-2024\n"
            "The meeting of Deputy Secretary Kurt Campbell with Vice Minister Ma Zhaoxu took place here on Thursday.")
    e = extract(text, "2024-05-31")[0]
    assert e["location"] == "Washington" and e["date"] == "2024-05-30"


def test_captions(extract):
    evs = extract("German Chancellor Olaf Scholz (L) poses with Indian Prime Minister Narendra Modi before their talks.")
    assert any(e["status"] == "occurred" for e in evs)
    evs = extract("Chinese President Xi Jinping (R) shakes hands with Pakistani Prime Minister Imran Khan "
                  "during their meeting in Beijing, China, October 9, 2019.")
    assert evs[0]["date"] == "2019-10-09" and evs[0]["status"] == "occurred"
