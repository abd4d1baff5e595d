"""The questions about one child (name, sex, date of birth), shared by registration and DATA SAYA.

The answers collect in ``turn.data["child"]``; ``on_done`` decides what happens with the child.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flows.core.children import explain_date_error, remind_yes_no
from flows.core.choices import Option, clean_name, is_no, is_yes, match_option
from flows.core.dates import DateError, parse_past_date
from flows.core.engine import REPEAT, Next, Step, Turn
from messages_id import _, format_short_date

MAX_CHILDREN = 10
MAX_AGE_DAYS = 5 * 365 + 1  # the bot follows children under five

SEXES = (
    Option("L", ("laki laki", "laki", "l", "cowok", "cowo", "putra", "lelaki", "pria", "anak laki")),
    Option("P", ("perempuan", "p", "cewek", "cewe", "putri", "wanita", "prempuan", "anak perempuan")),
)


def ask_child_name(turn: Turn) -> None:
    turn.say(_("What is your child's name?"))


def answer_child_name(turn: Turn) -> Next:
    name = clean_name(turn.text)
    if name is None:
        turn.say(_("Please type the child's name with letters, for example: Budi. A nickname is fine."))
        return REPEAT
    turn.data["child"] = {"name": name}
    return "child_sex"


def ask_child_sex(turn: Turn) -> None:
    name = turn.data.get("child", {}).get("name", "")
    turn.say(_("Is {name} a boy or a girl?\n1. Boy\n2. Girl").format(name=name))


def answer_child_sex(turn: Turn) -> Next:
    sex = match_option(turn.text, SEXES)
    if sex is None:
        turn.say(_("Please type 1 for a boy or 2 for a girl."))
        return REPEAT
    turn.data["child"]["sex"] = sex
    return "child_dob"


def ask_child_dob(turn: Turn) -> None:
    name = turn.data.get("child", {}).get("name", "")
    turn.say(_("When was {name} born? For example: 12-3-2024 or 12 Maret 2024.").format(name=name))


def answer_child_dob(turn: Turn) -> Next:
    oldest = turn.today - dt.timedelta(days=MAX_AGE_DAYS)
    try:
        parsed = parse_past_date(turn.text, turn.today, oldest=None)
    except DateError as error:
        explain_date_error(turn, error)
        return REPEAT
    if parsed.value < oldest:
        turn.say(
            _("That is more than 5 years ago. I can only follow children under 5. Please check the date.")
        )
        return REPEAT
    turn.data["child"]["dob"] = parsed.value.isoformat()
    return "child_dob_confirm"


def ask_child_dob_confirm(turn: Turn) -> None:
    child = turn.data.get("child", {})
    born = dt.date.fromisoformat(child["dob"])
    turn.say(
        _("{name} was born on {date}. Is that right?\n1. Yes\n2. No, change it").format(
            name=child.get("name", ""), date=format_short_date(born)
        )
    )


def steps(on_done: Callable[[Turn], Next]) -> dict[str, Step]:
    """The child questions; ``on_done`` runs once the date of birth is confirmed."""

    def answer_child_dob_confirm(turn: Turn) -> Next:
        if is_yes(turn.text):
            return on_done(turn)
        if is_no(turn.text):
            return "child_dob"
        remind_yes_no(turn)
        return REPEAT

    return {
        "child_name": Step(ask_child_name, answer_child_name),
        "child_sex": Step(ask_child_sex, answer_child_sex),
        "child_dob": Step(ask_child_dob, answer_child_dob),
        "child_dob_confirm": Step(ask_child_dob_confirm, answer_child_dob_confirm),
    }
