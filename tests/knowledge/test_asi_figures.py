"""The ASI figures against DOMAIN.md §4, computed by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from flows.knowledge import asi_figures as figures


@pytest.mark.parametrize(
    ("hours", "feeds", "away_low", "away_high", "stock", "bags", "sessions"),
    [
        # 750 ml / 8 feeds = 93.75 ml → 90-100 ml a feed; one feed every 3 h away (rounded up)
        (8, 3, 270, 300, 600, 6, 2),  # DOMAIN: an 8-h separation needs ~300-360 ml (AMEDA)
        (9, 3, 270, 300, 600, 6, 3),
        (10, 4, 360, 400, 800, 8, 3),
        (12, 4, 360, 400, 800, 8, 4),
        (4, 2, 180, 200, 400, 4, 1),
        (2, 1, 90, 100, 200, 2, 0),
    ],
)
def test_portions(hours, feeds, away_low, away_high, stock, bags, sessions) -> None:
    portions = figures.portions(hours)
    assert (portions.per_feed_low, portions.per_feed_high) == (90, 100)
    assert portions.feeds_away == feeds
    assert (portions.away_low, portions.away_high) == (away_low, away_high)
    assert (portions.stock_ml, portions.stock_bags) == (stock, bags)
    assert portions.express_sessions == sessions


@pytest.mark.parametrize(
    ("place", "expressed", "until"),
    [
        ("room", dt.datetime(2026, 11, 24, 7, 30), dt.datetime(2026, 11, 24, 11, 30)),  # 4 h
        ("cooler_bag", dt.datetime(2026, 11, 23, 21, 0), dt.datetime(2026, 11, 24, 21, 0)),  # 24 h
        ("fridge", dt.datetime(2026, 11, 24, 7, 30), dt.datetime(2026, 11, 28, 7, 30)),  # 4 days
        ("freezer_1door", dt.datetime(2026, 11, 24, 7, 30), dt.datetime(2026, 12, 8, 7, 30)),  # 2 weeks
        ("freezer_2door", dt.datetime(2026, 11, 30, 7, 30), dt.datetime(2027, 2, 28, 7, 30)),  # 3 months
        ("deep_freezer", dt.datetime(2026, 11, 24, 7, 30), dt.datetime(2027, 5, 24, 7, 30)),  # 6 months
        ("thawed_fridge", dt.datetime(2026, 11, 24, 7, 30), dt.datetime(2026, 11, 25, 7, 30)),  # 24 h
    ],
)
def test_shelf_life(place: str, expressed: dt.datetime, until: dt.datetime) -> None:
    assert figures.SHELF_LIFE[place].until(expressed) == until


def test_start_expressing_two_weeks_before_with_a_freezer_three_days_without() -> None:
    back = dt.date(2027, 1, 4)
    assert figures.start_expressing(back, "freezer_2door") == dt.date(2026, 12, 21)
    assert figures.start_expressing(back, "fridge") == dt.date(2027, 1, 1)


def test_checkin_dates_follow_the_return_date_then_the_baby_months() -> None:
    dates = figures.checkin_dates(dt.date(2027, 1, 4), dt.date(2026, 9, 1), after=dt.date(2026, 11, 24))
    assert dates == [
        ("before_14", dt.date(2026, 12, 21)),
        ("before_3", dt.date(2027, 1, 1)),
        ("day_1", dt.date(2027, 1, 5)),
        ("day_3", dt.date(2027, 1, 7)),
        ("week_1", dt.date(2027, 1, 11)),
        ("week_2", dt.date(2027, 1, 18)),
        ("week_3", dt.date(2027, 1, 25)),
        ("week_4", dt.date(2027, 2, 1)),
        ("month_6", dt.date(2027, 3, 1)),
    ]
    early = figures.checkin_dates(dt.date(2026, 12, 7), dt.date(2026, 10, 5), after=dt.date(2026, 11, 24))
    assert [kind for kind, _day in early] == [
        "before_3",
        "day_1",
        "day_3",
        "week_1",
        "week_2",
        "week_3",
        "week_4",
        "month_4",
        "month_5",
        "month_6",
    ]  # fmt: skip  (month 3 = 5 Jan 2027 falls inside the weekly month after 7 Dec)
    assert early[-1] == ("month_6", dt.date(2027, 4, 5))


def test_age_in_months() -> None:
    assert figures.age_in_months(dt.date(2026, 9, 1), dt.date(2027, 1, 4)) == 4
    assert figures.age_in_months(dt.date(2026, 9, 30), dt.date(2026, 12, 29)) == 2
