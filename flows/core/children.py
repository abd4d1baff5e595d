"""A mother's children in a chat, as every feature needs them: a child's age and sex in words, choosing
one of her children, and what to say about a yes/no answer or a date that could not be read.

The questions that register a child are the registration's (``flows.registration.child_questions``).
"""

from __future__ import annotations

import datetime as dt

from db.models import Child
from flows.core.choices import Option, match_option, simplify
from flows.core.dates import DateError
from flows.core.engine import Turn
from messages_id import _, format_date, ngettext


def age_text(born: dt.date, today: dt.date) -> str:
    """``1 tahun 8 bulan`` / ``3 bulan`` / ``12 hari``."""
    months = (today.year - born.year) * 12 + today.month - born.month - (today.day < born.day)
    if months < 1:
        days = (today - born).days
        return ngettext("{n} day", "{n} days", days).format(n=days)
    years, rest = divmod(months, 12)
    if years == 0:
        return ngettext("{n} month", "{n} months", months).format(n=months)
    year_text = ngettext("{n} year", "{n} years", years).format(n=years)
    if rest == 0:
        return year_text
    return year_text + " " + ngettext("{n} month", "{n} months", rest).format(n=rest)


def sex_label(sex: str) -> str:
    return _("boy") if sex == "L" else _("girl")


def choice_lines(turn: Turn, child_ids: list[int]) -> str:
    """``1. Budi (5 bulan)`` lines for choosing one of the mother's children."""
    children = [child for child in (turn.session.get(Child, i) for i in child_ids) if child is not None]
    return "\n".join(
        f"{number}. {child.name} ({age_text(child.date_of_birth, turn.today)})"
        for number, child in enumerate(children, 1)
    )


def chosen_child(turn: Turn, child_ids: list[int]) -> int | None:
    """The child picked by number or by name from ``child_ids``, or None when unclear."""
    options = []
    for child_id in child_ids:
        child = turn.session.get(Child, child_id)
        if child is not None:
            options.append(Option(str(child.id), (simplify(child.name),)))
    chosen = match_option(turn.text, options)
    return int(chosen) if chosen is not None else None


def remind_yes_no(turn: Turn) -> None:
    turn.say(_("Please answer 1 for yes or 2 for no."))


def explain_date_error(turn: Turn, error: DateError) -> None:
    if error.reason == DateError.NO_SUCH_DAY and error.month is not None and error.year is not None:
        month_name = format_date(dt.date(error.year, error.month, 1), "MMMM y")
        turn.say(
            _("{month} only has {days} days. Please check the date.").format(
                month=month_name, days=error.days_in_month
            )
        )
    elif error.reason == DateError.NO_SUCH_MONTH:
        turn.say(
            _("The month must be between 1 and 12. Please type the date as day-month-year, like 12-3-2024.")
        )
    elif error.reason == DateError.IN_FUTURE:
        turn.say(_("That date is in the future. Please check it."))
    else:
        turn.say(_("I could not read that date. Please type it like 12-3-2024 or 12 Maret 2024."))
