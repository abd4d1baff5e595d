"""Reading the numbers mothers and kader type: weights, lengths, positions, the TIMBANG command."""

from __future__ import annotations

import pytest

from flows.growth.parse import parse_both, parse_length, parse_position, parse_weigh_command, parse_weight
from flows.knowledge.growth import Position


@pytest.mark.parametrize(
    ("text", "kg"),
    [
        ("7,5", 7.5),
        ("7,5 kg", 7.5),
        ("7.5", 7.5),
        ("7,5kg", 7.5),
        ("berat 8 kg", 8.0),
        ("7500 gram", 7.5),
        ("7.500 g", 7.5),
        ("7500", 7.5),
    ],
)
def test_weights_with_commas_and_units(text: str, kg: float) -> None:
    assert parse_weight(text) == kg


@pytest.mark.parametrize(
    ("text", "cm"), [("68,5", 68.5), ("68,5 cm", 68.5), ("0,685 m", 68.5), ("70 senti", 70.0)]
)
def test_lengths_with_commas_and_units(text: str, cm: float) -> None:
    assert parse_length(text) == cm


def test_unreadable_or_double_numbers_are_not_guessed() -> None:
    assert parse_weight("tujuh") is None
    assert parse_weight("7 atau 8") is None
    assert parse_both("7,5 kg 68 cm") == (7.5, 68.0)
    assert parse_both("7,5 68") is None


def test_positions() -> None:
    assert parse_position("berbaring") is Position.RECUMBENT
    assert parse_position("1") is Position.RECUMBENT
    assert parse_position("sambil berdiri") is Position.STANDING
    assert parse_position("duduk") is None


def test_the_timbang_command() -> None:
    command = parse_weigh_command("TIMBANG Siti Aminah 7,5 68,5 berbaring")
    assert command is not None
    assert (command.who, command.weight_kg, command.length_cm, command.position) == (
        "Siti Aminah",
        7.5,
        68.5,
        Position.RECUMBENT,
    )
    command = parse_weigh_command("timbang 081234567890 Budi 9,2 kg 72 cm berdiri")
    assert command is not None and (command.who, command.position) == ("081234567890 Budi", Position.STANDING)
    weight_only = parse_weigh_command("TIMBANG Ani 7,5")
    assert weight_only is not None and weight_only.length_cm is None
    assert parse_weigh_command("TIMBANG Ani") is None
    assert parse_weigh_command("TIMBANG Ani 7,5 68 duduk") is None
