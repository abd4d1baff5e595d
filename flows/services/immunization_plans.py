"""A child's recorded doses and the materialised ``dose_due`` rows the reminders are selected from.

Why materialise: due dates follow calendar months and the minimum intervals after doses actually
given (``flows.knowledge.immunization``), which SQL cannot compute portably. So whenever a child is registered
or imported, a dose is recorded or corrected, the mother changes posyandu or the posyandu's meeting
days change, the child's pending doses are written to ``dose_due`` with

- ``due``: when the dose is due; ``until``: the last day it may be given (the earlier limit of its
  own and of an earlier dose of its series still missing, so rotavirus stops when RV1 lapses);
- ``target``: the posyandu day on which it should be given — the first meeting day on or after the
  later of ``due`` and the day it was computed (a dose already late gets the next meeting day). With
  no posyandu calendar the target is that day itself.

A target is kept when the row is recomputed and neither its due date nor (for a future day) the
meeting days changed, so reminders already sent keep their follow-ups. The daily selection is then
one indexed join (``flows.immunization.reminders``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from db.models import (
    Child,
    Contact,
    DoseDue,
    ImmunizationDose,
    ImmunizationPlan,
    ImmunizationReminder,
    OutboxMessage,
    OutboxStatus,
    utcnow,
)
from flows.knowledge.immunization import DoseStatus, Status, child_schedule
from flows.knowledge.immunization_schedule import national_schedule
from flows.services.posyandu_calendar import PosyanduDays
from flows.services.posyandu_days import load_days

#: How many children a scheduler run brings up to date at most (the rest follow in the next run).
SYNC_BATCH = 5000


def reminder_ref(child_id: int) -> str:
    """The outbox ``ref`` of a child's immunization reminders."""
    return f"immunization:{child_id}"


def given_doses(session: Session, child_id: int) -> dict[str, dt.date]:
    rows = session.scalars(select(ImmunizationDose).where(ImmunizationDose.child_id == child_id))
    return {row.vaccine: row.given_on for row in rows}


def schedule_of(session: Session, child: Child, today: dt.date) -> list[DoseStatus]:
    """The child's schedule today (doses recorded after ``today`` are left out)."""
    given = {v: d for v, d in given_doses(session, child.id).items() if d <= today}
    return child_schedule(child.date_of_birth, given, max(today, child.date_of_birth))


def pending(schedule: list[DoseStatus]) -> list[tuple[DoseStatus, dt.date | None]]:
    """Doses still to give, each with its effective limit (an earlier missing dose's limit counts)."""
    by_id = {result.vaccine: result for result in schedule}
    limits: dict[str, dt.date | None] = {}
    rows = []
    plan = national_schedule()
    for dose in plan.doses:
        result = by_id[dose.id]
        until = result.until
        previous = plan.previous(dose)
        if previous is not None and previous.id in limits:
            earlier = limits[previous.id]
            if earlier is not None and (until is None or earlier < until):
                until = earlier
        if result.status in (Status.GIVEN, Status.EXPIRED):
            continue
        limits[dose.id] = until
        rows.append((result, until))
    return rows


def _target(days: PosyanduDays, start: dt.date, until: dt.date | None) -> dt.date:
    return days.next_meeting(start, until) or start


def refresh_child(session: Session, child: Child, today: dt.date, days: PosyanduDays | None = None) -> None:
    """Rewrite the child's ``dose_due`` rows (and its plan stamp) from its doses and calendar.

    Doses of one series are planned one after the other: a dose whose previous dose is still missing
    is planned no sooner than the minimum interval after the previous one's posyandu day, so a late
    child catches up DPT-HB-Hib 1, 2, 3 on successive posyandu days, never all at once.
    """
    posyandu_id = child.mother.posyandu_id if child.mother is not None else None
    days = days if days is not None else load_days(session, posyandu_id)
    existing = {
        row.vaccine: row for row in session.scalars(select(DoseDue).where(DoseDue.child_id == child.id))
    }
    plan = national_schedule()
    planned: dict[str, dt.date] = {}
    for result, until in pending(schedule_of(session, child, today)):
        start = max(result.due, today)
        previous = plan.previous(result.dose)
        if previous is not None and previous.id in planned:
            interval = result.dose.min_interval
            start = max(start, interval.after(planned[previous.id]) if interval else planned[previous.id])
        row = existing.pop(result.vaccine, None)
        keep = (
            row is not None
            and row.due == result.due
            and (
                row.target < today
                or (row.target >= start and (not days.known or days.is_meeting(row.target)))
            )
        )
        if row is None:
            row = DoseDue(child_id=child.id, vaccine=result.vaccine)
            session.add(row)
        row.due, row.until = result.due, until
        if not keep:
            row.target = _target(days, start, until)
        planned[result.vaccine] = row.target
    for row in existing.values():
        session.delete(row)
    stamp = session.get(ImmunizationPlan, child.id)
    if stamp is None:
        stamp = ImmunizationPlan(child_id=child.id)
        session.add(stamp)
    stamp.date_of_birth, stamp.posyandu_id, stamp.refreshed_at = child.date_of_birth, posyandu_id, utcnow()
    session.flush()


def refresh_children(session: Session, child_ids: Iterable[int], today: dt.date) -> int:
    ids, count = list(child_ids), 0
    for start in range(0, len(ids), 500):
        for child in session.scalars(select(Child).where(Child.id.in_(ids[start : start + 500]))):
            refresh_child(session, child, today)
            count += 1
    return count


def refresh_posyandu(session: Session, posyandu_id: int, today: dt.date) -> int:
    """After the meeting days changed: re-target the pending doses of every child of the posyandu."""
    days = load_days(session, posyandu_id)
    children = session.scalars(
        select(Child).join(Contact, Child.mother_id == Contact.id).where(Contact.posyandu_id == posyandu_id)
    ).all()
    for child in children:
        refresh_child(session, child, today, days)
    return len(children)


def stale_children(session: Session, limit: int | None = SYNC_BATCH) -> list[int]:
    """Children with no plan yet, or whose birth date or posyandu changed since (one set-based query)."""
    query = (
        select(Child.id)
        .join(Contact, Child.mother_id == Contact.id)
        .outerjoin(ImmunizationPlan, ImmunizationPlan.child_id == Child.id)
        .where(
            Contact.erased_at.is_(None),
            or_(
                ImmunizationPlan.child_id.is_(None),
                ImmunizationPlan.date_of_birth != Child.date_of_birth,
                ImmunizationPlan.posyandu_id.is_distinct_from(Contact.posyandu_id),
            ),
        )
        .limit(limit)
    )
    return list(session.scalars(query))


def cancel_pending_reminders(session: Session, child_id: int) -> int:
    """Drop the child's reminders not sent yet (a dose was recorded): the next run sends what remains."""
    rows = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.ref == reminder_ref(child_id), OutboxMessage.status == OutboxStatus.PENDING
        )
    ).all()
    for row in rows:
        session.execute(
            delete(ImmunizationReminder).where(ImmunizationReminder.outbox_key == row.idempotency_key)
        )
        session.delete(row)
    session.flush()
    return len(rows)


def record_dose(
    session: Session,
    child: Child,
    vaccine: str,
    given_on: dt.date,
    *,
    source: str,
    recorded_by: int | None,
    today: dt.date,
) -> bool:
    """Record (or correct) a dose; returns True when it was new. The child's plan follows."""
    national_schedule().dose(vaccine)  # raises UnknownVaccine
    row = session.scalar(
        select(ImmunizationDose).where(
            ImmunizationDose.child_id == child.id, ImmunizationDose.vaccine == vaccine
        )
    )
    new = row is None
    if row is None:
        row = ImmunizationDose(child_id=child.id, vaccine=vaccine, created_at=utcnow())
        session.add(row)
    row.given_on, row.source, row.recorded_by = given_on, source, recorded_by
    session.flush()
    cancel_pending_reminders(session, child.id)
    refresh_child(session, child, today)
    return new


def remove_dose(session: Session, child: Child, vaccine: str, today: dt.date) -> bool:
    """Delete a dose recorded by mistake; its reminders come back if it is still due."""
    result = session.execute(
        delete(ImmunizationDose).where(
            ImmunizationDose.child_id == child.id, ImmunizationDose.vaccine == vaccine
        )
    )
    refresh_child(session, child, today)
    return bool(getattr(result, "rowcount", 0))
