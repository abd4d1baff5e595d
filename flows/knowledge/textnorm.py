"""Normalise Indonesian chat text the way mothers type it, for keyword matching and retrieval.

``normalize`` lower-cases, drops emoji and punctuation (keeping decimals ``38.5`` and ratios
``160/110``), squeezes stretched letters (``panaaas`` → ``panas`` but ``maaaf`` → ``maaf``), splits
reduplication (``kejang2`` → ``kejang kejang``), expands slang and abbreviations from the data table
``messages_id/content/textnorm.yaml`` (``gk`` → ``tidak``, ``anakku`` → ``anak saya``) and turns number
words into digits (``tiga puluh delapan koma lima`` → ``38.5``). It is idempotent:
``normalize(normalize(t)) == normalize(t)``.

The public API (``normalize``, ``tokens``) is shared with FAQ retrieval and triage; keep it additive.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import yaml

from messages_id import CONTENT_DIR

DATA_FILE = CONTENT_DIR / "textnorm.yaml"
#: regional-language words (Javanese, Sundanese, Betawi, Madurese, Banjar, Bugis, Minang, NTT ...)
REGIONAL_FILE = CONTENT_DIR / "regional_words.yaml"
NUMBER = "#num"
ANYWHERE = "#any"

_NUMBER_TOKEN = re.compile(r"^\d+(?:\.\d+)?$")
_STRETCHED = re.compile(r"([a-z])\1{2,}")
_LETTERS_DIGITS = re.compile(r"^([a-z]+)(\d+(?:\.\d+)?)$")
_DIGITS_LETTERS = re.compile(r"^(\d+(?:\.\d+)?)([a-z]+)$")
_REDUPLICATED = re.compile(r"^([a-z]{3,})2$")


@dataclass(frozen=True)
class ContextWord:
    replacement: str
    near: frozenset[str]
    follows: frozenset[str]


@dataclass(frozen=True)
class Table:
    words: dict[str, str]
    context: dict[str, ContextWord]
    units: frozenset[str]
    number_takers: frozenset[str]
    keep_double: frozenset[str]
    codes: frozenset[str]
    unit_values: dict[str, int]
    single_values: dict[str, int]
    teen: str
    tens: str
    hundreds: str
    thousands: str
    decimal: str
    half: str


@cache
def table() -> Table:
    """The language data, read once."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    with REGIONAL_FILE.open(encoding="utf-8") as handle:
        regional: dict[str, Any] = yaml.safe_load(handle)
    words: dict[str, str] = {}
    for source in (regional["words"], data["words"]):  # the general table wins over a regional form
        for standard, variants in source.items():
            for variant in variants or ():
                words[str(variant)] = str(standard)
    context = {}
    for standard, rule in data["context_words"].items():
        for variant in rule["variants"]:
            context[str(variant)] = ContextWord(
                replacement=str(standard),
                near=frozenset(rule.get("neighbours", ())),
                follows=frozenset(rule.get("follows", ())),
            )
    numbers = data["numbers"]
    return Table(
        words=words,
        context=context,
        units=frozenset(data["units"]),
        number_takers=frozenset(data["number_takers"]),
        keep_double=frozenset(data["keep_double"]),
        codes=frozenset(data["codes"]),
        unit_values={str(k): int(v) for k, v in numbers["units"].items()},
        single_values={str(k): int(v) for k, v in numbers["single"].items()},
        teen=numbers["teen"],
        tens=numbers["tens"],
        hundreds=numbers["hundreds"],
        thousands=numbers["thousands"],
        decimal=numbers["decimal"],
        half=numbers["half"],
    )


def is_number(token: str) -> bool:
    """``38``, ``38.5``: a token that is a number after normalisation."""
    return bool(_NUMBER_TOKEN.match(token))


# --- characters ----------------------------------------------------------------------------------


def _clean_characters(text: str) -> str:
    """Lower-case ASCII letters, digits, decimals and ratios; everything else becomes a space."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"(?<=[a-z])['`’‘](?=[a-z])", "", text)  # jum'at -> jumat
    text = re.sub(r"(?<=\d),(?=\d)", ".", text)  # 38,5 -> 38.5
    text = re.sub(r"\b\d{1,3}(?:\.\d{3})+\b(?![.]\d)", lambda m: m.group().replace(".", ""), text)
    text = re.sub(r"[^a-z0-9./\s]", " ", text)
    text = re.sub(r"(?<!\d)[./]|[./](?!\d)", " ", text)
    return text


# --- one token -----------------------------------------------------------------------------------


def _squeeze(token: str, keep_double: frozenset[str]) -> str:
    """Stretched letters once (``panaaas`` → ``panas``), twice where a word has them doubled."""
    runs = list(_STRETCHED.finditer(token))
    if not runs:
        return token
    for lengths in itertools.product((2, 1), repeat=len(runs)):
        candidate = _rebuild(token, runs, lengths)
        if candidate in keep_double:
            return candidate
    default = [
        2 if run.group(1) == "g" and token[run.start() - 1 : run.start()] == "n" else 1 for run in runs
    ]
    return _rebuild(token, runs, default)


def _rebuild(token: str, runs: list[re.Match[str]], lengths: tuple[int, ...] | list[int]) -> str:
    parts, position = [], 0
    for run, length in zip(runs, lengths, strict=True):
        parts.append(token[position : run.start()] + run.group(1) * length)
        position = run.end()
    parts.append(token[position:])
    return "".join(parts)


def _split_token(token: str, tab: Table) -> list[str]:
    """Squeeze, split reduplication and glued numbers, expand slang: one typed token → words."""
    token = _squeeze(token, tab.keep_double)
    match = _REDUPLICATED.match(token)
    if match and match.group(1) not in tab.number_takers and match.group(1) not in tab.codes:
        word = tab.words.get(match.group(1), match.group(1))
        return [word, word]
    match = _DIGITS_LETTERS.match(token)
    if match and match.group(2) in tab.units:
        return [match.group(1), tab.words.get(match.group(2), match.group(2))]
    match = _LETTERS_DIGITS.match(token)
    if match and (len(match.group(1)) >= 4 or match.group(1) in tab.number_takers):
        return [tab.words.get(match.group(1), match.group(1)), match.group(2)]
    return [tab.words.get(token, token)]


def _apply_context(words: list[str], tab: Table) -> list[str]:
    out = list(words)
    for index, word in enumerate(words):
        rule = tab.context.get(word)
        if rule is None:
            continue
        before = words[index - 1] if index > 0 else ""
        after = words[index + 1] if index + 1 < len(words) else ""

        def fits(neighbour: str, accepted: frozenset[str]) -> bool:
            return bool(neighbour) and (
                neighbour in accepted or (NUMBER in accepted and is_number(neighbour))
            )

        if (
            ANYWHERE in rule.near
            or fits(before, rule.near)
            or fits(after, rule.near)
            or fits(before, rule.follows)
        ):
            out[index] = rule.replacement
    return out


# --- number words --------------------------------------------------------------------------------


def _format_number(value: float) -> str:
    if value == int(value):
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _read_number(words: list[str], start: int, tab: Table) -> tuple[float, int] | None:
    """The number spelled from ``words[start]`` and the index after it, or None."""
    total, group, pending = 0, 0, None
    index = start
    seen = False
    while index < len(words):
        word = words[index]
        if word in tab.unit_values:
            if pending is not None:
                break
            pending = tab.unit_values[word]
        elif word in tab.single_values:
            if pending is not None:
                break
            word_value = tab.single_values[word]
            if word_value == 1000:
                total += 1000
            else:
                group += word_value
        elif word == tab.teen and pending is not None:
            group, pending = group + pending + 10, None
        elif word == tab.tens and pending is not None:
            group, pending = group + pending * 10, None
        elif word == tab.hundreds and pending is not None:
            group, pending = group + pending * 100, None
        elif word == tab.thousands and (pending is not None or group):
            total, group, pending = total + (group + (pending or 0)) * 1000, 0, None
        else:
            break
        seen = True
        index += 1
    if not seen:
        return None
    value: float = total + group + (pending or 0)
    if index < len(words) and words[index] == tab.half:
        return value + 0.5, index + 1
    if index + 1 < len(words) and words[index] == tab.decimal:
        digits = ""
        cursor = index + 1
        while cursor < len(words) and words[cursor] in tab.unit_values:
            digits += str(tab.unit_values[words[cursor]])
            cursor += 1
        if not digits and cursor < len(words) and words[cursor].isdigit():
            digits, cursor = words[cursor], cursor + 1
        if digits:
            return float(f"{int(value)}.{digits}"), cursor
    return value, index


def _numbers_to_digits(words: list[str], tab: Table) -> list[str]:
    out: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if is_number(word) and "." not in word and index + 2 < len(words) and words[index + 1] == tab.decimal:
            following = words[index + 2]
            if following.isdigit() or following in tab.unit_values:
                digits = following if following.isdigit() else str(tab.unit_values[following])
                out.append(f"{word}.{digits}")
                index += 3
                continue
        if word == tab.half and index > 0 and is_number(out[-1] if out else ""):
            out[-1] = _format_number(float(out[-1]) + 0.5)
            index += 1
            continue
        parsed = _read_number(words, index, tab) if word != tab.half else None
        if parsed is None:
            out.append(word)
            index += 1
            continue
        value, index = parsed
        out.append(_format_number(value))
    return out


# --- public API ----------------------------------------------------------------------------------


@lru_cache(maxsize=50_000)
def normalize(text: str) -> str:
    """Lower-case, clean, standard Indonesian words separated by single spaces (idempotent)."""
    tab = table()
    words: list[str] = []
    for token in _clean_characters(text).split():
        for part in _split_token(token, tab):
            words.extend(part.split())
    words = _apply_context(words, tab)
    words = _numbers_to_digits(words, tab)
    return " ".join(words)


def tokens(text: str) -> list[str]:
    """The words of ``text`` after normalisation."""
    return normalize(text).split()
