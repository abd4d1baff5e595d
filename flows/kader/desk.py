"""The kader's commands on WhatsApp (only for a contact registered as kader of a posyandu):

    UMUMKAN [text]   write an announcement for the posyandu's mothers (``flows.announcement_flow``)
    LAPORAN          the delivery report of the last announcements
    BATALKAN <no>    cancel a scheduled (or repeating) announcement
    SASARAN          children due or late for immunization at the next posyandu day, and not weighed
    BANTUAN          this list (for a kader)

Anybody else typing one of them is told they are for the kader, and nothing is done. ``BATALKAN``
without a number stays the global cancel keyword (``BATAL``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from db.models import Announcement, Role
from flows.announcements import broadcast as ann
from flows.announcements import compose as announcement_flow
from flows.announcements import report as announcement_report
from flows.core import keywords
from flows.core.engine import Turn, answer_current_step, ask_again
from flows.kader import targets as kader_targets
from messages_id import _, format_number

ANNOUNCE, REPORT, CANCEL, TARGETS = "umumkan", "laporan", "batalkan", "sasaran"
COMMAND = re.compile(r"^\s*(umumkan|laporan|batalkan|sasaran)\b[\s:,.-]*(.*)$", re.IGNORECASE | re.DOTALL)
NUMBER = re.compile(r"^#?\s*(\d+)\s*$")


@dataclass(frozen=True)
class Command:
    name: str
    rest: str
    number: int | None = None


def parse(text: str) -> Command | None:
    """A kader command, or None (``BATALKAN`` alone is the global cancel keyword, not a command)."""
    match = COMMAND.match(text)
    if match is None:
        return None
    name, rest = match[1].lower(), match[2].strip()
    if name == CANCEL:
        number = NUMBER.match(rest)
        return Command(name, rest, int(number[1])) if number else None
    if name in (REPORT, TARGETS) and rest:
        return None
    return Command(name, rest)


def intercept(turn: Turn, keyword: str | None) -> bool:
    """Handle a kader command (or refuse it to a non-kader); True when the message was one."""
    contact = turn.contact
    is_kader = contact.role == Role.KADER and contact.posyandu is not None
    if keyword == keywords.HELP and is_kader:
        _help(turn)
        ask_again(turn)
        return True
    if keyword is not None:
        return False
    command = parse(turn.text)
    if command is None:
        if is_kader and (turn.flow, turn.step) == (announcement_flow.NAME, "text"):
            answer_current_step(turn)  # the text is the announcement, even "Jadwal ..." or "Timbang ..."
            return True
        return False
    if not is_kader:
        _refuse(turn)
        return True
    if command.name == ANNOUNCE:
        announcement_flow.begin(turn, command.rest)
    elif command.name == REPORT:
        _report(turn)
    elif command.name == TARGETS:
        _targets(turn)
    else:
        assert command.number is not None
        _cancel(turn, command.number)
    return True


def _refuse(turn: Turn) -> None:
    if turn.contact.role == Role.KADER:
        turn.say(
            _("Your number is not linked to a posyandu yet. Please ask the admin to add you as its kader.")
        )
    else:
        turn.say(
            _(
                "UMUMKAN, LAPORAN, BATALKAN and SASARAN are commands for the kader of a posyandu. "
                "Nothing was sent."
            )
        )
    ask_again(turn)


def _help(turn: Turn) -> None:
    turn.say(
        _(
            "Kader's commands:\n"
            "UMUMKAN - send an announcement to the mothers\n"
            "LAPORAN - delivery report of the announcements\n"
            "BATALKAN <no> - cancel a scheduled announcement\n"
            "SASARAN - children to call for the next posyandu day\n"
            "JADWAL - the posyandu days\n"
            "TIMBANG - record a weighing\n"
            "BATAL - cancel what you are doing"
        )
    )


def _report(turn: Turn) -> None:
    posyandu_id = turn.contact.posyandu_id
    assert posyandu_id is not None
    turn.say(announcement_report.report(turn.session, posyandu_id, turn.now, turn.settings.timezone))
    ask_again(turn)


def _targets(turn: Turn) -> None:
    posyandu = turn.contact.posyandu
    assert posyandu is not None
    for message in kader_targets.targets(turn.session, posyandu, turn.today):
        turn.say(message)
    ask_again(turn)


def _cancel(turn: Turn, number: int) -> None:
    announcement = turn.session.scalar(
        select(Announcement).where(
            Announcement.id == number, Announcement.posyandu_id == turn.contact.posyandu_id
        )
    )
    if announcement is None:
        turn.say(_("There is no announcement {number} at your posyandu.").format(number=number))
    elif announcement.status == ann.CANCELLED:
        turn.say(_("Announcement {number} was already cancelled.").format(number=number))
    else:
        dropped = ann.cancel(turn.session, announcement, turn.now)
        turn.record("announcement_cancelled", announcement_id=number, dropped=dropped)
        text = _("Announcement {number} is cancelled; it will not be sent again.").format(number=number)
        if dropped:
            text += " " + _("{count} messages not sent yet were stopped.").format(
                count=format_number(dropped)
            )
        turn.say(text)
    ask_again(turn)
