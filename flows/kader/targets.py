"""``SASARAN``: the children a kader should look out for at the next posyandu day.

- Immunization: doses planned for that day or an earlier one and still allowed on it (``dose_due``:
  ``target`` on or before the day, ``until`` not before it), per vaccine; past their due date they are
  marked late.
- Weighing: children under five of the posyandu not weighed for two months (no ``growth_measurement``
  since), with the last weighing date.

Two set-based queries; the lists are cut to a readable length with the number left out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from db.models import Child, Contact, DoseDue, GrowthMeasurement, Posyandu, Role
from flows.knowledge.immunization import vaccine_name
from flows.knowledge.immunization_schedule import add_months, national_schedule
from flows.services.posyandu_days import load_days
from messages_id import _, format_date, format_short_date

#: Names listed per vaccine and for weighing before "... and N more".
LISTED = 12
#: Children of this age or older are not weighed at the posyandu any more.
UNDER_FIVE_MONTHS = 60
NOT_WEIGHED_MONTHS = 2


@dataclass(frozen=True)
class DueChild:
    child: str
    mother: str
    vaccine: str
    due: dt.date
    late: bool


@dataclass(frozen=True)
class Unweighed:
    child: str
    mother: str
    last: dt.date | None


def due_children(session: Session, posyandu_id: int, day: dt.date, today: dt.date) -> list[DueChild]:
    rows = session.execute(
        select(Child.name, Contact.name, DoseDue.vaccine, DoseDue.due)
        .select_from(DoseDue)
        .join(Child, Child.id == DoseDue.child_id)
        .join(Contact, Contact.id == Child.mother_id)
        .where(
            Contact.posyandu_id == posyandu_id,
            Contact.role == Role.IBU,
            Contact.erased_at.is_(None),
            DoseDue.target <= day,
            or_(DoseDue.until.is_(None), DoseDue.until >= day),
        )
        .order_by(DoseDue.due, Child.name)
    )
    return [DueChild(child, mother or "-", vaccine, due, due < today) for child, mother, vaccine, due in rows]


def unweighed_children(session: Session, posyandu_id: int, today: dt.date) -> list[Unweighed]:
    since = add_months(today, -NOT_WEIGHED_MONTHS)
    last = (
        select(GrowthMeasurement.child_id, func.max(GrowthMeasurement.measured_on).label("last"))
        .where(GrowthMeasurement.weight_kg.is_not(None))
        .group_by(GrowthMeasurement.child_id)
        .subquery()
    )
    rows = session.execute(
        select(Child.name, Contact.name, last.c.last)
        .join(Contact, Contact.id == Child.mother_id)
        .outerjoin(last, last.c.child_id == Child.id)
        .where(
            Contact.posyandu_id == posyandu_id,
            Contact.role == Role.IBU,
            Contact.erased_at.is_(None),
            Child.date_of_birth > add_months(today, -UNDER_FIVE_MONTHS),
            Child.date_of_birth <= today,
            or_(last.c.last.is_(None), last.c.last < since),
        )
        .order_by(last.c.last.is_not(None), last.c.last, Child.name)
    )
    return [Unweighed(child, mother or "-", last_on) for child, mother, last_on in rows]


def _cut(names: list[str]) -> str:
    shown = ", ".join(names[:LISTED])
    if len(names) > LISTED:
        shown += " " + _("... and {n} more").format(n=len(names) - LISTED)
    return shown


def _immunization_text(due: list[DueChild]) -> str:
    by_vaccine: dict[str, list[DueChild]] = defaultdict(list)
    for row in due:
        by_vaccine[row.vaccine].append(row)
    order = {dose.id: position for position, dose in enumerate(national_schedule().doses)}
    lines = []
    for vaccine in sorted(by_vaccine, key=lambda v: order.get(v, 99)):
        rows = by_vaccine[vaccine]
        names = [
            _("{child} (Bunda {mother}, late)").format(child=r.child, mother=r.mother)
            if r.late
            else _("{child} (Bunda {mother})").format(child=r.child, mother=r.mother)
            for r in rows
        ]
        lines.append(f"- {vaccine_name(vaccine)} ({len(rows)}): {_cut(names)}")
    return "\n".join(lines)


def _weighing_text(unweighed: list[Unweighed]) -> str:
    names = [
        _("{child} (Bunda {mother}, last {date})").format(
            child=r.child, mother=r.mother, date=format_short_date(r.last)
        )
        if r.last is not None
        else _("{child} (Bunda {mother}, never)").format(child=r.child, mother=r.mother)
        for r in unweighed
    ]
    return _cut(names)


def targets(session: Session, posyandu: Posyandu, today: dt.date) -> list[str]:
    """The SASARAN messages (one for immunization, one for weighing)."""
    days = load_days(session, posyandu.id)
    day = days.next_meeting(today) if days.known else None
    if day is None:
        first = _("The posyandu day is not set yet (JADWAL), so here is what is due in the next 7 days.")
        day = today + dt.timedelta(days=7)
    else:
        first = _("Next posyandu day: {date}.").format(date=format_date(day))
    due = due_children(session, posyandu.id, day, today)
    if due:
        children = len({(r.child, r.mother) for r in due})
        immunization = _("Immunization due or late ({children} children):\n{lines}").format(
            children=children, lines=_immunization_text(due)
        )
    else:
        immunization = _("No immunization due or late.")
    unweighed = unweighed_children(session, posyandu.id, today)
    if unweighed:
        weighing = _("Not weighed for 2 months ({count} children): {names}").format(
            count=len(unweighed), names=_weighing_text(unweighed)
        )
    else:
        weighing = _("Every child under five was weighed in the last 2 months.")
    return [f"{first}\n{immunization}", weighing]
