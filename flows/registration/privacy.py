"""Opting out and in, and erasing a mother's data (UU 27/2022 PDP: withdraw consent, delete).

Erasure keeps only an anonymous record: the contact row without phone or name, marked erased, so
counts stay right; children, pregnancies and conversation state are deleted and the texts of her
messages are wiped.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from db.models import Case, Contact, ConversationState, Event, InboundMessage, OutboxMessage, OutboxStatus
from flows.core.engine import Turn, end_flow
from flows.core.messages import Outgoing
from flows.services import case_alerts
from messages_id import _

ERASED_PHONE = "erased"


def opt_out(turn: Turn, *, reason: str) -> None:
    contact = turn.contact
    contact.opted_out_at = turn.now
    contact.opt_out_reason = reason
    end_flow(turn)
    turn.record("opted_out", reason=reason)
    turn.replies.append(
        Outgoing(
            body=_(
                "You will not receive any more messages from posyandu-bot. Your data is kept; type HAPUS DATA "
                "to erase it. Type MULAI whenever you want to start again."
            ),
            ignore_opt_out=True,
        )
    )


def opt_in(turn: Turn) -> None:
    """``MULAI`` after ``STOP``: messages are on again (the conversation then offers what she can do)."""
    contact = turn.contact
    contact.opted_out_at = None
    contact.opt_out_reason = None
    turn.record("opted_in")
    turn.say(_("Welcome back, Bunda! Messages from posyandu-bot are on again."))


def scrub_messages(session: Session, phone: str) -> None:
    """Wipe the texts of everything received from ``phone`` (the rows stay, for counting)."""
    if not phone:
        return
    session.execute(
        update(InboundMessage)
        .where(InboundMessage.from_phone == phone)
        .values(body="", payload={})
        .execution_options(synchronize_session=False)
    )


def _settle_open_cases(turn: Turn) -> None:
    """Her open cases are closed, and whoever would answer them is told (nothing is escalated later)."""
    open_cases = turn.session.scalars(
        select(Case).where(Case.mother_id == turn.contact.id, Case.status == "open").order_by(Case.id)
    ).all()
    for case in open_cases:
        case.status, case.closed_at = "closed", turn.now
        body = _(
            "Case #{number} is closed: the mother erased her data in posyandu-bot, so her messages and "
            "number are no longer kept."
        ).format(number=case.id)
        bidans = case_alerts.case_bidans(turn.session, case)
        backup = None if bidans else case_alerts.backup_phone(case)
        recipients: list[Contact | str] = [*bidans, *([backup] if backup else [])]
        for n, recipient in enumerate(recipients):
            case_alerts.send_to_staff(
                turn.session, recipient, case, key=f"case-erased:{case.id}:{n}", body=body, now=turn.now,
                settings=turn.settings, urgent=case.urgency == case_alerts.DARURAT,
            )  # fmt: skip
        turn.record("case_closed", case_id=case.id, reason="erased")


def erase(turn: Turn) -> None:
    """Erase personal and health data of the contact; the confirmation still reaches her phone."""
    contact = turn.contact
    phone = contact.phone or ""
    session = turn.session
    scrub_messages(session, phone)
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.to_phone == phone, OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.FAILED, error_message="recipient erased their data")
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.to_phone == phone)
        .values(to_phone=ERASED_PHONE, body=None, template_variables=None, media_url=None)
        .execution_options(synchronize_session=False)
    )
    _settle_open_cases(turn)
    for case in session.scalars(select(Case).where(Case.mother_id == contact.id)):
        case.summary = None
        case.transcript = []
        case.child_id = None
    session.execute(
        update(Event)
        .where(Event.actor_id == contact.id)
        .values(details={})
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(ConversationState).where(ConversationState.contact_id == contact.id))
    contact.children.clear()
    contact.pregnancies.clear()
    contact.name = None
    contact.phone = None
    contact.erased_at = turn.now
    contact.consent_withdrawn_at = turn.now
    contact.opted_out_at = turn.now
    contact.opt_out_reason = "erased"
    end_flow(turn)
    session.flush()
    turn.record("data_erased")
    turn.replies.append(
        Outgoing(
            body=_(
                "Your data has been erased. Only an anonymous record is kept. Thank you for using "
                "posyandu-bot. If you write again, we will start afresh."
            ),
            to_phone=phone,
            ignore_opt_out=True,
        )
    )
