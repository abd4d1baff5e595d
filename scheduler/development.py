"""The development-check job: invite mothers when a child reaches a milestone band (3, 6, 9 ... months).

Set-based: one SELECT finds, for every band at once, the children who reached it in the last
``INVITE_WITHIN`` days (a date range of birth per band) and have no check for it yet; each gets a
``development_check`` row (so never twice) and an invitation through ``notify`` (daytime, consent,
template ``cek_perkembangan`` outside the 24-hour window). The mother starts it by answering "ya".
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, exists, or_, select
from sqlalchemy.orm import Session

from db.models import Child, Contact, DevelopmentCheck
from flows.core.localtime import local_today
from flows.core.notify import notify
from flows.growth.development import bands, invitation_message
from scheduler.jobs import enqueue_counted

#: A band reached longer ago than this (the clock was down, the child was registered later) is not offered.
INVITE_WITHIN = dt.timedelta(days=14)
TEMPLATE = "cek_perkembangan"


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for candidate in range(day.day, 27, -1):
        try:
            return dt.date(year, month + 1, candidate)
        except ValueError:
            continue
    return dt.date(year, month + 1, min(day.day, 28))


def enqueue_development_invitations(session: Session, now: dt.datetime, default_timezone: str) -> int:
    """Invite for every band reached in the last two weeks and not checked yet; returns the count."""
    today = local_today(now, ZoneInfo(default_timezone))
    ranges = [
        (months, months_before(today, months) - INVITE_WITHIN, months_before(today, months))
        for months in bands()
    ]
    in_band = [and_(Child.date_of_birth > low, Child.date_of_birth <= high) for _, low, high in ranges]
    band = case(*[(condition, months) for condition, (months, _, _) in zip(in_band, ranges, strict=True)])
    rows = session.execute(
        select(Child, Contact, band.label("band"))
        .join(Contact, Child.mother_id == Contact.id)
        .where(
            or_(*in_band),
            Contact.opted_out_at.is_(None),
            Contact.erased_at.is_(None),
            Contact.consent_given_at.is_not(None),
            Contact.consent_withdrawn_at.is_(None),
            ~exists().where(DevelopmentCheck.child_id == Child.id, DevelopmentCheck.band_months == band),
        )
        .order_by(Child.id)
    ).all()
    invited = 0
    for child, mother, months in rows:
        session.add(DevelopmentCheck(child_id=child.id, band_months=months, invited_at=now))
        body, variables = invitation_message(mother.name or "", child.name, months)
        if notify(
            session,
            mother,
            key=f"development-invite:{child.id}:{months}",
            body=body,
            template=TEMPLATE,
            variables=variables,
            now=now,
            default_timezone=default_timezone,
            kind="checkin",
            ref=f"child:{child.id}",
        ):
            invited += 1
    return invited


def enqueue_development_checks() -> int:
    """The scheduler job."""
    return enqueue_counted(enqueue_development_invitations, "invited %d mothers to a development check")
