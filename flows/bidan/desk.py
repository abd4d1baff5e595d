"""The bidan's desk on WhatsApp: her messages are commands, never a mother's registration.

    KASUS             her posyandu's open cases (darurat first)
    KASUS <no>        one case: who, why, the last messages
    AMBIL <no>        take a case (the other bidan of the posyandu are told)
    BALAS <no> <text> the text goes to the mother (free text inside her 24-hour window, the
                      ``balasan_bidan`` template outside it: the worker decides at send time)
    SELESAI <no>      close the case (the mother is told)

The posyandu's backup phone (the puskesmas), alerted when there is no bidan or nobody answers a danger
sign, uses the same commands for that posyandu's cases (it takes none: it answers as "Puskesmas").
A bidan sees the cases of her posyandu and the ones she took. A case taken by one bidan is answered
and closed by her only. ``BALAS`` also takes an untaken case. Anything else a bidan types gets this
list; ``STOP``, ``MULAI`` and ``HAPUS DATA`` still work as for everybody. Anyone else typing one of
these commands is told they are for the bidan.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy import case as sql_case

from db.models import Case, Contact, Posyandu, Role
from flows.core import keywords
from flows.core.engine import Turn, ask_again
from flows.core.localtime import to_local
from flows.core.notify import URGENT, may_notify, notify, one_line
from flows.services import case_alerts
from messages_id import _, format_time, ngettext

REPLY, CLOSE, LIST, TAKE = "balas", "selesai", "kasus", "ambil"
COMMAND = re.compile(
    r"^\s*(balas|selesai|kasus|ambil)\b\s*#?\s*(\d+)?\s*[:.,-]?\s*(.*)$", re.IGNORECASE | re.DOTALL
)
LISTED_CASES = 15
SHOWN_MESSAGES = 5
#: Keywords that work for the bidan as for everybody; any other keyword shows the desk's help.
EVERYBODY_KEYWORDS = (keywords.STOP, keywords.START, keywords.ERASE)


@dataclass(frozen=True)
class Command:
    name: str
    number: int | None
    text: str

    @property
    def is_complete(self) -> bool:
        """Written in full: ``BALAS 12 text``, ``SELESAI 12``, ``AMBIL 12``, ``KASUS`` or ``KASUS 12``."""
        if self.name == LIST:
            return not self.text
        if self.name == REPLY:
            return self.number is not None and bool(self.text)
        return self.number is not None and not self.text


def parse(text: str) -> Command | None:
    match = COMMAND.match(text)
    if match is None:
        return None
    return Command(match[1].lower(), int(match[2]) if match[2] else None, match[3].strip())


def _backup_for(turn: Turn) -> list[int]:
    """The posyandu whose backup phone this is (none for a bidan or a mother)."""
    if turn.contact.role == Role.BIDAN or not turn.contact.phone:
        return []
    return list(turn.session.scalars(select(Posyandu.id).where(Posyandu.backup_phone == turn.contact.phone)))


def _is_backup(turn: Turn) -> bool:
    return turn.contact.role != Role.BIDAN


def refuse(turn: Turn) -> bool:
    """A desk command from somebody who is not a bidan: say so; True when it was one."""
    command = parse(turn.text)
    if turn.contact.role == Role.BIDAN or command is None or not command.is_complete:
        return False
    turn.say(
        _(
            "BALAS, SELESAI, KASUS and AMBIL are commands for the bidan. To talk to the bidan, type BIDAN "
            "and your question."
        )
    )
    ask_again(turn)
    return True


def offer(turn: Turn) -> bool:
    """Every message of a bidan is for her desk, except the keywords that work as for everybody; the
    backup phone's desk commands too."""
    if turn.contact.role == Role.BIDAN:
        return handle(turn, turn.keyword)
    command = parse(turn.text)
    return command is not None and command.is_complete and bool(_backup_for(turn)) and handle(turn, None)


def handle(turn: Turn, keyword: str | None) -> bool:
    """A bidan's message; False only for the keywords that work as for everybody."""
    if keyword in EVERYBODY_KEYWORDS:
        return False
    command = parse(turn.text)
    if command is None or (command.number is None and command.name != LIST):
        _help(turn)
    elif command.name == LIST and command.number is None:
        _list(turn)
    else:
        assert command.number is not None
        case = _find(turn, command.number)
        if case is None:
            turn.say(_("There is no case {number} at your posyandu.").format(number=command.number))
        elif command.name == LIST:
            _show(turn, case)
        elif case.status != "open":
            turn.say(_("Case {number} is already closed.").format(number=case.id))
        elif case.bidan_id is not None and case.bidan_id != turn.contact.id:
            turn.say(
                _("Case {number} is taken by Bidan {name}.").format(number=case.id, name=_name(case.bidan))
            )
        elif command.name == TAKE:
            _take(turn, case)
        elif command.name == REPLY:
            _reply(turn, case, command.text)
        else:
            _close(turn, case)
    return True


# -- finding cases -----------------------------------------------------------------------------


def _visible(turn: Turn) -> ColumnElement[bool]:
    bidan = turn.contact
    if _is_backup(turn):
        return Case.posyandu_id.in_(_backup_for(turn))
    return or_(Case.posyandu_id == bidan.posyandu_id, Case.bidan_id == bidan.id)


def _sender(turn: Turn) -> str:
    """Who answers, as the mother reads it: ``Bidan Rina`` or ``Puskesmas``."""
    return _("Puskesmas") if _is_backup(turn) else _("Bidan {name}").format(name=_name(turn.contact))


def _find(turn: Turn, number: int) -> Case | None:
    return turn.session.scalar(select(Case).where(Case.id == number, _visible(turn)))


def _name(contact: Contact | None) -> str:
    return (contact.name if contact is not None else None) or "-"


def _mother(case: Case) -> str:
    """Her name, or her number while she has not finished registering."""
    mother = case.mother
    return "-" if mother is None else (mother.name or mother.phone or "-")


def _ago(turn: Turn, moment: dt.datetime) -> str:
    minutes = max(0, int((turn.now - moment).total_seconds() // 60))
    if minutes < 120:
        return ngettext("{n} minute ago", "{n} minutes ago", minutes).format(n=minutes)
    if minutes < 48 * 60:
        return ngettext("{n} hour ago", "{n} hours ago", minutes // 60).format(n=minutes // 60)
    days = minutes // (24 * 60)
    return ngettext("{n} day ago", "{n} days ago", days).format(n=days)


def _state(case: Case) -> str:
    if case.first_answered_at is not None:
        return _("answered")
    if case.bidan_id is not None:
        return _("taken by Bidan {name}, not answered yet").format(name=_name(case.bidan))
    return _("not answered yet")


# -- commands ----------------------------------------------------------------------------------


def _help(turn: Turn) -> None:
    count = len(_open_cases(turn))
    turn.say(
        _(
            "Bidan's commands:\n"
            "KASUS - the open cases\n"
            "KASUS <no> - one case and its messages\n"
            "AMBIL <no> - take a case\n"
            "BALAS <no> <message> - answer the mother\n"
            "SELESAI <no> - close a case\n"
            "Open cases now: {count}."
        ).format(count=count)
    )


def _open_cases(turn: Turn) -> list[Case]:
    urgency_order = sql_case((Case.urgency == "darurat", 0), (Case.urgency == "segera", 1), else_=2)
    return list(
        turn.session.scalars(
            select(Case)
            .where(Case.status == "open", _visible(turn))
            .order_by(urgency_order, Case.opened_at, Case.id)
        )
    )


def _list(turn: Turn) -> None:
    open_cases = _open_cases(turn)
    if not open_cases:
        turn.say(_("There are no open cases at your posyandu."))
        return
    lines = [
        _("#{number} {urgency} Bunda {name}, {ago}, {state}").format(
            number=case.id,
            urgency=case_alerts.urgency_label(case.urgency),
            name=_mother(case),
            ago=_ago(turn, case.opened_at),
            state=_state(case),
        )
        for case in open_cases[:LISTED_CASES]
    ]
    more = len(open_cases) - LISTED_CASES
    if more > 0:
        lines.append(_("... and {n} more.").format(n=more))
    turn.say(
        _("Open cases ({count}):\n{lines}\nSee one: KASUS <no>. Answer: BALAS <no> <message>.").format(
            count=len(open_cases), lines="\n".join(lines)
        )
    )


def _show(turn: Turn, case: Case) -> None:
    mother = case.mother
    child = case.child
    messages = [
        f"{format_time(to_local(dt.datetime.fromisoformat(entry['at']), turn.timezone))} "
        f"{_('bidan') if entry.get('from') == 'bidan' else _('mother')}: {entry.get('text', '')}"
        for entry in case.transcript[-SHOWN_MESSAGES:]
        if isinstance(entry, dict) and entry.get("at")
    ]
    turn.say(
        _(
            "Case #{number} {urgency} ({status}), opened {ago}.\n"
            "Bunda {name} ({phone}). Child: {child}.\nWhy: {summary}\nLast messages:\n{messages}"
        ).format(
            number=case.id,
            urgency=case_alerts.urgency_label(case.urgency),
            status=_state(case) if case.status == "open" else _("closed"),
            ago=_ago(turn, case.opened_at),
            name=_mother(case),
            phone=(mother.phone if mother is not None else None) or "-",
            child=case_alerts.child_text(child.name, child.sex, child.date_of_birth, turn.today)
            if child
            else "-",
            summary=case.summary or "-",
            messages="\n".join(messages) or "-",
        )
    )


def _assign(turn: Turn, case: Case) -> None:
    """Make the case hers and tell the other bidan of the posyandu (the backup phone takes none)."""
    if case.bidan_id is not None or _is_backup(turn):
        return
    case.bidan_id = turn.contact.id
    case.bidan = turn.contact
    turn.record("case_taken", case_id=case.id)
    body = _("Case #{number} (Bunda {name}) is taken by Bidan {bidan}.").format(
        number=case.id, name=_mother(case), bidan=_name(turn.contact)
    )
    for other in case_alerts.posyandu_bidans(turn.session, case.posyandu_id):
        if other.id != turn.contact.id:
            case_alerts.send_to_staff(
                turn.session,
                other,
                case,
                key=f"case-taken:{case.id}:{other.id}",
                body=body,
                now=turn.now,
                settings=turn.settings,
                urgent=case.urgency == case_alerts.DARURAT,
            )


def _take(turn: Turn, case: Case) -> None:
    if case.bidan_id == turn.contact.id:
        turn.say(_("Case {number} is already yours.").format(number=case.id))
        return
    _assign(turn, case)
    turn.say(_("Case {number} is yours. Answer the mother: BALAS {number} <message>.").format(number=case.id))


def _to_mother(
    turn: Turn, case: Case, *, key: str, body: str, template: str, variables: dict[str, object], urgent: bool
) -> bool:
    mother = case.mother
    if mother is None or not may_notify(mother):
        return False
    return notify(
        turn.session,
        mother,
        key=key,
        body=body,
        template=template,
        variables=variables,
        now=turn.now,
        default_timezone=turn.settings.timezone,
        kind=URGENT if urgent else "case_reply",
        ref=f"case:{case.id}",
    )


def _reply(turn: Turn, case: Case, text: str) -> None:
    _assign(turn, case)
    mother, bidan = case.mother, turn.contact
    sent = _to_mother(
        turn,
        case,
        key=f"case-reply:{case.id}:{turn.message.message_sid or turn.now.isoformat()}",
        body=_("{sender} replies (case {number}):\n{message}\n\nReply to this message to answer.").format(
            sender=_sender(turn), number=case.id, message=text
        ),
        template="balasan_bidan",
        variables={
            "nama": _name(mother),
            "bidan": _("Puskesmas") if _is_backup(turn) else _name(bidan),
            "nomor": case.id,
            "pesan": one_line(text),
        },
        urgent=case.urgency == case_alerts.DARURAT,
    )
    if not sent:
        turn.say(
            _(
                "I could not send it: Bunda {name} has stopped messages from the bot or erased her data. "
                "Please call her: {phone}."
            ).format(name=_name(mother), phone=(mother.phone if mother is not None else None) or "-")
        )
        return
    if case.first_answered_at is None:
        case.first_answered_at = turn.now
    entry = {"at": turn.now.isoformat(timespec="seconds"), "from": "bidan", "text": text}
    case.transcript = [*case.transcript, entry]
    turn.record("case_answered", case_id=case.id)
    turn.say(
        _("Sent to Bunda {name} (case {number}). Close it when done: SELESAI {number}.").format(
            name=_name(mother), number=case.id
        )
    )


def _close(turn: Turn, case: Case) -> None:
    if not _is_backup(turn):
        case.bidan_id = case.bidan_id or turn.contact.id
    case.status, case.closed_at = "closed", turn.now
    turn.record("case_closed", case_id=case.id)
    message = _(
        "{sender} has closed case {number}. If you need help again, type BIDAN. In an emergency go to "
        "the nearest health facility or call 119."
    ).format(sender=_sender(turn), number=case.id)
    _to_mother(
        turn,
        case,
        key=f"case-closed:{case.id}",
        body=message,
        template="pesan_umum",
        variables={"nama": _name(case.mother), "pesan": one_line(message)},
        urgent=False,
    )
    if _is_backup(turn):
        turn.say(_("Case {number} is closed. Thank you.").format(number=case.id))
    else:
        turn.say(_("Case {number} is closed. Thank you, Bidan.").format(number=case.id))
