"""What the bidan (and the puskesmas backup) receive about a case, and how it reaches them.

Every staff message goes through ``notify`` with the ``kasus_bidan`` template as its second form, so the
worker sends free text inside the bidan's 24-hour window and the template outside it. Danger-sign
alerts and escalations are ``urgent`` (sent at once, also at night); other case alerts wait for the day.
A backup phone that is nobody's contact row is enqueued directly (no contact, so no window to keep).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Case, Contact, Role
from db.outbox import enqueue
from flows.core.children import age_text, sex_label
from flows.core.messages import split_long
from flows.core.notify import URGENT, notify, one_line, templates
from flows.core.settings import FlowSettings
from messages_id import _, pgettext

STAFF_TEMPLATE = "kasus_bidan"
DARURAT, SEGERA, BIASA = "darurat", "segera", "biasa"
#: How much of the mother's message an alert quotes (the whole text is in KASUS <no>).
QUOTE_CHARS = 400


def quote(text: str | None, limit: int = QUOTE_CHARS) -> str:
    """The mother's message as an alert quotes it: cut with "…" beyond ``limit``; '' when there is none."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def urgency_label(urgency: str) -> str:
    return pgettext("case_urgency", urgency)


def child_text(name: str, sex: str, date_of_birth: dt.date, today: dt.date) -> str:
    """``Budi (laki-laki, 3 minggu)``: a child as the bidan reads it in an alert."""
    return _("{name} ({sex}, {age})").format(
        name=name, sex=sex_label(sex), age=age_text(date_of_birth, today)
    )


def posyandu_bidans(session: Session, posyandu_id: int | None) -> list[Contact]:
    """The bidan of a posyandu who can receive messages, oldest first."""
    if posyandu_id is None:
        return []
    return list(
        session.scalars(
            select(Contact)
            .where(
                Contact.role == Role.BIDAN,
                Contact.posyandu_id == posyandu_id,
                Contact.opted_out_at.is_(None),
                Contact.erased_at.is_(None),
                Contact.phone.is_not(None),
            )
            .order_by(Contact.id)
        )
    )


def case_bidans(session: Session, case: Case) -> list[Contact]:
    """Who is told about a case: the bidan who took it, else every bidan of the posyandu."""
    if case.bidan is not None and case.bidan.phone and not case.bidan.is_opted_out:
        return [case.bidan]
    return posyandu_bidans(session, case.posyandu_id)


def backup_phone(case: Case) -> str | None:
    return case.posyandu.backup_phone if case.posyandu is not None else None


def send_to_staff(
    session: Session,
    recipient: Contact | str,
    case: Case,
    *,
    key: str,
    body: str,
    now: dt.datetime,
    settings: FlowSettings,
    urgent: bool,
) -> bool:
    """One message about ``case`` to a bidan (a contact) or to a bare backup phone.

    A body longer than one WhatsApp message (1,600 characters) goes in parts, split at paragraphs."""
    parts = split_long(body)
    sent = False
    for n, part in enumerate(parts):
        sent = _send_one(
            session, recipient, case, key=key if n == 0 else f"{key}:{n}", body=part, now=now,
            settings=settings, urgent=urgent,
        ) or sent  # fmt: skip
    return sent


def _send_one(
    session: Session,
    recipient: Contact | str,
    case: Case,
    *,
    key: str,
    body: str,
    now: dt.datetime,
    settings: FlowSettings,
    urgent: bool,
) -> bool:
    variables = {"nomor": case.id, "pesan": one_line(body)}
    kind = URGENT if urgent else "case_alert"
    if isinstance(recipient, str):
        known = session.scalar(select(Contact).where(Contact.phone == recipient))
        if known is not None and known.role == Role.IBU and not known.is_opted_out:
            known = None  # the puskesmas wrote to the bot once: still a backup phone, not a mother to consent
        if known is None:
            spec = templates()[STAFF_TEMPLATE]
            return enqueue(
                session,
                to_phone=recipient,
                key=key,
                body=body,
                template_name=spec.name,
                template_variables=spec.numbered(variables),
                kind=kind,
                ref=f"case:{case.id}",
                not_before=now,
            )
        recipient = known
    return notify(
        session,
        recipient,
        key=key,
        body=body,
        template=STAFF_TEMPLATE,
        variables=variables,
        now=now,
        default_timezone=settings.timezone,
        kind=kind,
        ref=f"case:{case.id}",
    )


def new_case_text(
    case: Case, *, mother: Contact, about: str, why: str, message: str, name: str | None = None
) -> str:
    """The short numbered alert a bidan receives for a new case (or a new danger sign on one).

    Lines with nothing to say are left out (never "-"); the message is quoted up to ``QUOTE_CHARS``."""
    lines = [
        _("{urgency} case #{number}: Bunda {name} ({phone}).").format(
            urgency=urgency_label(case.urgency),
            number=case.id,
            name=name or mother.name or _("(no name yet)"),
            phone=mother.phone or _("number erased"),
        )
    ]
    if about:
        lines.append(_("About: {about}").format(about=about))
    if why:
        lines.append(_("Why: {why}").format(why=why))
    if message.strip():
        lines.append(_("Message: {message}").format(message=quote(message)))
    lines.append(
        _("Reply: BALAS {number} <your message>. Take it: AMBIL {number}. Close: SELESAI {number}.").format(
            number=case.id
        )
    )
    text = "\n".join(lines)
    if case.urgency == DARURAT:
        text += "\n" + _("Danger sign: please call her now.")
    return text


def alert_new_case(
    session: Session,
    case: Case,
    *,
    mother: Contact,
    about: str,
    why: str,
    message: str,
    now: dt.datetime,
    settings: FlowSettings,
    key: str,
    name: str | None = None,
) -> tuple[list[Contact], str | None]:
    """Alert the case's bidan (or, with none, the backup phone); returns who was alerted."""
    body = new_case_text(case, mother=mother, about=about, why=why, message=message, name=name)
    urgent = case.urgency == DARURAT
    bidans = case_bidans(session, case)
    for bidan in bidans:
        send_to_staff(
            session,
            bidan,
            case,
            key=f"{key}:{bidan.id}",
            body=body,
            now=now,
            settings=settings,
            urgent=urgent,
        )
    backup = None if bidans else backup_phone(case)
    if backup:
        send_to_staff(
            session, backup, case, key=f"{key}:backup", body=body, now=now, settings=settings, urgent=urgent
        )
    return bidans, backup
