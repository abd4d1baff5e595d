"""The Indonesian catalog: every text the code uses is there, translated, short and well-formed."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import messages_id

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
SOURCE_PACKAGES = ("bot", "flows", "scheduler", "messages_id")


def catalog():
    with messages_id.PO_PATH.open("rb") as po_file:
        return read_po(po_file, locale="id")


def used_messages() -> list[tuple[str, object, str | None]]:
    found = []
    for package in SOURCE_PACKAGES:
        directory = ROOT / package
        if not directory.exists():
            continue
        for filename, _lineno, message, _comments, context in extract_from_dir(
            str(directory), method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.append((f"{package}/{filename}", message, context))
    return found


def test_header_declares_indonesian_with_one_plural_form() -> None:
    cat = catalog()
    assert str(cat.locale) == "id"
    assert cat.plural_forms == "nplurals=1; plural=0;"


def test_every_used_message_is_in_the_catalog_and_translated() -> None:
    cat = catalog()
    missing = []
    for where, message, context in used_messages():
        key = message[0] if isinstance(message, tuple) else message
        entry = cat.get(message if isinstance(message, str) else key, context)
        if (
            entry is None
            or entry.fuzzy
            or not entry.string
            or not all(entry.string if isinstance(entry.string, tuple) else [entry.string])
        ):
            missing.append(f"{where}: {key!r}")
    assert not missing, "missing or untranslated:\n" + "\n".join(missing)


def test_no_dead_entries_in_the_catalog() -> None:
    """Texts no code uses any more are removed (entries with a context are looked up by key)."""
    used = {
        message[0] if isinstance(message, tuple) else message for _where, message, _ctx in used_messages()
    }
    dead = [
        entry.id
        for entry in catalog()
        if entry.id
        and entry.context is None
        and (entry.id[0] if isinstance(entry.id, tuple) else entry.id) not in used
    ]
    assert dead == []


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_translations_keep_placeholders_and_stay_short() -> None:
    problems = []
    for entry in catalog():
        if not entry.id:
            continue
        source = entry.id[0] if isinstance(entry.id, tuple) else entry.id
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for text in strings:
            if len(text) > messages_id.MAX_MESSAGE_CHARS:
                problems.append(f"too long ({len(text)}): {source[:60]!r}")
            if entry.context is None and _fields(text) != _fields(source):
                problems.append(f"placeholders differ: {source[:60]!r}")
    assert not problems, "\n".join(problems)


def test_catalog_compiles_without_errors() -> None:
    """What ``pybabel compile`` checks (placeholders, format flags) must pass, or the set-up fails."""
    errors = [(message.id, [str(e) for e in errs]) for message, errs in catalog().check()]
    assert errors == []


def test_no_duplicate_entries_in_the_po_file() -> None:
    text = messages_id.PO_PATH.read_text(encoding="utf-8")
    keys = re.findall(r'(?:msgctxt "((?:[^"\\]|\\.)*)"\n)?msgid "((?:[^"\\]|\\.)*)"', text)
    seen, duplicates = set(), []
    for key in keys:
        if key[1] and key in seen:
            duplicates.append(key)
        seen.add(key)
    assert not duplicates


def test_compiled_catalog_serves_the_po_text() -> None:
    messages_id.translations.cache_clear()
    assert messages_id._("Saved.") == "Sudah disimpan."
    assert messages_id.ngettext("{n} month", "{n} months", 5).format(n=5) == "5 bulan"


@pytest.mark.parametrize(
    ("value", "expected"),
    [((2026, 11, 24), "Selasa, 24 November 2026"), ((2024, 2, 29), "Kamis, 29 Februari 2024")],
)
def test_dates_are_written_in_indonesian(value, expected) -> None:
    import datetime as dt

    assert messages_id.format_date(dt.date(*value)) == expected


def test_numbers_use_indonesian_separators() -> None:
    assert messages_id.format_number(1234.5, decimals=1) == "1.234,5"
