"""The ASI check-in job: enqueue the check-ins that are due, one per plan, through ``notify``.

Set-based: one UPDATE stops the plans of mothers who typed STOP after the plan was made, one SELECT
finds the due check-ins of running plans. Nothing is sent here; ``notify`` refuses opted-out mothers,
keeps daytime and stores the template form for outside WhatsApp's 24-hour window.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from db.models import AsiCheckin, AsiPlan, Child, Contact, Event
from flows.asi.checkin import checkin_message
from flows.core.notify import notify
from scheduler.jobs import enqueue_counted

#: A check-in more than this late (the clock was down) is not sent any more.
STALE_AFTER = dt.timedelta(days=2)
TEMPLATE = "asi_checkin"


def stop_opted_out_plans(session: Session, now: dt.datetime) -> int:
    """Plans of mothers who opted out after making them stop for good (MULAI does not restart them)."""
    opted_out = exists().where(
        Event.actor_id == AsiPlan.mother_id, Event.kind == "opted_out", Event.at >= AsiPlan.created_at
    )
    result = session.execute(
        update(AsiPlan)
        .where(AsiPlan.stopped_at.is_(None), opted_out)
        .values(stopped_at=now, stop_reason="opted_out")
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def enqueue_due_checkins(session: Session, now: dt.datetime, default_timezone: str) -> int:
    """Enqueue every due check-in (the latest per plan; older missed ones are skipped); returns the count."""
    stop_opted_out_plans(session, now)
    rows = session.execute(
        select(AsiCheckin, AsiPlan, Contact, Child)
        .join(AsiPlan, AsiCheckin.plan_id == AsiPlan.id)
        .join(Contact, AsiPlan.mother_id == Contact.id)
        .join(Child, AsiPlan.child_id == Child.id)
        .where(
            AsiCheckin.sent_at.is_(None),
            AsiCheckin.due_at <= now,
            AsiCheckin.due_at > now - STALE_AFTER,
            AsiPlan.stopped_at.is_(None),
            Contact.opted_out_at.is_(None),
            Contact.erased_at.is_(None),
        )
        .order_by(AsiCheckin.plan_id, AsiCheckin.due_at.desc())
    ).all()
    enqueued, seen = 0, set()
    for checkin, plan, contact, child in rows:
        checkin.sent_at = now
        if plan.id in seen:
            checkin.answer = "skipped"
            continue
        seen.add(plan.id)
        body, variables = checkin_message(contact, child, checkin.kind)
        if notify(
            session,
            contact,
            key=f"asi-checkin:{checkin.id}",
            body=body,
            template=TEMPLATE,
            variables=variables,
            now=now,
            default_timezone=default_timezone,
            kind="checkin",
            ref=f"asi_plan:{plan.id}",
        ):
            enqueued += 1
    return enqueued


def enqueue_asi_checkins() -> int:
    """The scheduler job."""
    return enqueue_counted(enqueue_due_checkins, "enqueued %d ASI check-ins")
