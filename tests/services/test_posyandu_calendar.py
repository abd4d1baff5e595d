"""Posyandu meeting days: the rules a kader may type, cancelled and moved days, the next meeting day."""

from __future__ import annotations

import datetime as dt

import pytest

from flows.services.posyandu_calendar import MeetingRule, PosyanduDays, RuleError, parse_rule

KADER, IBU = "+6281299990100", "+6281299990101"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("selasa minggu ke-2", MeetingRule(weekday=1, week=2)),
        ("Selasa kedua", MeetingRule(weekday=1, week=2)),
        ("2nd tuesday", MeetingRule(weekday=1, week=2)),
        ("setiap rabu minggu pertama", MeetingRule(weekday=2, week=1)),
        ("kamis terakhir", MeetingRule(weekday=3, week=-1)),
        ("hari minggu ke 3", MeetingRule(weekday=6, week=3)),
        ("tanggal 15", MeetingRule(monthday=15)),
        ("tgl 31", MeetingRule(monthday=31)),
        ("day 5", MeetingRule(monthday=5)),
    ],
)
def test_rules_typed_in_indonesian_or_english(text: str, rule: MeetingRule) -> None:
    assert parse_rule(text) == rule


@pytest.mark.parametrize("text", ["sabtu", "minggu kedua", "tanggal", "besok", "tanggal 32"])
def test_unclear_rules_are_refused(text: str) -> None:
    with pytest.raises(RuleError):
        parse_rule(text)


def test_a_fixed_day_falls_back_to_the_last_day_of_short_months() -> None:
    days = PosyanduDays(MeetingRule(monthday=31))
    assert days.between(dt.date(2026, 1, 1), dt.date(2026, 4, 30)) == [
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 30),
    ]


def test_cancelled_and_moved_days() -> None:
    days = PosyanduDays(
        MeetingRule(weekday=1, week=2),
        {dt.date(2026, 3, 10): dt.date(2026, 3, 12), dt.date(2026, 4, 14): None},
    )
    assert days.between(dt.date(2026, 3, 1), dt.date(2026, 5, 31)) == [
        dt.date(2026, 3, 12),
        dt.date(2026, 5, 12),
    ]
    assert days.next_meeting(dt.date(2026, 3, 13)) == dt.date(2026, 5, 12)
    assert days.next_meeting(dt.date(2026, 3, 13), until=dt.date(2026, 5, 1)) is None
