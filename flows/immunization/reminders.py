"""Immunization reminders: who is due on a local date (one set-based query) and the messages.

For each dose still to give (``dose_due``) and the posyandu day it should be given on (``target``):

====================  =====================================  ==========================
step (``kind``)        sent on (local date)                   at (local time)
====================  =====================================  ==========================
``h-7``                7 days before the posyandu day          09:00
``h-1``                the day before                          16:00
``h0``                 the morning of the posyandu day         07:00
``overdue1..3``        3, 14 and 28 days after it, if still    10:00
                       not recorded and still allowed
====================  =====================================  ==========================

Every (child, vaccine, step, posyandu day) is logged in ``immunization_reminder`` (unique), so it is
enqueued at most once whatever runs twice. After downtime the scheduler still sends what is useful
(``catch_up``): an ``h-7`` up to 3 days before the posyandu day, an overdue follow-up up to 2 days late;
``h-1`` and ``h0`` only on their own day. What can no longer arrive in time is logged as stale.
Only mothers who consented and did not opt out are selected; ``flows.core.notify`` checks it again, keeps
daytime (07:00-20:00 local) and stores the template for outside WhatsApp's 24-hour window.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, Select, String, Subquery, exists, func, literal, null, or_, select, union_all
from sqlalchemy.orm import Session

from db.models import Child, Contact, DoseDue, ImmunizationReminder, Posyandu, Role, notifiable_contact
from flows.core.localtime import local_today, to_utc
from flows.core.notify import DAY_ENDS, next_daytime, notify
from flows.knowledge.immunization import vaccine_name
from flows.services.immunization_plans import reminder_ref
from flows.services.posyandu_calendar import PosyanduDays
from flows.services.posyandu_days import load_days
from messages_id import _, format_date

#: step → days from the posyandu day to the day the reminder is sent (negative: before it).
STEP_OFFSETS = {"h-7": -7, "h-1": -1, "h0": 0, "overdue1": 3, "overdue2": 14, "overdue3": 28}
#: step → local hour it is sent at.
STEP_HOURS = {"h-7": 9, "h-1": 16, "h0": 7, "overdue1": 10, "overdue2": 10, "overdue3": 10}
#: step → how many days late it may still go out after downtime (catch-up).
STEP_GRACE = {"h-7": 4, "h-1": 0, "h0": 0, "overdue1": 2, "overdue2": 2, "overdue3": 2}
#: The h0 reminder is useless once the posyandu morning is over.
H0_LAST_HOUR = dt.time(12, 0)


def public_kind(step: str) -> str:
    """The contract's kind: ``h-7``, ``h-1``, ``h0`` or ``overdue``."""
    return "overdue" if step.startswith("overdue") else step


#: One selected reminder: a SQL row with ``contact_id, phone, mother, child_id, child, vaccine, step,
#: target, due, timezone, posyandu_id, posyandu`` (the selection returns rows as they come, no copies).
Due = Row[Any]


def step_windows(on: dt.date, *, catch_up: bool) -> dict[str, tuple[dt.date, dt.date]]:
    """step → the posyandu days [first, last] whose reminder of that step is due on ``on``."""
    windows = {}
    for step, offset in STEP_OFFSETS.items():
        last = on - dt.timedelta(days=offset)
        grace = STEP_GRACE[step] if catch_up else 0
        windows[step] = (last - dt.timedelta(days=grace), last)
    return windows


def _pending_doses(on: dt.date, windows: dict[str, tuple[dt.date, dt.date]]) -> Subquery:
    """The doses whose reminder is due on ``on``, minus the steps already logged: one branch per step
    and posyandu day, each an index seek on ``dose_due.target``, with its step and limits as literals.

    Literals per branch (instead of one ``target IN (...)`` and a ``CASE`` for the step) let the
    planner estimate each day from its statistics and look the reminder log up by (day, step), so
    PostgreSQL joins the few tens of thousands of rows by index instead of scanning every child.
    """
    branches = []
    for step, (first, last) in windows.items():
        for n in range((last - first).days + 1):
            day = first + dt.timedelta(days=n)
            # h-7/h-1/h0: the dose must still be allowed on the posyandu day; overdue: today.
            allowed_on = max(day, on)
            already = exists().where(
                ImmunizationReminder.target == day,
                ImmunizationReminder.step == step,
                ImmunizationReminder.child_id == DoseDue.child_id,
                ImmunizationReminder.vaccine == DoseDue.vaccine,
            )
            branches.append(
                select(
                    DoseDue.child_id,
                    DoseDue.vaccine,
                    literal(step, String).label("step"),
                    DoseDue.target,
                    DoseDue.due,
                ).where(
                    DoseDue.target == day,
                    or_(DoseDue.until.is_(None), DoseDue.until >= allowed_on),
                    ~already,
                )
            )
    return union_all(*branches).subquery("pending")


def due_query(
    on: dt.date, *, zone: str | None = None, default_timezone: str = "Asia/Jakarta", catch_up: bool = False
) -> Select:
    """The reminders due on ``on``: the pending doses of each step's days (``_pending_doses``), joined
    with the child and its mother (consent, opt-out).

    Windows never overlap, so each row gets exactly one step. Without ``zone`` the posyandu is not
    joined (the dry run needs no time zone).
    """
    pending = _pending_doses(on, step_windows(on, catch_up=catch_up))
    posyandu_columns = (Posyandu.timezone, Posyandu.name) if zone else (null(), null())
    query = (
        select(
            Contact.id.label("contact_id"),
            Contact.phone.label("phone"),
            Contact.name.label("mother"),
            Child.id.label("child_id"),
            Child.name.label("child"),
            pending.c.vaccine.label("vaccine"),
            pending.c.step.label("step"),
            pending.c.target.label("target"),
            pending.c.due.label("due"),
            posyandu_columns[0].label("timezone"),
            Contact.posyandu_id.label("posyandu_id"),
            posyandu_columns[1].label("posyandu"),
        )
        .select_from(pending)
        .join(Child, Child.id == pending.c.child_id)
        .join(Contact, Contact.id == Child.mother_id)
        .where(Contact.role == Role.IBU, notifiable_contact())
    )
    if zone is not None:
        query = query.outerjoin(Posyandu, Posyandu.id == Contact.posyandu_id).where(
            func.coalesce(Posyandu.timezone, default_timezone) == zone
        )
    return query


def select_due(
    session: Session,
    on: dt.date,
    *,
    zone: str | None = None,
    default_timezone: str = "Asia/Jakarta",
    catch_up: bool = False,
) -> list[Due]:
    """Every reminder due on the local date ``on`` (for one time zone, or all), not yet enqueued."""
    query = due_query(on, zone=zone, default_timezone=default_timezone, catch_up=catch_up)
    # Plain column rows need no ORM loading: run on the session's connection (after its pending
    # changes are flushed, as ``session.execute`` would).
    session.flush()
    return list(session.connection().execute(query).all())


# -- messages ------------------------------------------------------------------------------------


def _when(step: str, target: dt.date) -> str:
    day = format_date(target)
    if step == "h0":
        return _("today, {date}").format(date=day)
    if step == "h-1":
        return _("tomorrow, {date}").format(date=day)
    return day


def _place(group: list[Due]) -> str:
    name = group[0].posyandu
    if name and group[0].posyandu_id is not None:
        return _("Posyandu {name}").format(name=name)
    return _("your posyandu or the puskesmas")


def compose(group: list[Due], next_day: dt.date | None) -> tuple[str, str, dict[str, str]]:
    """Free text, template name and template variables for one child's reminder of one step."""
    first = group[0]
    vaccines = ", ".join(vaccine_name(due.vaccine) for due in group)
    mother = first.mother or _("Mother")
    if public_kind(first.step) != "overdue":
        when, place = _when(first.step, first.target), _place(group)
        body = _(
            "Hello Bunda {mother}, a reminder: {child} is due for immunization {vaccines} on {when} at "
            "{place}. Please bring the Buku KIA. If the child is unwell, come anyway and tell the "
            "health worker. Type IMUNISASI to see the schedule, STOP to stop messages."
        ).format(mother=mother, child=first.child, vaccines=vaccines, when=when, place=place)
        variables = {"nama": mother, "anak": first.child, "vaksin": vaccines, "waktu": when, "tempat": place}
        return body, "pengingat_imunisasi", variables
    due_text = format_date(min(due.due for due in group), "d MMMM y")
    if next_day is not None:
        advice = _("The next posyandu day is {date}.").format(date=format_date(next_day))
    else:
        advice = _("Ask the kader for the next posyandu day, or go to the puskesmas.")
    body = _(
        "Hello Bunda {mother}, immunization {vaccines} for {child} (due {due}) is not recorded yet. "
        "It is not too late: a late dose is simply given now, there is no need to start again. {advice} "
        "If it was already given, type IMUNISASI to record it. STOP to stop messages."
    ).format(mother=mother, vaccines=vaccines, child=first.child, due=due_text, advice=advice)
    variables = {"nama": mother, "vaksin": vaccines, "anak": first.child, "jadwal": due_text, "saran": advice}
    return body, "imunisasi_terlewat", variables


def _deadline(step: str, target: dt.date, zone: ZoneInfo) -> dt.datetime:
    """The last moment a step's message is still worth sending (naive UTC)."""
    if step == "h0":
        return to_utc(target, H0_LAST_HOUR, zone)
    last_day = target + dt.timedelta(days=STEP_OFFSETS[step] + STEP_GRACE[step])
    return to_utc(last_day, DAY_ENDS, zone)


def enqueue_due(session: Session, now: dt.datetime, default_timezone: str) -> dict[str, int]:
    """Enqueue today's reminders in every time zone (with catch-up); returns counts per outcome."""
    zones = {default_timezone} | set(session.scalars(select(Posyandu.timezone).distinct()))
    counts: dict[str, int] = defaultdict(int)
    for zone_name in sorted(z for z in zones if z):
        zone = ZoneInfo(zone_name)
        today = local_today(now, zone)
        rows = select_due(session, today, zone=zone_name, default_timezone=default_timezone, catch_up=True)
        groups: dict[tuple[int, str, dt.date], list[Due]] = defaultdict(list)
        for row in rows:
            groups[(row.child_id, row.step, row.target)].append(row)
        days_cache: dict[int | None, PosyanduDays] = {}
        for (child_id, step, target), group in groups.items():
            group.sort(key=lambda due: due.vaccine)
            key = f"immunization:{child_id}:{step}:{target.isoformat()}:{'+'.join(d.vaccine for d in group)}"
            send_day = target + dt.timedelta(days=STEP_OFFSETS[step])
            not_before = max(now, to_utc(send_day, dt.time(STEP_HOURS[step]), zone))
            outcome = (
                "stale" if next_daytime(not_before, zone) > _deadline(step, target, zone) else "enqueued"
            )
            if outcome == "enqueued":
                next_day = None
                if public_kind(step) == "overdue":
                    posyandu_id = group[0].posyandu_id
                    if posyandu_id not in days_cache:
                        days_cache[posyandu_id] = load_days(session, posyandu_id)
                    days = days_cache[posyandu_id]
                    next_day = days.next_meeting(today) if days.known else None
                body, template, variables = compose(group, next_day)
                contact = session.get(Contact, group[0].contact_id)
                assert contact is not None
                added = notify(
                    session,
                    contact,
                    key=key,
                    body=body,
                    template=template,
                    variables=variables,
                    now=now,
                    default_timezone=default_timezone,
                    kind="reminder",
                    ref=reminder_ref(child_id),
                    not_before=not_before,
                )
                outcome = "enqueued" if added else "refused"
            for due in group:
                session.add(
                    ImmunizationReminder(
                        child_id=due.child_id,
                        vaccine=due.vaccine,
                        step=step,
                        target=target,
                        outcome=outcome,
                        outbox_key=key if outcome == "enqueued" else None,
                        created_at=now,
                    )
                )
            counts[outcome] += 1
        session.flush()
    return dict(counts)


__all__ = ["Due", "compose", "enqueue_due", "public_kind", "select_due", "step_windows"]
