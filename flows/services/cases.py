"""Handing a mother's question to the bidan of her posyandu (``BIDAN``).

A case is opened (one open case per mother and topic; later messages join it), every bidan of her
posyandu gets a short numbered alert (``flows.services.case_alerts``) she answers with ``BALAS`` (``flows.bidan.desk``),
and the mother is told who will answer. Without a bidan on record the posyandu's backup contact is alerted.
"""

from __future__ import annotations

from sqlalchemy import select

from db.models import Case, InboundMessage
from flows.core.engine import Turn
from flows.services import case_alerts
from messages_id import _

TRANSCRIPT_MESSAGES = 10
BIDAN_REQUEST = "bidan_request"


def _recent_messages(turn: Turn) -> list[dict[str, str]]:
    rows = turn.session.execute(
        select(InboundMessage.received_at, InboundMessage.body)
        .where(InboundMessage.from_phone == turn.contact.phone)
        .order_by(InboundMessage.id.desc())
        .limit(TRANSCRIPT_MESSAGES)
    ).all()
    return [{"at": at.isoformat(timespec="seconds"), "text": body} for at, body in reversed(rows) if body]


def open_case(turn: Turn, *, topic: str, urgency: str, summary: str) -> tuple[Case, bool]:
    """The mother's open case on ``topic`` (new messages join it), or a new one; True when new."""
    contact = turn.contact
    case = turn.session.scalar(
        select(Case).where(Case.mother_id == contact.id, Case.topic == topic, Case.status == "open")
    )
    if case is not None:
        case.transcript = [*case.transcript, {"at": turn.now.isoformat(timespec="seconds"), "text": summary}]
        return case, False
    case = Case(
        mother_id=contact.id,
        posyandu_id=contact.posyandu_id,
        child_id=contact.children[0].id if len(contact.children) == 1 else None,
        topic=topic,
        urgency=urgency,
        summary=summary,
        transcript=_recent_messages(turn),
        opened_at=turn.now,
    )
    turn.session.add(case)
    turn.session.flush()
    turn.record("case_opened", case_id=case.id, topic=topic, urgency=urgency)
    return case, True


def ask_for_bidan(turn: Turn, *, question: str) -> None:
    """``BIDAN``: open (or join) the case and tell both sides."""
    contact = turn.contact
    if not contact.has_consent:
        turn.say(
            _(
                "To pass your question to the bidan I need your consent first. In an emergency go straight "
                "to the puskesmas or hospital, or call 119."
            )
        )
        return
    case, is_new = open_case(turn, topic=BIDAN_REQUEST, urgency="biasa", summary=question)
    children = ", ".join(
        case_alerts.child_text(c.name, c.sex, c.date_of_birth, turn.today) for c in contact.children
    )
    bidans, backup = case_alerts.case_bidans(turn.session, case), case_alerts.backup_phone(case)
    if is_new or question:
        bidans, backup = case_alerts.alert_new_case(
            turn.session,
            case,
            mother=contact,
            about=children,
            why=_("she asks to talk to the bidan"),
            message=question,
            now=turn.now,
            settings=turn.settings,
            key=f"case-alert:{case.id}:{turn.message.message_sid or turn.now.isoformat()}",
        )
    if bidans:
        turn.say(
            _(
                "Your message has been passed to Bidan {name}. She will contact you. Case number: {number}."
            ).format(name=bidans[0].name or "", number=case.id)
        )
    elif backup:
        turn.say(
            _(
                "Your message has been passed to the puskesmas. They will contact you. Case number: {number}."
            ).format(number=case.id)
        )
    else:
        turn.say(
            _(
                "There is no bidan registered for your posyandu yet, so please contact the puskesmas directly. "
                "Your question is recorded (case {number})."
            ).format(number=case.id)
        )
    turn.say(_("In an emergency do not wait: go to the nearest puskesmas or hospital now, or call 119."))
