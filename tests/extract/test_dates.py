import pytest
from datetime import date

from meetwire.extract.dates import best_date, find_dates, resolve, to_date

PUB = date(2024, 5, 31)  # a Friday


def _r(text, pub=PUB, future=False):
    v, p, _ = best_date(text, 0, pub, future)
    return v, p


def test_weekday_resolves_to_most_recent_past_day():
    assert _r("They met on Thursday.") == ("2024-05-30", "day")
    assert _r("They met on Friday.") == ("2024-05-31", "day")  # same day
    assert _r("They will meet on Monday.", future=True) == ("2024-06-03", "day")


def test_month_day_without_year():
    assert _r("They met virtually on May 23 with officials.") == ("2024-05-23", "day")
    assert _r("They met on December 20.") == ("2023-12-20", "day")


def test_month_only_and_relative_spans():
    assert _r("at the Woodside Summit in November") == ("2023-11", "month")
    assert _r("commitments made in April") == ("2024-04", "month")
    assert _r("They met last week.") == ("2024-05", "month")
    assert _r("They met last month.") == ("2024-04", "month")
    assert _r("They met last year.") == ("2023", "year")
    assert _r("They met yesterday.") == ("2024-05-30", "day")


def test_absolute_dates_need_no_publication_date():
    assert _r("in Brussels, Belgium, July 11, 2018.", pub=None) == ("2018-07-11", "day")
    assert _r("on 7 December 2018", pub=None) == ("2018-12-07", "day")
    assert _r("in Beijing in 2018.", pub=None) == ("2018", "year")
    assert _r("on Wednesday", pub=None) == (None, "unknown")


def test_range_borrows_the_year():
    ms = find_dates("From 13 May to May 15 2016, Buhari attended the summit.")
    assert resolve(ms[0], None) == ("2016-05-13", "day")


def test_to_date_accepts_strings_with_offsets():
    assert to_date("2024-05-31T21:45:00+05:30") == date(2024, 5, 31)
    assert to_date("2024-05-30") == date(2024, 5, 30)
    assert to_date(None) is None


@pytest.mark.parametrize("text,future,want", [
    ("met three days ago", False, ("2005-03-06", "day")),
    ("will meet in two days", True, ("2005-03-11", "day")),
    ("will meet in two days' time", True, ("2005-03-11", "day")),
    ("talks two weeks ago", False, ("2005-02", "month")),
    ("a summit in two months", True, ("2005-05", "month")),
    ("talks lasted two days", False, (None, "unknown")),  # a duration, not a date
    ("two days later they met", False, (None, "unknown")),  # relative to the story, not to publication
])
def test_counted_offsets_both_directions(text, future, want):
    from datetime import date

    from meetwire.extract.dates import find_dates, resolve

    ms = [m for m in find_dates(text) if m.kind == "rel_n"]
    assert ms, text
    assert resolve(ms[0], date(2005, 3, 9), future=future) == want


@pytest.mark.parametrize("value,precision,text,want", [
    ("2024-05-27", "day", "on Monday", ("2024-05-27", "2024-05-27")),
    ("2024-06", "month", "next week", ("2024-06-03", "2024-06-09")),
    ("2024-05", "month", "last week", ("2024-05-20", "2024-05-26")),
    ("2024-06", "month", "next weekend", ("2024-06-08", "2024-06-09")),
    ("2024-05", "month", "later this month", ("2024-05-29", "2024-05-31")),
    ("2024-05", "month", "earlier this month", ("2024-05-01", "2024-05-29")),
    ("2024-02", "month", "in February", ("2024-02-01", "2024-02-29")),
    ("2023", "year", "in 2023", ("2023-01-01", "2023-12-31")),
    (None, "unknown", None, (None, None)),
])
def test_date_window(value, precision, text, want):
    from meetwire.extract.dates import date_window

    assert date_window(value, precision, text, date(2024, 5, 29)) == want  # a Wednesday


@pytest.mark.parametrize("sentence,status,want", [
    # planned: the next one
    ("The two defence ministers will meet at the Shangri-La Dialogue.", "planned", ("2024-05-24", "2024-06-10")),
    ("The ministers will meet at the Munich Security Conference.", "planned", ("2025-02-10", "2025-02-25")),
    # occurred: the last one that had begun by the publication date
    ("They met on the sidelines of the Munich Security Conference.", "occurred", ("2024-02-10", "2024-02-25")),
    ("The two leaders talked on the margins of the UN General Assembly.", "occurred", ("2023-09-10", "2023-09-30")),
    ("They met in Geneva.", "occurred", None),
])
def test_named_gathering_gives_a_window(sentence, status, want):
    from meetwire.extract.dates import named_event_window

    assert named_event_window(sentence, date(2024, 5, 29), status) == want
    assert named_event_window(sentence, None, status) is None


def test_undated_meeting_at_a_named_gathering_carries_its_window(extract):
    evs = extract("China's defence minister will meet his US counterpart at the Shangri-La Dialogue in Singapore.",
                  "2024-05-29")
    ev = [e for e in evs if e["status"] == "planned"][0]
    assert ev["date"] is None and (ev["date_from"], ev["date_to"]) == ("2024-05-24", "2024-06-10"), ev


@pytest.mark.parametrize("s", [
    "Ruritania's president holds talks with the Lindorian prime minister in December.",
    "Ruritania's president met the Lindorian prime minister in December 2025.",
])
def test_a_month_after_publication_has_not_happened_yet(extract, s):
    evs = extract(s, "2024-10-15")
    assert evs and all(e["status"] == "planned" for e in evs if e.get("date") and e["date"] > "2024-10-15"), evs


def test_a_model_reading_dated_next_month_is_planned(extract_accepting):
    # no trigger rule reads this sentence; the fallback's event must not be "occurred" a month ahead either
    s = ("Oil fell after sources said Ruritania is unlikely to agree to cut its output further at a meeting with "
         "fellow exporters next month.")
    evs = extract_accepting(s, "2019-11-19")
    assert evs and all(e["status"] == "planned" for e in evs if (e.get("date") or "") > "2019-11"), evs
