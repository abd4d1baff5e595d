"""``JADWAL``: a kader sets her posyandu's meeting days by chat; anybody else may only read them.

    JADWAL                               the rule, the next meeting days and the changes
    JADWAL selasa minggu ke-2            every 2nd Tuesday (also: selasa kedua, kamis terakhir, 2nd tuesday)
    JADWAL tanggal 15                    the 15th of every month
    JADWAL batal 10-3-2026               that meeting is cancelled
    JADWAL pindah 10-3-2026 ke 12-3-2026 that meeting is moved
    JADWAL normal 10-3-2026              undo a change of that day

Every change re-targets the reminders of the posyandu's children (``flows.services.immunization_plans``).
"""

from __future__ import annotations

import datetime as dt

from db.models import Posyandu, Role
from flows.core.children import explain_date_error
from flows.core.choices import simplify
from flows.core.dates import DateError, ParsedDate, parse_date
from flows.core.engine import Turn
from flows.services.immunization_plans import refresh_posyandu
from flows.services.posyandu_calendar import RuleError, parse_rule, split_move
from flows.services.posyandu_days import clear_exception, describe, load_days, save_exception, save_rule
from messages_id import _, format_date

COMMAND = "jadwal"
CANCEL_WORDS = ("batal", "libur", "tidak ada", "tiada", "cancel")
MOVE_WORDS = ("pindah", "geser", "diganti", "move")
RESET_WORDS = ("normal", "kembali", "seperti biasa")


def is_command(text: str) -> bool:
    words = simplify(text).split()
    return (
        bool(words) and words[0] == COMMAND and (len(words) == 1 or words[1] not in {"imunisasi", "vaksin"})
    )


def offer(turn: Turn) -> bool:
    """A ``JADWAL`` message: True when it was one."""
    if not is_command(turn.text):
        return False
    handle(turn)
    return True


def _upcoming_date(text: str, today: dt.date) -> dt.date:
    """A meeting date typed by the kader; a missing year means the next such date."""
    parsed: ParsedDate = parse_date(text, today)
    value = parsed.value
    if parsed.year_missing and value < today:
        value = value.replace(year=value.year + 1)
    return value


def _help(turn: Turn) -> None:
    turn.say(
        _(
            "To set the schedule type for example:\n"
            "JADWAL selasa minggu ke-2\n"
            "JADWAL tanggal 15\n"
            "JADWAL batal 10-3-2026\n"
            "JADWAL pindah 10-3-2026 ke 12-3-2026\n"
            "JADWAL normal 10-3-2026 (undo a change)"
        )
    )


def handle(turn: Turn) -> None:
    contact = turn.contact
    posyandu = contact.posyandu
    rest = turn.text.strip()[len(COMMAND) :].strip(" :,-")
    words = simplify(rest)
    if contact.role != Role.KADER or posyandu is None:
        if _is_change(rest, words):
            turn.say(_("Sorry, only a kader of the posyandu can change the posyandu schedule."))
        if posyandu is not None:
            turn.say(describe(load_days(turn.session, posyandu.id), posyandu, turn.today))
        else:
            turn.say(_("I do not know your posyandu's schedule yet. Please ask your kader or the bidan."))
        return
    try:
        changed = _apply(turn, posyandu, rest, words)
    except (RuleError, DateError) as error:
        if isinstance(error, DateError) and error.reason != DateError.UNREADABLE:
            explain_date_error(turn, error)
        else:
            turn.say(_("I did not understand that schedule."))
        _help(turn)
        return
    if changed:
        refresh_posyandu(turn.session, posyandu.id, turn.today)
        turn.record("posyandu_schedule_changed", posyandu_id=posyandu.id, change=words)
        turn.say(_("Saved. Reminders to the mothers follow the new schedule."))
    turn.say(describe(load_days(turn.session, posyandu.id), posyandu, turn.today))
    if not changed:
        _help(turn)


def _is_change(rest: str, words: str) -> bool:
    if not words:
        return False
    if words.split()[0] in MOVE_WORDS + RESET_WORDS or any(words.startswith(w) for w in CANCEL_WORDS):
        return True
    try:
        parse_rule(rest)
    except RuleError:
        return False
    return True


def _apply(turn: Turn, posyandu: Posyandu, rest: str, words: str) -> bool:
    if not words:
        return False
    first = words.split()[0]
    by = turn.contact.id
    if any(words.startswith(w) for w in CANCEL_WORDS):
        day_text = rest.split(None, 2 if words.startswith(("tidak ada",)) else 1)[-1]
        day = _upcoming_date(day_text, turn.today)
        days = load_days(turn.session, posyandu.id)
        if not days.is_meeting(day) and day not in days.exceptions:
            turn.say(_("{date} is not a meeting day of this posyandu.").format(date=format_date(day)))
            return False
        save_exception(turn.session, posyandu.id, day, None, by)
        return True
    if first in MOVE_WORDS:
        pair = split_move(rest.split(None, 1)[-1] if " " in rest else "")
        if pair is None:
            raise RuleError(rest)
        day, moved_to = (_upcoming_date(text, turn.today) for text in pair)
        save_exception(turn.session, posyandu.id, day, moved_to, by)
        return True
    if first in RESET_WORDS:
        day = _upcoming_date(rest.split(None, 1)[-1], turn.today)
        return clear_exception(turn.session, posyandu.id, day)
    save_rule(turn.session, posyandu.id, parse_rule(rest), by)
    return True
