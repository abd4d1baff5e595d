"""Shared set-up for the immunization tests: a posyandu with meeting days, a mother, a child."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy.orm import Session

from db.models import Child, Contact, Posyandu
from flows.services.immunization_plans import refresh_child
from flows.services.posyandu_calendar import MeetingRule
from flows.services.posyandu_days import save_rule

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
OFFSETS = {WIB: 7, WITA: 8, WIT: 9}
#: Every 2nd Tuesday: in 2026 the 10th of March, 14th of April, 12th of May, 9th of June ...
SECOND_TUESDAY = MeetingRule(weekday=1, week=2)

_phones = itertools.count(1)


def posyandu(
    session: Session, name: str = "Melati", zone: str = WIB, rule: MeetingRule | None = SECOND_TUESDAY
) -> Posyandu:
    post = Posyandu(name=name, timezone=zone)
    session.add(post)
    session.flush()
    if rule is not None:
        save_rule(session, post.id, rule, by=None)
    return post


def mother(session: Session, post: Posyandu | None, *, name: str = "Siti", **changes: object) -> Contact:
    fields: dict[str, object] = {
        "phone": f"+62812340{next(_phones):05d}",
        "role": "ibu",
        "name": name,
        "posyandu_id": post.id if post is not None else None,
        "consent_given_at": dt.datetime(2026, 1, 1),
        "registered_at": dt.datetime(2026, 1, 1),
    }
    contact = Contact(**{**fields, **changes})
    session.add(contact)
    session.flush()
    return contact


def child(session: Session, mom: Contact, born: dt.date, today: dt.date, name: str = "Budi") -> Child:
    kid = Child(mother_id=mom.id, name=name, sex="L", date_of_birth=born)
    session.add(kid)
    session.flush()
    session.refresh(mom)
    refresh_child(session, kid, today)
    return kid


def utc(local: dt.datetime, zone: str) -> dt.datetime:
    """A local wall-clock time in ``zone`` as naive UTC."""
    return local - dt.timedelta(hours=OFFSETS[zone])
