"""Reading and changing a posyandu's meeting days in the database (rule + exceptions), and telling them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.models import Posyandu, PosyanduCalendar, PosyanduException, utcnow
from flows.services.posyandu_calendar import NO_CALENDAR, MeetingRule, PosyanduDays
from messages_id import _, format_date

#: How many meeting days the schedule lists.
SHOWN = 3


def load_days(session: Session, posyandu_id: int | None) -> PosyanduDays:
    """The posyandu's rule and exceptions (no rule and no exceptions when it has none)."""
    if posyandu_id is None:
        return NO_CALENDAR
    row = session.get(PosyanduCalendar, posyandu_id)
    rule = MeetingRule(weekday=row.weekday, week=row.week, monthday=row.monthday) if row is not None else None
    exceptions = {
        exception.on_date: exception.moved_to
        for exception in session.scalars(
            select(PosyanduException).where(PosyanduException.posyandu_id == posyandu_id)
        )
    }
    return PosyanduDays(rule=rule, exceptions=exceptions)


def save_rule(session: Session, posyandu_id: int, rule: MeetingRule, by: int | None) -> None:
    row = session.get(PosyanduCalendar, posyandu_id)
    if row is None:
        row = PosyanduCalendar(posyandu_id=posyandu_id)
        session.add(row)
    row.weekday, row.week, row.monthday = rule.weekday, rule.week, rule.monthday
    row.updated_by, row.updated_at = by, utcnow()
    session.flush()


def save_exception(
    session: Session, posyandu_id: int, on_date: dt.date, moved_to: dt.date | None, by: int | None
) -> None:
    """Cancel the meeting of ``on_date`` (``moved_to`` None) or move it; replaces an earlier exception."""
    session.execute(
        delete(PosyanduException).where(
            PosyanduException.posyandu_id == posyandu_id, PosyanduException.on_date == on_date
        )
    )
    session.add(PosyanduException(posyandu_id=posyandu_id, on_date=on_date, moved_to=moved_to, created_by=by))
    session.flush()


def clear_exception(session: Session, posyandu_id: int, on_date: dt.date) -> bool:
    result = session.execute(
        delete(PosyanduException).where(
            PosyanduException.posyandu_id == posyandu_id, PosyanduException.on_date == on_date
        )
    )
    return bool(getattr(result, "rowcount", 0))


def describe(days: PosyanduDays, posyandu: Posyandu, today: dt.date) -> str:
    """The posyandu's schedule in Indonesian: its rule, the next meeting days and changes ahead."""
    if not days.known:
        return _("The meeting days of Posyandu {name} are not set yet.").format(name=posyandu.name)
    lines = []
    if days.rule is not None:
        lines.append(_("Posyandu {name} meets {rule}.").format(name=posyandu.name, rule=days.rule.describe()))
    upcoming = days.between(today, today + dt.timedelta(days=400))[:SHOWN]
    if upcoming:
        lines.append(
            _("Next meeting days: {dates}.").format(dates="; ".join(format_date(d) for d in upcoming))
        )
    for regular, moved in sorted(days.exceptions.items()):
        if regular < today:
            continue
        if moved is None:
            lines.append(_("Cancelled: {date}.").format(date=format_date(regular)))
        else:
            lines.append(
                _("Moved: {date} to {new}.").format(date=format_date(regular), new=format_date(moved))
            )
    return "\n".join(lines)
