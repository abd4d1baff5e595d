"""Reading measurements typed in a chat: ``7,5 kg``, ``7500 gram``, ``68,5``, ``berbaring``, and the
kader's ``TIMBANG <child or phone> <kg> <cm> [berbaring|berdiri]`` command."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flows.core.choices import simplify
from flows.knowledge.growth import Position

_NUMBER = r"(\d+(?:[.,]\d+)*)"
_WEIGHT_UNITS = {"kg": 1.0, "kilo": 1.0, "kilogram": 1.0, "kgs": 1.0, "g": 0.001, "gr": 0.001, "gram": 0.001}
_LENGTH_UNITS = {"cm": 1.0, "centi": 1.0, "senti": 1.0, "centimeter": 1.0, "sentimeter": 1.0, "m": 100.0}
_LENGTH_UNITS |= {"meter": 100.0, "mm": 0.1}
_UNIT = "|".join(sorted({*_WEIGHT_UNITS, *_LENGTH_UNITS}, key=len, reverse=True))
_MEASURE = re.compile(rf"{_NUMBER}\s*({_UNIT})?(?![a-z])", re.IGNORECASE)
#: A number without a unit this large is a weight in grams (``7500``), not kilograms.
GRAMS_FROM = 100.0

LYING_WORDS = ("berbaring", "baring", "dibaringkan", "tidur", "terlentang", "telentang", "lying", "1")
STANDING_WORDS = ("berdiri", "diri", "standing", "tegak", "2")
SKIP_WORDS = ("lewati", "lewat", "skip", "tidak tahu", "tidak diukur", "belum diukur", "tidak ada", "-")


def _to_float(raw: str, *, grams: bool = False) -> float | None:
    """``7,5`` / ``7.5`` → 7.5; ``7.500`` as grams → 7500; ``1.234,5`` → 1234.5."""
    if grams and re.fullmatch(r"\d{1,3}(\.\d{3})+", raw):
        raw = raw.replace(".", "")
    # "1.234,5": dots group thousands when a comma marks the decimals
    raw = raw.replace(".", "").replace(",", ".") if "," in raw and "." in raw else raw.replace(",", ".")
    if raw.count(".") > 1:
        return None
    try:
        return float(raw)
    except ValueError:
        return None


@dataclass(frozen=True)
class _Number:
    value: float
    unit: str | None


def _numbers(text: str) -> list[_Number]:
    found = []
    for match in _MEASURE.finditer(text):
        unit = match[2].lower() if match[2] else None
        value = _to_float(match[1], grams=unit is not None and _WEIGHT_UNITS.get(unit) == 0.001)
        if value is not None:
            found.append(_Number(value, unit))
    return found


def is_skip(text: str) -> bool:
    return simplify(text) in SKIP_WORDS or text.strip() == "-"


def weight_kg(value: float, unit: str | None) -> float:
    if unit in _WEIGHT_UNITS:
        return value * _WEIGHT_UNITS[unit]
    return value / 1000 if value >= GRAMS_FROM else value


def parse_weight(text: str) -> float | None:
    """The weight in kg in an answer (``7,5``, ``7,5 kg``, ``7500 gram``), or None."""
    numbers = [n for n in _numbers(text) if n.unit is None or n.unit in _WEIGHT_UNITS]
    if len(numbers) != 1:
        return None
    return round(weight_kg(numbers[0].value, numbers[0].unit), 3)


def parse_length(text: str) -> float | None:
    """The length/height in cm in an answer (``68,5``, ``68,5 cm``, ``0,685 m``), or None."""
    numbers = [n for n in _numbers(text) if n.unit is None or n.unit in _LENGTH_UNITS]
    if len(numbers) != 1:
        return None
    number = numbers[0]
    return round(number.value * (_LENGTH_UNITS[number.unit] if number.unit else 1.0), 2)


def parse_both(text: str) -> tuple[float, float] | None:
    """Weight and length typed in one answer with their units (``7,5 kg 68 cm``), or None."""
    numbers = _numbers(text)
    weights = [n for n in numbers if n.unit in _WEIGHT_UNITS]
    lengths = [n for n in numbers if n.unit in _LENGTH_UNITS]
    if len(weights) != 1 or len(lengths) != 1 or len(numbers) != 2:
        return None
    weight, length = weights[0], lengths[0]
    assert length.unit is not None
    return round(weight_kg(weight.value, weight.unit), 3), round(length.value * _LENGTH_UNITS[length.unit], 2)


def parse_position(text: str) -> Position | None:
    words = simplify(text).split()
    if not words:
        return None
    if any(word in LYING_WORDS for word in words):
        return Position.RECUMBENT
    if any(word in STANDING_WORDS for word in words):
        return Position.STANDING
    return None


@dataclass(frozen=True)
class WeighCommand:
    """``TIMBANG Ani 7,5 68,5 berbaring``: who (a child's name or a mother's phone, or both) and the sizes."""

    who: str
    weight_kg: float
    length_cm: float | None
    position: Position | None


_WEIGH = re.compile(
    rf"^\s*timbang\b\s*(?P<who>.*?)\s+(?P<w>{_NUMBER})\s*(?P<wu>kg|kilo|g|gr|gram)?"
    rf"(?:\s+(?P<l>{_NUMBER})\s*(?P<lu>cm|m)?)?(?:\s+(?P<pos>[a-z]+))?\s*$",
    re.IGNORECASE,
)


def is_weigh_command(text: str) -> bool:
    return bool(re.match(r"^\s*timbang\b", text, re.IGNORECASE))


def parse_weigh_command(text: str) -> WeighCommand | None:
    """The parts of a ``TIMBANG`` command, or None when it is not written in full."""
    match = _WEIGH.match(text)
    if match is None or not match["who"].strip():
        return None
    grams = (match["wu"] or "").lower() in ("g", "gr", "gram")
    weight = _to_float(match["w"], grams=grams)
    length = _to_float(match["l"]) if match["l"] else None
    if weight is None or (match["l"] and length is None):
        return None
    position = None
    if match["pos"]:
        position = parse_position(match["pos"])
        if position is None:
            return None
    if length is not None and (match["lu"] or "").lower() == "m":
        length *= 100
    return WeighCommand(
        who=match["who"].strip(),
        weight_kg=round(weight_kg(weight, (match["wu"] or "").lower() or None), 3),
        length_cm=round(length, 2) if length is not None else None,
        position=position,
    )
