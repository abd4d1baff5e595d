"""N / T / 2T / O / B against the KBM table of the Buku KIA."""

from __future__ import annotations

import datetime as dt

import pytest

from flows.knowledge.growth_trend import Weighing, kbm_grams, month_index, month_trends

BORN = dt.date(2026, 1, 15)


def codes(*weighings: tuple[str, float]) -> list[str]:
    history = [Weighing(dt.date.fromisoformat(on), kg) for on, kg in weighings]
    trends = month_trends(BORN, history)
    return [trends[month].code for month in sorted(trends)]


@pytest.mark.parametrize(
    ("age", "kbm"),
    [(1, 800), (2, 900), (3, 800), (4, 600), (5, 500), (6, 400), (7, 300), (10, 300), (11, 200), (24, 200)],
)
def test_kbm_by_age_as_in_buku_kia(age: int, kbm: int) -> None:
    assert kbm_grams(age) == kbm


def test_a_gain_exactly_at_the_kbm_is_n_and_one_gram_less_is_t() -> None:
    # 15 March: 2 months old, KBM 900 g
    assert codes(("2026-02-15", 4.5), ("2026-03-15", 5.4)) == ["B", "N"]
    assert codes(("2026-02-15", 4.5), ("2026-03-15", 5.399)) == ["B", "T"]
    # 15 August: 7 months, KBM 300 g
    assert codes(("2026-07-15", 7.5), ("2026-08-15", 7.8)) == ["B", "N"]
    assert codes(("2026-07-15", 7.5), ("2026-08-15", 7.7)) == ["B", "T"]


def test_two_ts_in_a_row_are_2t_and_a_gap_month_is_o() -> None:
    assert codes(("2026-07-15", 7.5), ("2026-08-15", 7.6), ("2026-09-15", 7.7), ("2026-10-15", 7.7)) == [
        "B",
        "T",
        "2T",
        "2T",
    ]
    assert codes(("2026-07-15", 7.5), ("2026-09-15", 8.2), ("2026-10-15", 8.3)) == ["B", "O", "T"]
    assert codes(("2026-07-15", 7.5), ("2026-08-15", 7.4)) == ["B", "T"]  # a loss is T


def test_the_last_weighing_of_a_month_counts() -> None:
    history = [
        Weighing(dt.date(2026, 7, 15), 7.5),
        Weighing(dt.date(2026, 8, 2), 7.5),
        Weighing(dt.date(2026, 8, 28), 7.9),
    ]
    trend = month_trends(BORN, history)[month_index(dt.date(2026, 8, 1))]
    assert (trend.code, trend.gain_g, trend.kbm_g, trend.age_months) == ("N", 400, 300, 7)
