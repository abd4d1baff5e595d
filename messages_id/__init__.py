"""Every user-facing Indonesian text, and the helpers that render it.

Texts are gettext messages with English msgids; the Indonesian catalog lives in
``locale/id/LC_MESSAGES/messages.po`` and is compiled to ``.mo`` by the set-up (``make``).
When the compiled file is missing or older than the ``.po`` it is compiled again on load,
so a running process never serves a stale catalog.

Dates and numbers go through Babel with the ``id`` locale.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel import Locale, dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE = Locale.parse("id")
DOMAIN = "messages"
PACKAGE_DIR = Path(__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "locale"
PO_PATH = LOCALE_DIR / "id" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO_PATH = PO_PATH.with_suffix(".mo")
CONTENT_DIR = PACKAGE_DIR / "content"

#: WhatsApp accepts up to 1,600 characters; we keep every message short enough for a cheap phone.
MAX_MESSAGE_CHARS = 1000


def _compile_if_stale() -> None:
    if MO_PATH.exists() and MO_PATH.stat().st_mtime >= PO_PATH.stat().st_mtime:
        return
    with PO_PATH.open("rb") as po_file:
        catalog = read_po(po_file, locale="id", domain=DOMAIN)
    tmp = MO_PATH.with_suffix(".mo.tmp")
    with tmp.open("wb") as mo_file:
        write_mo(mo_file, catalog, use_fuzzy=False)
    tmp.replace(MO_PATH)


@cache
def translations() -> Translations:
    _compile_if_stale()
    with MO_PATH.open("rb") as mo_file:
        return Translations(mo_file, domain=DOMAIN)


def _(message: str) -> str:
    """Translate ``message`` (an English msgid) into Indonesian."""
    return translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return str(translations().ngettext(singular, plural, n))


def pgettext(context: str, message: str) -> str:
    """Translate a message that needs a context (also used for data-driven keys)."""
    return str(translations().pgettext(context, message))


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it yet (for tables of texts)."""
    return message


def format_date(value: dt.date, fmt: str = "EEEE, d MMMM y") -> str:
    """``Selasa, 24 November 2026``: dates as an Indonesian reader expects them."""
    return dates.format_date(value, format=fmt, locale=LOCALE)


def format_short_date(value: dt.date) -> str:
    """``24 November 2026``."""
    return dates.format_date(value, format="d MMMM y", locale=LOCALE)


def format_time(value: dt.time | dt.datetime) -> str:
    """``07.30``: Indonesian time of day."""
    return dates.format_time(value, format="HH.mm", locale=LOCALE)


def format_number(value: float | int | Decimal, decimals: int | None = None) -> str:
    """``1.234,5``: numbers with Indonesian separators."""
    if decimals is not None:
        pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
        return numbers.format_decimal(value, format=pattern, locale=LOCALE)
    return numbers.format_decimal(value, locale=LOCALE)
