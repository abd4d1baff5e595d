"""Kader announcements: who receives them, when they fire, and the fan-out into the outbox.

An announcement goes to one audience of one posyandu's mothers (``all``, ``under2``: mothers of a
child under two, ``pregnant``, ``overdue``: mothers of a child with an immunization dose past due and
still allowed). It is sent now, once at a local date and hour, or monthly a number of days before each
posyandu day (``flows.services.posyandu_calendar``). Each firing is an ``announcement_run`` (unique per local
run date) and becomes one outbox row per recipient in one bulk INSERT, keyed
``ann:<id>:<run date>:<contact id>``: a second firing, a retried confirmation or two scheduler runs
add nothing. The rules of ``flows.core.notify`` hold (consent, opt-out, daytime, a template outside the
24-hour window) and the sender number's daily limit splits a large broadcast over days
(``flows.core.daily_limit``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, exists, func, or_, select, true
from sqlalchemy.orm import Session

from db.models import (
    Announcement,
    AnnouncementRun,
    Child,
    Contact,
    DoseDue,
    OutboxMessage,
    OutboxStatus,
    Posyandu,
    Pregnancy,
    Role,
    notifiable_contact,
)
from flows.core.daily_limit import spread_over_days
from flows.core.localtime import local_today, to_local, to_utc
from flows.core.notify import Recipient, next_daytime, notify, notify_many, one_line
from flows.core.settings import FlowSettings
from flows.knowledge.immunization_schedule import add_months
from flows.services.posyandu_days import load_days
from messages_id import N_, _, format_date, format_number, format_time

ALL, UNDER2, PREGNANT, OVERDUE = "all", "under2", "pregnant", "overdue"
AUDIENCES = (ALL, UNDER2, PREGNANT, OVERDUE)
AUDIENCE_LABELS = {
    ALL: N_("all mothers of the posyandu"),
    UNDER2: N_("mothers of children under 2"),
    PREGNANT: N_("pregnant women"),
    OVERDUE: N_("mothers of a child with an overdue immunization"),
}
ONCE, MONTHLY = "once", "monthly"
SCHEDULED, DONE, CANCELLED, MISSED = "scheduled", "done", "cancelled", "missed"
#: Longest announcement text (it also travels as one template variable).
MAX_TEXT = 600
#: A one-off announcement more than this late (the scheduler was down) is not sent any more.
MAX_LATE = dt.timedelta(hours=12)
#: A pregnancy whose due date passed this long ago no longer counts as "pregnant".
PREGNANCY_GRACE = dt.timedelta(days=30)
TEMPLATE = "pengumuman_posyandu"
REPORT_TEMPLATE = "laporan_pengumuman"
DEFAULT_TIME = dt.time(8, 0)


def audience_label(audience: str) -> str:
    return _(AUDIENCE_LABELS[audience])


def ref_of(announcement_id: int) -> str:
    """The outbox ``ref`` of an announcement's messages (the delivery report groups by it)."""
    return f"announcement:{announcement_id}"


def zone_of(posyandu: Posyandu, default: str) -> ZoneInfo:
    return ZoneInfo(posyandu.timezone or default)


# -- the audience --------------------------------------------------------------------------------


def _audience_condition(audience: str, today: dt.date) -> ColumnElement[bool]:
    if audience == UNDER2:
        return exists().where(Child.mother_id == Contact.id, Child.date_of_birth > add_months(today, -24))
    if audience == PREGNANT:
        return exists().where(
            Pregnancy.mother_id == Contact.id,
            Pregnancy.ended_at.is_(None),
            or_(Pregnancy.hpl.is_(None), Pregnancy.hpl >= today - PREGNANCY_GRACE),
        )
    if audience == OVERDUE:
        return exists().where(
            Child.mother_id == Contact.id,
            DoseDue.child_id == Child.id,
            DoseDue.due < today,
            or_(DoseDue.until.is_(None), DoseDue.until >= today),
        )
    if audience == ALL:
        return true()
    raise ValueError(f"unknown audience {audience!r}")


def _mothers(posyandu_id: int, audience: str, today: dt.date) -> Select:
    return select(Contact.id, Contact.phone, Contact.name).where(
        Contact.posyandu_id == posyandu_id,
        Contact.role == Role.IBU,
        Contact.erased_at.is_(None),
        _audience_condition(audience, today),
    )


def recipients(
    session: Session, posyandu_id: int, audience: str, today: dt.date
) -> list[tuple[int, str, str]]:
    """(contact id, phone, name) of every mother of the audience who may be messaged, by id."""
    query = _mothers(posyandu_id, audience, today).where(notifiable_contact()).order_by(Contact.id)
    return [(row[0], row[1], row[2] or "") for row in session.execute(query)]


@dataclass(frozen=True)
class AudienceCount:
    reachable: int
    #: Mothers of the audience who stopped messages or withdrew consent (they get nothing).
    stopped: int


def count_audience(session: Session, posyandu_id: int, audience: str, today: dt.date) -> AudienceCount:
    mothers = _mothers(posyandu_id, audience, today).subquery()
    total = session.scalar(select(func.count()).select_from(mothers)) or 0
    reachable = (
        session.scalar(
            select(func.count()).select_from(
                _mothers(posyandu_id, audience, today).where(notifiable_contact()).subquery()
            )
        )
        or 0
    )
    return AudienceCount(reachable=reachable, stopped=total - reachable)


# -- the message -----------------------------------------------------------------------------------


def compose(
    posyandu: str, mother: str, text: str, posyandu_day: dt.date | None
) -> tuple[str, dict[str, str]]:
    """Free text and template variables of one mother's copy (ends with how to reply)."""
    message = text.strip()
    if posyandu_day is not None:
        message += "\n" + _("Posyandu day: {date}.").format(date=format_date(posyandu_day))
    body = _(
        "Hello Bunda {name}, an announcement from Posyandu {posyandu}:\n\n{text}\n\n"
        "Questions? Just reply to this message. Type BIDAN and your question to ask the bidan, MENU for the "
        "menu, STOP to stop messages."
    ).format(name=mother, posyandu=posyandu, text=message)
    variables = {"nama": mother, "posyandu": posyandu, "pesan": one_line(message)}
    return body, variables


# -- firing ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunResult:
    recipients: int
    added: int
    #: Recipients left for a later day by the daily limit.
    deferred: int
    first_at: dt.datetime | None
    last_at: dt.datetime | None
    new_run: bool


def fan_out(
    session: Session,
    announcement: Announcement,
    run_date: dt.date,
    now: dt.datetime,
    settings: FlowSettings,
    posyandu_day: dt.date | None = None,
) -> RunResult:
    """One firing: one outbox row per recipient (bulk), and its run recorded; a repeat adds nothing."""
    posyandu = announcement.posyandu
    zone = zone_of(posyandu, settings.timezone)
    today = local_today(now, zone)
    mothers = recipients(session, posyandu.id, announcement.audience, today)
    times = spread_over_days(
        session, [phone for _, phone, _ in mothers], now, zone, settings.daily_recipient_limit
    )
    first = min(times, default=None)
    batch = []
    for (contact_id, phone, name), at in zip(mothers, times, strict=True):
        body, variables = compose(posyandu.name, name or _("Mother"), announcement.text, posyandu_day)
        batch.append(
            Recipient(
                contact_id=contact_id,
                phone=phone,
                key=f"ann:{announcement.id}:{run_date.isoformat()}:{contact_id}",
                body=body,
                variables=variables,
                not_before=at,
            )
        )
    added = notify_many(
        session,
        batch,
        template=TEMPLATE,
        now=now,
        zone=zone,
        kind="announcement",
        ref=ref_of(announcement.id),
    )
    start = next_daytime(now, zone)
    deferred = sum(1 for at in times if at > start)
    run = session.scalar(
        select(AnnouncementRun).where(
            AnnouncementRun.announcement_id == announcement.id, AnnouncementRun.run_date == run_date
        )
    )
    new_run = run is None
    if run is None:
        run = AnnouncementRun(
            announcement_id=announcement.id,
            run_date=run_date,
            fired_at=now,
            recipients=len(mothers),
            deferred=deferred,
        )
        session.add(run)
        session.flush()
    return RunResult(
        recipients=len(mothers),
        added=len(added),
        deferred=deferred,
        first_at=first,
        last_at=max(times, default=None),
        new_run=new_run,
    )


def create(
    session: Session,
    posyandu: Posyandu,
    *,
    text: str,
    audience: str,
    repeat: str,
    now: dt.datetime,
    created_by: int | None,
    send_at: dt.datetime | None = None,
    days_before: int | None = None,
    send_time: dt.time | None = None,
) -> Announcement:
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    announcement = Announcement(
        posyandu_id=posyandu.id,
        posyandu=posyandu,
        created_by=created_by,
        text=text.strip(),
        audience=audience,
        repeat=repeat,
        send_at=send_at if repeat == ONCE else None,
        days_before=days_before if repeat == MONTHLY else None,
        send_time=(send_time or DEFAULT_TIME) if repeat == MONTHLY else None,
        status=SCHEDULED,
        created_at=now,
    )
    session.add(announcement)
    session.flush()
    return announcement


def send_now(
    session: Session, announcement: Announcement, now: dt.datetime, settings: FlowSettings
) -> RunResult:
    """Fire a one-off announcement whose time has come (and mark it done)."""
    zone = zone_of(announcement.posyandu, settings.timezone)
    result = fan_out(session, announcement, local_today(now, zone), now, settings)
    announcement.status = DONE
    return result


def monthly_fire(announcement: Announcement, posyandu_day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """When a monthly announcement fires for ``posyandu_day`` (naive UTC)."""
    day = posyandu_day - dt.timedelta(days=announcement.days_before or 0)
    return to_utc(day, announcement.send_time or DEFAULT_TIME, zone)


def next_monthly_run(
    session: Session, announcement: Announcement, now: dt.datetime, default_timezone: str
) -> tuple[dt.date, dt.datetime] | None:
    """The next (posyandu day, firing moment) not fired yet whose moment is after its creation."""
    zone = zone_of(announcement.posyandu, default_timezone)
    days = load_days(session, announcement.posyandu_id)
    if not days.known:
        return None
    fired = set(
        session.scalars(
            select(AnnouncementRun.run_date).where(AnnouncementRun.announcement_id == announcement.id)
        )
    )
    day = local_today(now, zone)
    for _attempt in range(24):
        posyandu_day = days.next_meeting(day)
        if posyandu_day is None:
            return None
        moment = monthly_fire(announcement, posyandu_day, zone)
        if posyandu_day not in fired and moment >= announcement.created_at:
            return posyandu_day, moment
        day = posyandu_day + dt.timedelta(days=1)
    return None


@dataclass
class Fired:
    announcement: Announcement
    run_date: dt.date
    result: RunResult


def fire_due(session: Session, now: dt.datetime, settings: FlowSettings) -> list[Fired]:
    """Every scheduled firing whose local time has come (the scheduler job); each fires once."""
    fired: list[Fired] = []
    once = session.scalars(
        select(Announcement)
        .where(Announcement.status == SCHEDULED, Announcement.repeat == ONCE, Announcement.send_at <= now)
        .order_by(Announcement.id)
    ).all()
    for announcement in once:
        assert announcement.send_at is not None
        if now - announcement.send_at > MAX_LATE:
            announcement.status = MISSED
            continue
        zone = zone_of(announcement.posyandu, settings.timezone)
        run_date = local_today(announcement.send_at, zone)
        result = fan_out(session, announcement, run_date, now, settings)
        announcement.status = DONE
        fired.append(Fired(announcement, run_date, result))
    monthly = session.scalars(
        select(Announcement)
        .where(Announcement.status == SCHEDULED, Announcement.repeat == MONTHLY)
        .order_by(Announcement.id)
    ).all()
    for announcement in monthly:
        upcoming = next_monthly_run(session, announcement, now, settings.timezone)
        if upcoming is None or upcoming[1] > now:
            continue
        posyandu_day = upcoming[0]
        result = fan_out(session, announcement, posyandu_day, now, settings, posyandu_day=posyandu_day)
        fired.append(Fired(announcement, posyandu_day, result))
    for item in fired:
        tell_kader(session, item, now, settings)
    return fired


def sending_summary(result: RunResult, settings: FlowSettings, zone: ZoneInfo, now: dt.datetime) -> str:
    """What the kader is told about a firing: how many now, how many wait for the daily limit."""
    text = _("Announcement sent to {count} mothers.").format(count=format_number(result.recipients))
    if result.first_at is not None and result.first_at > now + dt.timedelta(minutes=1):
        first = to_local(result.first_at, zone)
        text += " " + _("Messages are not sent at night: they go out from {date} {time}.").format(
            date=format_date(first.date(), "d MMMM y"), time=format_time(first)
        )
    if result.deferred and result.last_at is not None:
        text += " " + _(
            "{later} of them get it on the next days (by {date}): the sender number may write to at most "
            "{limit} people a day."
        ).format(
            later=format_number(result.deferred),
            date=format_date(to_local(result.last_at, zone).date(), "d MMMM y"),
            limit=format_number(settings.daily_recipient_limit),
        )
    return text


def tell_kader(session: Session, item: Fired, now: dt.datetime, settings: FlowSettings) -> bool:
    """After a scheduled firing: the kader who wrote it hears how many it went to."""
    announcement = item.announcement
    kader = session.get(Contact, announcement.created_by) if announcement.created_by else None
    if kader is None:
        return False
    zone = zone_of(announcement.posyandu, settings.timezone)
    summary = sending_summary(item.result, settings, zone, now)
    body = _("Announcement {number}: {summary} Type LAPORAN for the delivery report.").format(
        number=announcement.id, summary=summary
    )
    return notify(
        session,
        kader,
        key=f"ann-report:{announcement.id}:{item.run_date.isoformat()}",
        body=body,
        template=REPORT_TEMPLATE,
        variables={"nomor": announcement.id, "pesan": one_line(summary)},
        now=now,
        default_timezone=settings.timezone,
        kind="kader_report",
    )


def cancel(session: Session, announcement: Announcement, now: dt.datetime) -> int:
    """Cancel it: no further firing, and its messages not handed to WhatsApp yet are dropped."""
    announcement.status, announcement.cancelled_at = CANCELLED, now
    pending = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.ref == ref_of(announcement.id), OutboxMessage.status == OutboxStatus.PENDING
        )
    ).all()
    for row in pending:
        session.delete(row)
    session.flush()
    return len(pending)


def describe_when(
    session: Session, announcement: Announcement, now: dt.datetime, default_timezone: str
) -> str:
    """``Tuesday, 12 May 2026 09.00`` or ``monthly, 3 days before each posyandu day at 08.00 (next: ...)``."""
    zone = zone_of(announcement.posyandu, default_timezone)
    if announcement.repeat == ONCE:
        moment = to_local(announcement.send_at or announcement.created_at, zone)
        return f"{format_date(moment.date())} {format_time(moment)}"
    text = _("every month, {days} days before each posyandu day, at {time}").format(
        days=announcement.days_before, time=format_time(announcement.send_time or DEFAULT_TIME)
    )
    upcoming = (
        next_monthly_run(session, announcement, now, default_timezone)
        if announcement.status == SCHEDULED
        else None
    )
    if upcoming is not None:
        moment = to_local(upcoming[1], zone)
        text += " " + _("(next: {date} {time})").format(
            date=format_date(moment.date()), time=format_time(moment)
        )
    return text
