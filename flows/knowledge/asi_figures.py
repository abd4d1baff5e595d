"""The numbers behind the ASI plan and the ASIP calculators, as plain functions (DOMAIN.md §4).

Sources (DOMAIN.md §4): an exclusively breastfed baby of 1–6 months drinks about 750 ml a day (range
570–900), fairly constant; per feed ≈ 750 ÷ number of feeds (8 feeds → about 90–100 ml); express about every
3 hours while away. Storage times are the Indonesian column of the table, taking the lower bound of a range
(fridge 4 days = CDC, inside 3–5 days). Two figures are project choices, not from a source: the ASIP stock
(two work days' milk) and starting to express two weeks before going back to work.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass

DAILY_ML = 750
FEEDS_PER_DAY = 8
HOURS_BETWEEN_FEEDS = 3
#: Project choice: enough milk for two work days, so one bad day of expressing leaves no gap.
STOCK_WORKDAYS = 2
#: Project choice: start expressing and storing two weeks before going back (one session a day is enough).
START_EXPRESSING_DAYS = 14
#: Without a freezer milk keeps 4 days in the fridge, so the stock is built in the last days only.
FRIDGE_ONLY_START_DAYS = 3
BAG_ML = 100
MAX_HOURS_AWAY = 16
#: Exclusive ASI to 6 months, MPASI from 6 months, ASI to 2 years.
EXCLUSIVE_MONTHS = 6
CONTINUE_MONTHS = 24


def round_down(value: float, step: int) -> int:
    return int(math.floor(value / step) * step)


def round_up(value: float, step: int) -> int:
    return int(math.ceil(value / step) * step)


@dataclass(frozen=True)
class Portions:
    """What the caregiver gives while the mother is away, and the stock to build."""

    hours_away: int
    feeds_away: int
    per_feed_low: int
    per_feed_high: int
    away_low: int
    away_high: int
    stock_ml: int
    stock_bags: int
    express_sessions: int


def portions(hours_away: int) -> Portions:
    """``hours_away`` (work + travel) → feeds, ml per feed and per day, sessions of expressing, stock.

    Per feed: 750 ÷ 8 = 93.75 ml, shown as 90–100 ml. Feeds while away: one every 3 hours, rounded up.
    Per day while away: feeds × 90 to feeds × 100 ml. Stock: two days of the upper figure, in 100 ml bags.
    Expressing at work: every ~3 hours (hours ÷ 3, rounded down; none under 3 hours).
    """
    per_feed = DAILY_ML / FEEDS_PER_DAY
    low, high = round_down(per_feed, 10), round_up(per_feed, 10)
    feeds = math.ceil(hours_away / HOURS_BETWEEN_FEEDS)
    stock = STOCK_WORKDAYS * feeds * high
    return Portions(
        hours_away=hours_away,
        feeds_away=feeds,
        per_feed_low=low,
        per_feed_high=high,
        away_low=feeds * low,
        away_high=feeds * high,
        stock_ml=stock,
        stock_bags=math.ceil(stock / BAG_ML),
        express_sessions=hours_away // HOURS_BETWEEN_FEEDS,
    )


# -- storage --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shelf:
    """How long expressed milk keeps in one place."""

    hours: int = 0
    days: int = 0
    months: int = 0

    def until(self, expressed: dt.datetime) -> dt.datetime:
        return add_months(expressed, self.months) + dt.timedelta(days=self.days, hours=self.hours)


#: Where milk is kept → how long it keeps (DOMAIN.md §4; lower bound of each Indonesian range).
SHELF_LIFE: dict[str, Shelf] = {
    "room": Shelf(hours=4),  # room ≤ 25 °C
    "cooler_bag": Shelf(hours=24),  # with ice packs, then fridge or freezer
    "fridge": Shelf(days=4),  # at the back, not in the door
    "freezer_1door": Shelf(days=14),  # freezer compartment inside a 1-door fridge
    "freezer_2door": Shelf(months=3),  # 3–6 months
    "deep_freezer": Shelf(months=6),  # 6–12 months
    "thawed_fridge": Shelf(hours=24),  # never refreeze
    "thawed_room": Shelf(hours=1),  # 1–2 hours
}
HOME_STORAGE = ("none", "fridge", "freezer_1door", "freezer_2door", "deep_freezer")


def has_freezer(home_storage: str) -> bool:
    return home_storage in ("freezer_1door", "freezer_2door", "deep_freezer")


def start_expressing(return_date: dt.date, home_storage: str) -> dt.date:
    """When to start building the stock: 2 weeks before with a freezer, 3 days before without."""
    days = START_EXPRESSING_DAYS if has_freezer(home_storage) else FRIDGE_ONLY_START_DAYS
    return return_date - dt.timedelta(days=days)


# -- dates ---------------------------------------------------------------------------------------


def add_months(value: dt.datetime, months: int) -> dt.datetime:
    """Same day ``months`` later (the last day of a shorter month)."""
    month_index = value.month - 1 + months
    year, month = value.year + month_index // 12, month_index % 12 + 1
    day = min(value.day, calendar.monthrange(year, month)[1])
    return value.replace(year=year, month=month, day=day)


def add_months_to_date(value: dt.date, months: int) -> dt.date:
    return add_months(dt.datetime.combine(value, dt.time()), months).date()


def age_in_months(born: dt.date, on: dt.date) -> int:
    """Completed months of age on ``on``."""
    return (on.year - born.year) * 12 + on.month - born.month - (on.day < born.day)


def checkin_dates(return_date: dt.date, born: dt.date, after: dt.date) -> list[tuple[str, dt.date]]:
    """The check-ins of a plan, each with its local date, only those after ``after``.

    Two weeks and 3 days before going back, days 1 and 3 back, weekly for the first month, then on the
    baby's month-days until 6 months (starting a week after the last weekly one).
    """
    day = dt.timedelta(days=1)
    dates = [
        ("before_14", return_date - 14 * day),
        ("before_3", return_date - 3 * day),
        ("day_1", return_date + day),
        ("day_3", return_date + 3 * day),
        ("week_1", return_date + 7 * day),
        ("week_2", return_date + 14 * day),
        ("week_3", return_date + 21 * day),
        ("week_4", return_date + 28 * day),
    ]
    for months in range(1, EXCLUSIVE_MONTHS + 1):
        month_day = add_months_to_date(born, months)
        if month_day >= return_date + 35 * day:
            dates.append((f"month_{months}", month_day))
    return [(kind, when) for kind, when in dates if when > after]
