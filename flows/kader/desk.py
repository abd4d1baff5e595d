"""The kader's desk on WhatsApp (only for a contact registered as kader of a posyandu).

The commands are declared by the features that run them and listed, in one place, in
``flows.conversation.route.KADER_COMMANDS``:

    UMUMKAN [text]   write an announcement for the posyandu's mothers (``flows.announcements.commands``)
    LAPORAN          the delivery report of the last announcements
    BATALKAN <no>    cancel a scheduled (or repeating) announcement
    SASARAN          children due or late for immunization at the next posyandu day, and not weighed
    BANTUAN          this list (for a kader)

Anybody else typing one of them is told they are for the kader, and nothing is done. ``BATALKAN``
without a number stays the global cancel keyword (``BATAL``). ``JADWAL`` (``flows.kader.schedule``)
and ``TIMBANG`` (``flows.growth.kader``) have their own places in the conversation: mothers may read
the schedule, and ``TIMBANG`` is refused with its own explanation.
"""

from __future__ import annotations

from collections.abc import Sequence

from db.models import Role
from flows.core import keywords
from flows.core.commands import Command, find, nothing
from flows.core.engine import Turn, ask_again
from flows.kader import targets as kader_targets
from messages_id import _


def offer(turn: Turn, commands: Sequence[Command]) -> bool:
    """Handle a kader command (or refuse it to a non-kader); True when the message was one."""
    contact = turn.contact
    is_kader = contact.role == Role.KADER and contact.posyandu is not None
    if turn.keyword == keywords.HELP and is_kader:
        _help(turn)
        ask_again(turn)
        return True
    if turn.keyword is not None:
        return False
    found = find(turn.text, commands)
    if found is None:
        return False
    if not is_kader:
        _refuse(turn)
        return True
    command, rest = found
    command.run(turn, rest)
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


def targets(turn: Turn, rest: str) -> None:
    """``SASARAN``: who to call for the next posyandu day."""
    posyandu = turn.contact.posyandu
    assert posyandu is not None
    for message in kader_targets.targets(turn.session, posyandu, turn.today):
        turn.say(message)
    ask_again(turn)


SASARAN = Command("sasaran", targets, accepts=nothing)
