"""``TIMBANG <child or mother's phone> <kg> <cm> [berbaring|berdiri]``: a kader records a weighing at the posyandu.

Only a kader, and only for children of mothers registered at the kader's own posyandu. The child is found
by name (``TIMBANG Ani 7,5 68``), by the mother's phone when she has one child, or by both
(``TIMBANG 0812... Ani 7,5 68``). The kader gets the result and the chart; the mother gets the result as a
notification (template outside her 24-hour window); an alarm opens a case for the bidan.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from db.models import Child, Contact, Role
from flows.core.choices import simplify
from flows.core.engine import Turn, ask_again
from flows.core.messages import Outgoing
from flows.core.notify import notify, one_line
from flows.core.phones import InvalidPhone, to_e164
from flows.growth import alarms as growth_alarms
from flows.growth import record as growth_record
from flows.growth import words as growth_words
from flows.growth.flow import explain_implausible
from flows.growth.parse import WeighCommand, is_weigh_command, parse_weigh_command
from flows.growth.picture import caption, chart_link
from flows.growth.record import Implausible, Outcome, Reading
from messages_id import _

RESULT_TEMPLATE, GENERAL_TEMPLATE = "hasil_timbang", "pesan_umum"
_PHONE = re.compile(r"^\+?\d[\d\-]{7,}$")

__all__ = ["handle", "is_weigh_command", "offer"]


def _usage(turn: Turn) -> None:
    turn.say(
        _(
            "Write it like this: TIMBANG <child's name or mother's phone> <kg> <cm> [berbaring|berdiri]\n"
            "For example: TIMBANG Ani 7,5 68,5 berbaring"
        )
    )


def _candidates(turn: Turn, who: str) -> tuple[list[Child], bool]:
    """Children of the kader's posyandu matching ``who``; True when a phone was given but is not hers."""
    phone, names = None, []
    for word in who.split():
        if _PHONE.match(word):
            try:
                phone = to_e164(word)
            except InvalidPhone:
                names.append(word)
        else:
            names.append(word)
    query = (
        select(Child)
        .join(Contact, Child.mother_id == Contact.id)
        .where(Contact.posyandu_id == turn.contact.posyandu_id, Contact.erased_at.is_(None))
    )
    if phone is not None:
        query = query.where(Contact.phone == phone)
    children = list(turn.session.scalars(query.order_by(Child.id)))
    name = simplify(" ".join(names))
    if name:
        children = [c for c in children if simplify(c.name) == name]
    return children, phone is not None and not children


def offer(turn: Turn) -> bool:
    """A ``TIMBANG`` message (not a keyword): True when it was one."""
    if turn.keyword is not None or not is_weigh_command(turn.text):
        return False
    handle(turn)
    return True


def handle(turn: Turn) -> None:
    """A ``TIMBANG`` message from anybody: recorded for a kader, refused for everybody else."""
    contact = turn.contact
    if contact.role != Role.KADER or contact.posyandu_id is None:
        turn.say(
            _(
                "TIMBANG is for the kader of a posyandu. To record your own child's weight, type MENU and "
                "choose Growth and development."
            )
        )
        ask_again(turn)
        return
    command = parse_weigh_command(turn.text)
    if command is None:
        _usage(turn)
        return
    children, other_posyandu = _candidates(turn, command.who)
    if not children:
        if other_posyandu:
            turn.say(_("No child of that phone number is registered at your posyandu."))
        else:
            turn.say(
                _(
                    "I found no child called {who} at your posyandu. Check the name, or use the mother's phone."
                ).format(who=command.who)
            )
        return
    if len(children) > 1:
        lines = "\n".join(
            f"- {c.name}, {c.date_of_birth:%d-%m-%Y}, {c.mother.name or '-'} {c.mother.phone or ''}"
            for c in children
        )
        turn.say(
            _(
                "More than one child matches:\n{children}\nWrite the mother's phone with the name, like: "
                "TIMBANG 081234567890 {name} 7,5 68"
            ).format(children=lines, name=children[0].name)
        )
        return
    _record(turn, children[0], command)


def _record(turn: Turn, child: Child, command: WeighCommand) -> None:
    reading = Reading(turn.today, command.weight_kg, command.length_cm, command.position)
    try:
        outcome = growth_record.save(
            turn.session,
            child,
            reading,
            source="kader",
            recorded_by=turn.contact.id,
            posyandu_id=turn.contact.posyandu_id,
        )
    except Implausible as error:
        explain_implausible(turn, child, reading, error)
        turn.say(_("Nothing was saved. Send TIMBANG again with the corrected numbers."))
        turn.record("growth_refused", child_id=child.id, reason=error.reason, source="kader")
        return
    mother = child.mother
    row = outcome.measurement
    lines = [
        _("Saved for {child} (mother: {mother}).").format(child=child.name, mother=mother.name or "-"),
        growth_words.technical_line(row, outcome.trend),
        *growth_words.index_lines(outcome.result),
    ]
    trend = growth_words.trend_text(child.name, outcome.trend)
    if trend:
        lines.append(trend)
    turn.say("\n".join(lines))
    link = chart_link(
        turn.session,
        child,
        outcome.history,
        today=turn.today,
        now=turn.now,
        public_url=turn.settings.public_url,
    )
    turn.replies.append(Outgoing(body=caption(child), media_url=link))
    opened = growth_alarms.raise_alarms(
        turn.session,
        mother=mother,
        child=child,
        result=outcome.result,
        trend=outcome.trend,
        rows=outcome.history,
        now=turn.now,
        settings=turn.settings,
        today=turn.today,
        actor=turn.contact,
        key=f"growth:{row.id}:{turn.message.message_sid or turn.now.isoformat()}",
    )
    if opened:
        turn.say(
            _("Alert sent to the bidan: case {numbers}. Please tell the mother to see the bidan.").format(
                numbers=", ".join(str(o.case.id) for o in opened)
            )
        )
    _tell_mother(turn, mother, child, outcome, opened)
    turn.record(
        "growth_measured",
        child_id=child.id,
        source="kader",
        trend=outcome.trend.code if outcome.trend else None,
        alarms=[o.case.topic for o in opened],
    )


def _tell_mother(
    turn: Turn, mother: Contact, child: Child, outcome: Outcome, opened: list[growth_alarms.Opened]
) -> None:
    """The mother hears the result (and, with an alarm, the referral path) as notifications."""
    row = outcome.measurement
    result = growth_words.result_text(child, row, outcome.result, outcome.trend)
    body = result + "\n\n" + growth_words.next_weighing_text(row.measured_on)
    key = f"growth-result:{row.id}:{turn.message.message_sid or turn.now.isoformat()}"
    notify(
        turn.session,
        mother,
        key=key,
        body=body,
        template=RESULT_TEMPLATE,
        variables={"nama": mother.name or "", "anak": child.name, "hasil": one_line(result)},
        now=turn.now,
        default_timezone=turn.settings.timezone,
        kind="growth_result",
        ref=f"child:{child.id}",
    )
    if opened:
        referral = growth_alarms.handed_over_text(child, opened) + "\n\n" + growth_alarms.referral_text()
        notify(
            turn.session,
            mother,
            key=f"{key}:referral",
            body=referral,
            template=GENERAL_TEMPLATE,
            variables={"nama": mother.name or "", "pesan": one_line(referral)},
            now=turn.now,
            default_timezone=turn.settings.timezone,
            kind="growth_result",
            ref=f"child:{child.id}",
        )
