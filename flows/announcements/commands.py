"""The kader's announcement commands: ``UMUMKAN [text]``, ``LAPORAN``, ``BATALKAN <no>``.

The kader's desk (``flows.kader.desk``) decides who may use them; the conversation lists them in
``flows.conversation.route.KADER_COMMANDS``. ``BATALKAN`` without a number stays the global cancel
keyword (``BATAL``).
"""

from __future__ import annotations

from sqlalchemy import select

from db.models import Announcement, Role
from flows.announcements import broadcast as ann
from flows.announcements import compose as announcement_flow
from flows.announcements import report as announcement_report
from flows.core.commands import Command, a_number, nothing, number_in
from flows.core.engine import Turn, answer_current_step, ask_again
from messages_id import _, format_number


def announce(turn: Turn, rest: str) -> None:
    """``UMUMKAN``: write an announcement (``UMUMKAN <text>`` goes straight to the audience)."""
    announcement_flow.begin(turn, rest)


def report(turn: Turn, rest: str) -> None:
    """``LAPORAN``: the delivery report of the posyandu's last announcements."""
    posyandu_id = turn.contact.posyandu_id
    assert posyandu_id is not None
    turn.say(announcement_report.report(turn.session, posyandu_id, turn.now, turn.settings.timezone))
    ask_again(turn)


def cancel(turn: Turn, rest: str) -> None:
    """``BATALKAN <no>``: cancel a scheduled (or repeating) announcement of her posyandu."""
    number = number_in(rest)
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


def offer_text(turn: Turn) -> bool:
    """A kader writing an announcement: her next message is its text, even "Jadwal ..." or "Timbang ..."."""
    contact = turn.contact
    if turn.keyword is not None or contact.role != Role.KADER or contact.posyandu is None:
        return False
    if (turn.flow, turn.step) != (announcement_flow.NAME, "text"):
        return False
    answer_current_step(turn)
    return True


UMUMKAN = Command("umumkan", announce)
LAPORAN = Command("laporan", report, accepts=nothing)
BATALKAN = Command("batalkan", cancel, accepts=a_number)
