"""The case desk's clock: escalation, reminders and the check-back, on injected time.

- **Escalation**: a ``darurat`` case nobody took or answered within ``case_escalation_minutes`` (15 by
  default) goes to the posyandu's backup contact (the puskesmas; with none, to its bidan again), and the
  mother is told again to go now. Once per case.
- **Reminders**: other open cases nobody answered are reminded to the bidan every
  ``case_reminder_minutes`` (an escalated darurat case too), only in the posyandu's daytime.
- **Check-back**: ``darurat_checkback_minutes`` after a danger sign the mother is asked how she and the
  child are (her reply joins the case and goes to the bidan).

Each step is one SELECT of the due cases; nothing is sent here, everything goes through ``notify``.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from db.models import Case, Contact, Event
from db.session import transaction
from flows.core.localtime import local_today
from flows.core.notify import URGENT, next_daytime, notify
from flows.core.settings import FlowSettings
from flows.services import case_alerts
from messages_id import _
from scheduler.jobs import context

log = logging.getLogger(__name__)

DARURAT = case_alerts.DARURAT


def _record(session: Session, now: dt.datetime, kind: str, case: Case) -> None:
    session.add(Event(at=now, actor_id=None, actor_role="system", kind=kind, details={"case_id": case.id}))


def _zone(case: Case, settings: FlowSettings) -> ZoneInfo:
    posyandu = case.posyandu
    return ZoneInfo(posyandu.timezone if posyandu is not None and posyandu.timezone else settings.timezone)


def _about(case: Case, now: dt.datetime, settings: FlowSettings) -> str:
    child = case.child
    if child is None:
        return "-"
    today = local_today(now, _zone(case, settings))
    return case_alerts.child_text(child.name, child.sex, child.date_of_birth, today)


def escalate_unanswered(session: Session, now: dt.datetime, settings: FlowSettings) -> int:
    """Darurat cases without any response after the timeout: backup contact and the mother again."""
    due = session.scalars(
        select(Case)
        .where(
            Case.status == "open",
            Case.urgency == DARURAT,
            Case.first_answered_at.is_(None),
            Case.bidan_id.is_(None),
            Case.escalated_at.is_(None),
            Case.opened_at <= now - dt.timedelta(minutes=settings.case_escalation_minutes),
        )
        .order_by(Case.id)
    ).all()
    for case in due:
        case.escalated_at = now
        mother = case.mother
        body = _(
            "URGENT, case #{number}: nobody has answered this danger sign for {minutes} minutes.\n"
            "Bunda {name} ({phone}). About: {about}\nMessage: {message}\nPlease call her now. "
            "Answer: BALAS {number} <message>."
        ).format(
            number=case.id,
            minutes=int((now - case.opened_at).total_seconds() // 60),
            name=(mother.name if mother else None) or "-",
            phone=(mother.phone if mother else None) or "-",
            about=_about(case, now, settings),
            message=case_alerts.quote(case.summary) or "-",
        )
        backup = case_alerts.backup_phone(case)
        recipients: list[Contact | str] = [backup] if backup else list(case_alerts.case_bidans(session, case))
        for n, recipient in enumerate(recipients):
            case_alerts.send_to_staff(
                session, recipient, case, key=f"case-escalation:{case.id}:{n}", body=body, now=now,
                settings=settings, urgent=True,
            )  # fmt: skip
        if mother is not None:
            again = _(
                "Bunda, the bidan has not answered yet. Do not wait: go to the nearest puskesmas or hospital "
                "(IGD) now, or call 119."
            )
            if backup:
                again += " " + _("You can also call the puskesmas: {phone}.").format(phone=backup)
            notify(
                session, mother, key=f"case-escalation-mother:{case.id}", body=again, template="pesan_umum",
                variables={"nama": mother.name or "", "pesan": case_alerts.one_line(again)}, now=now,
                default_timezone=settings.timezone, kind=URGENT, ref=f"case:{case.id}",
            )  # fmt: skip
        _record(session, now, "case_escalated", case)
    return len(due)


def remind_unanswered(session: Session, now: dt.datetime, settings: FlowSettings) -> int:
    """Open cases nobody answered: a reminder to the bidan every ``case_reminder_minutes`` (daytime)."""
    cutoff = now - dt.timedelta(minutes=settings.case_reminder_minutes)
    due = session.scalars(
        select(Case)
        .where(
            Case.status == "open",
            Case.first_answered_at.is_(None),
            or_(Case.urgency != DARURAT, Case.escalated_at.is_not(None)),
            func.coalesce(Case.reminded_at, Case.opened_at) <= cutoff,
        )
        .order_by(Case.id)
    ).all()
    reminded = 0
    for case in due:
        if next_daytime(now, _zone(case, settings)) != now:
            continue  # not at night: the next run in the morning reminds
        mother = case.mother
        body = _(
            "Reminder: case #{number} ({urgency}) from Bunda {name} has waited {hours} hours for an answer.\n"
            "Message: {message}\nAnswer: BALAS {number} <message>. Close: SELESAI {number}."
        ).format(
            number=case.id,
            urgency=case_alerts.urgency_label(case.urgency),
            name=(mother.name if mother else None) or "-",
            hours=int((now - case.opened_at).total_seconds() // 3600),
            message=case_alerts.quote(case.summary) or "-",
        )
        recipients: list[Contact | str] = list(case_alerts.case_bidans(session, case))
        if not recipients and case_alerts.backup_phone(case):
            recipients = [case_alerts.backup_phone(case) or ""]
        for n, recipient in enumerate(recipients):
            case_alerts.send_to_staff(
                session, recipient, case, key=f"case-reminder:{case.id}:{now:%Y%m%d%H%M}:{n}", body=body,
                now=now, settings=settings, urgent=False,
            )  # fmt: skip
        case.reminded_at = now
        reminded += 1
    return reminded


def check_back(session: Session, now: dt.datetime, settings: FlowSettings) -> int:
    """Ask the mother how things are, some time after a danger sign (open darurat cases, once)."""
    due = session.scalars(
        select(Case)
        .where(
            Case.status == "open",
            Case.urgency == DARURAT,
            Case.checked_back_at.is_(None),
            Case.mother_id.is_not(None),
            Case.opened_at <= now - dt.timedelta(minutes=settings.darurat_checkback_minutes),
        )
        .order_by(Case.id)
    ).all()
    for case in due:
        case.checked_back_at = now
        mother = case.mother
        if mother is None:
            continue
        body = _(
            "Bunda {name}, how are you and your little one now? Have you been examined at the puskesmas or "
            "hospital? Reply to this message to tell the bidan (case {number}). If a danger sign is still "
            "there, go to the nearest health facility now or call 119."
        ).format(name=mother.name or "", number=case.id)
        notify(
            session, mother, key=f"case-checkback:{case.id}", body=body, template="cek_darurat",
            variables={"nama": mother.name or ""}, now=now, default_timezone=settings.timezone,
            kind="checkin", ref=f"case:{case.id}",
        )  # fmt: skip
        _record(session, now, "case_checked_back", case)
    return len(due)


def run_case_desk() -> dict[str, int]:
    """The scheduler job: escalations first, then reminders and check-backs."""
    ctx = context()
    now = ctx.clock()
    with transaction(ctx.sessions) as session:
        counts = {
            "escalated": escalate_unanswered(session, now, ctx.settings),
            "reminded": remind_unanswered(session, now, ctx.settings),
            "checked_back": check_back(session, now, ctx.settings),
        }
    if any(counts.values()):
        log.info("case desk: %s", counts)
    return counts
