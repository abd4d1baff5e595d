"""Dates typed the Indonesian way, and clear reasons when they cannot be used."""

from __future__ import annotations

import datetime as dt

import pytest

from flows.core.dates import DateError, parse_date, parse_past_date

TODAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12-3-2024", dt.date(2024, 3, 12)),
        ("12/03/24", dt.date(2024, 3, 12)),
        ("12 Maret 2024", dt.date(2024, 3, 12)),
        ("12 mar 24", dt.date(2024, 3, 12)),
        ("12-Mar-24", dt.date(2024, 3, 12)),
        ("12.03.2024", dt.date(2024, 3, 12)),
        ("2024-03-12", dt.date(2024, 3, 12)),
        ("tgl 12 maret 2024", dt.date(2024, 3, 12)),
        ("Tanggal 5, Mei 2025", dt.date(2025, 5, 5)),
        ("1 Nopember 2025", dt.date(2025, 11, 1)),
        ("3 agt 25", dt.date(2025, 8, 3)),
        ("17 Agustus 2025", dt.date(2025, 8, 17)),
        ("5 sept 2025", dt.date(2025, 9, 5)),
        ("9 Pebruari 2025", dt.date(2025, 2, 9)),
        ("12 desmber 2025", dt.date(2025, 12, 12)),
        ("29-02-2024", dt.date(2024, 2, 29)),
        ("kemarin", dt.date(2026, 11, 24)),
        ("hari ini", TODAY),
    ],
)
def test_common_indonesian_forms(text: str, expected: dt.date) -> None:
    assert parse_past_date(text, TODAY).value == expected


def test_two_digit_and_missing_years_are_marked_for_confirmation() -> None:
    assert parse_date("12/03/24", TODAY).year_guessed
    assert not parse_date("12/03/2024", TODAY).year_guessed
    assert parse_date("12 maret", TODAY).year_missing


def test_missing_year_means_the_most_recent_past_date() -> None:
    assert parse_past_date("20 desember", TODAY).value == dt.date(2025, 12, 20)
    assert parse_past_date("12 maret", TODAY).value == dt.date(2026, 3, 12)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31-02-2024", DateError.NO_SUCH_DAY),
        ("29-02-2023", DateError.NO_SUCH_DAY),
        ("31 april 2025", DateError.NO_SUCH_DAY),
        ("12-13-2024", DateError.NO_SUCH_MONTH),
        ("1-1-2027", DateError.IN_FUTURE),
        ("besok", DateError.IN_FUTURE),
        ("kapan ya", DateError.UNREADABLE),
        ("12 foo 2024", DateError.UNREADABLE),
        ("", DateError.UNREADABLE),
    ],
)
def test_bad_dates_say_why(text: str, reason: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_past_date(text, TODAY)
    assert caught.value.reason == reason


def test_no_such_day_knows_the_length_of_the_month() -> None:
    with pytest.raises(DateError) as caught:
        parse_date("31-02-2024", TODAY)
    assert caught.value.days_in_month == 29
