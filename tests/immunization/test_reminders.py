"""Immunization reminders on a moved clock: right local day and hour in WIB/WITA/WIT, never at night,
never twice, catch-up after downtime, template outside the 24-hour window, nobody who opted out."""

from __future__ import annotations

import datetime as dt

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.runtime import Runtime
from db.models import Contact, DoseDue, ImmunizationReminder, OutboxMessage
from db.session import transaction
from flows.core.notify import decide, templates
from flows.core.settings import FlowSettings
from flows.immunization.reminders import select_due
from flows.services.immunization_plans import record_dose
from scheduler import clock, immunization
from tests.immunization.support import WIB, WIT, WITA, child, mother, posyandu, utc

# Born 12 January 2026: opv2, dpt_hb_hib1, pcv1, rv1 are due at 2 months (12 March 2026). The posyandu
# meets every 2nd Tuesday; 10 March is before the due date, so they are given on Tuesday 14 April 2026.
BORN = dt.date(2026, 1, 12)
TWO_MONTH_DOSES = {"dpt_hb_hib1", "opv2", "pcv1", "rv1"}
SESSION_DAY = dt.date(2026, 4, 14)
REGISTERED = dt.date(2026, 2, 20)


def _family(sessions: sessionmaker[Session], zone: str = WIB, **mother_changes: object) -> tuple[int, int]:
    with transaction(sessions) as session:
        post = posyandu(session, zone=zone)
        mom = mother(session, post, **mother_changes)
        kid = child(session, mom, BORN, REGISTERED)
        return mom.id, kid.id


def _run(sessions: sessionmaker[Session], now: dt.datetime) -> dict[str, int]:
    with transaction(sessions) as session:
        return immunization.run(session, now, "Asia/Jakarta")


def _outbox(sessions: sessionmaker[Session]) -> list[OutboxMessage]:
    with sessions() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_the_two_month_doses_are_planned_for_the_first_posyandu_day_after_they_are_due(
    sessions: sessionmaker[Session],
) -> None:
    _mother_id, child_id = _family(sessions)
    with sessions() as session:
        rows = session.scalars(select(DoseDue).where(DoseDue.child_id == child_id)).all()
    targets = {row.vaccine: row.target for row in rows}
    assert {v for v, day in targets.items() if day == SESSION_DAY} == TWO_MONTH_DOSES
    assert targets["bcg"] == dt.date(2026, 3, 10)  # due 12 Feb, late at registration: next posyandu day


@pytest.mark.parametrize("zone", [WIB, WITA, WIT])
@pytest.mark.parametrize(
    ("kind", "local_day", "local_hour"),
    [("h-7", dt.date(2026, 4, 7), 9), ("h-1", dt.date(2026, 4, 13), 16), ("h0", SESSION_DAY, 7)],
)
def test_each_reminder_goes_on_its_local_day_and_hour_in_every_zone(
    sessions: sessionmaker[Session], zone: str, kind: str, local_day: dt.date, local_hour: int
) -> None:
    _family(sessions, zone=zone)
    # The clock ticks just after local midnight of that day (and once the evening before: nothing).
    _run(sessions, utc(dt.datetime.combine(local_day, dt.time(0, 5)) - dt.timedelta(hours=2), zone))
    before = {row.idempotency_key for row in _outbox(sessions)}
    _run(sessions, utc(dt.datetime.combine(local_day, dt.time(0, 5)), zone))
    new = [
        row
        for row in _outbox(sessions)
        if row.idempotency_key not in before and f":{kind}:" in row.idempotency_key
    ]
    assert len(new) == 1
    row = new[0]
    assert row.next_attempt_at == utc(dt.datetime.combine(local_day, dt.time(local_hour)), zone)
    assert row.kind == "reminder" and row.template_name == "pengingat_imunisasi"
    for name in ("Polio tetes 2", "DPT-HB-Hib 1", "PCV 1"):
        assert name in (row.body or "")


def test_overdue_follow_ups_are_limited_and_spaced(sessions: sessionmaker[Session]) -> None:
    _family(sessions, zone=WITA)
    sent_days = []
    day = SESSION_DAY
    while day <= SESSION_DAY + dt.timedelta(days=60):
        before = len(_outbox(sessions))
        _run(sessions, utc(dt.datetime.combine(day, dt.time(8, 0)), WITA))
        rows = _outbox(sessions)[before:]
        sent_days += [
            day for row in rows if ":overdue" in row.idempotency_key and ":2026-04-14:" in row.idempotency_key
        ]
        day += dt.timedelta(days=1)
    assert sent_days == [dt.date(2026, 4, 17), dt.date(2026, 4, 28), dt.date(2026, 5, 12)]
    follow_up = next(row for row in _outbox(sessions) if ":overdue1:" in row.idempotency_key)
    assert follow_up.template_name == "imunisasi_terlewat"
    assert "tidak perlu mengulang dari awal" in (follow_up.body or "")


def test_nothing_is_sent_at_night(sessions: sessionmaker[Session]) -> None:
    _family(sessions, zone=WIT)
    # Every 10 minutes for the whole week before the posyandu day and the day itself.
    start = utc(dt.datetime(2026, 4, 6, 0, 0), WIT)
    moment = start
    while moment < start + dt.timedelta(days=9):
        _run(sessions, moment)
        moment += dt.timedelta(hours=3)
    rows = _outbox(sessions)
    assert rows
    for row in rows:
        local = row.next_attempt_at + dt.timedelta(hours=9)
        assert dt.time(7, 0) <= local.time() < dt.time(20, 0)


def test_a_double_run_and_a_clock_restart_never_double_a_reminder(runtime: Runtime) -> None:
    _family(runtime.sessions)
    now = utc(dt.datetime(2026, 4, 7, 0, 5), WIB)
    for _restart in range(2):
        scheduler = BackgroundScheduler()
        clock.configure(scheduler, runtime.engine, runtime.sessions, FlowSettings(), clock=lambda: now)
        scheduler.start(paused=True)
        immunization.enqueue_immunization_reminders()
        immunization.enqueue_immunization_reminders()
        scheduler.shutdown(wait=False)
    rows = _outbox(runtime.sessions)
    assert len([row for row in rows if ":h-7:" in row.idempotency_key]) == 1
    assert "immunization-reminders" in clock.INTERVAL_JOBS


def test_after_downtime_useful_reminders_catch_up_and_stale_ones_are_skipped(
    sessions: sessionmaker[Session],
) -> None:
    _family(sessions)
    # The clock was down from 6 to 10 April: back on Saturday 11th, three days before the posyandu.
    _run(sessions, utc(dt.datetime(2026, 4, 11, 10, 0), WIB))
    keys = [row.idempotency_key for row in _outbox(sessions)]
    assert any(":h-7:2026-04-14:" in key for key in keys)  # a week's notice came late, still useful
    # Down again over the day before: back on the posyandu day at 21:00 — h-1 and h0 are stale.
    _run(sessions, utc(dt.datetime(2026, 4, 14, 21, 0), WIB))
    keys = [row.idempotency_key for row in _outbox(sessions)]
    assert not any(":h-1:2026-04-14:" in key or ":h0:2026-04-14:" in key for key in keys)
    with sessions() as session:
        outcomes = {row.step: row.outcome for row in session.scalars(select(ImmunizationReminder))}
    assert outcomes["h0"] == "stale"


def test_template_outside_the_window_free_text_inside(sessions: sessionmaker[Session]) -> None:
    mother_id, _child_id = _family(sessions)
    _run(sessions, utc(dt.datetime(2026, 4, 7, 0, 5), WIB))
    row = _outbox(sessions)[-1]
    send_at = row.next_attempt_at
    with sessions() as session:
        contact = session.get(Contact, mother_id)
        assert contact is not None
        assert decide(row.kind, True, contact, send_at, "Asia/Jakarta").action == "template"
        contact.last_inbound_at = send_at - dt.timedelta(hours=2)
        assert decide(row.kind, True, contact, send_at, "Asia/Jakarta").action == "text"
    rendered = templates()["pengingat_imunisasi"].render(row.template_variables or {})
    assert (
        rendered.startswith("Halo Bunda Siti") and "Budi" in rendered and "Selasa, 14 April 2026" in rendered
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"opted_out_at": dt.datetime(2026, 3, 1)},
        {"consent_withdrawn_at": dt.datetime(2026, 3, 1)},
        {"consent_given_at": None},
    ],
)
def test_opted_out_or_withdrawn_mothers_get_nothing(sessions: sessionmaker[Session], changes: dict) -> None:
    _family(sessions, **changes)
    for day in (dt.date(2026, 4, 7), dt.date(2026, 4, 13), SESSION_DAY, dt.date(2026, 4, 17)):
        _run(sessions, utc(dt.datetime.combine(day, dt.time(8, 0)), WIB))
        with sessions() as session:
            assert select_due(session, day) == []
    assert _outbox(sessions) == []


def test_a_recorded_dose_stops_its_reminders(sessions: sessionmaker[Session]) -> None:
    _mother_id, child_id = _family(sessions)
    _run(sessions, utc(dt.datetime(2026, 4, 13, 0, 5), WIB))  # h-1 enqueued for 16:00
    pending = [row for row in _outbox(sessions) if ":h-1:" in row.idempotency_key]
    assert len(pending) == 1
    with transaction(sessions) as session:
        from db.models import Child

        kid = session.get(Child, child_id)
        assert kid is not None
        for vaccine in TWO_MONTH_DOSES:
            record_dose(
                session,
                kid,
                vaccine,
                dt.date(2026, 4, 13),
                source="mother",
                recorded_by=None,
                today=dt.date(2026, 4, 13),
            )
    assert not [row for row in _outbox(sessions) if ":h-1:" in row.idempotency_key]  # the pending one is gone
    for day in (SESSION_DAY, dt.date(2026, 4, 17), dt.date(2026, 4, 28)):
        _run(sessions, utc(dt.datetime.combine(day, dt.time(8, 0)), WIB))
    keys = [row.idempotency_key for row in _outbox(sessions)]
    assert not any(vaccine in key for key in keys for vaccine in TWO_MONTH_DOSES)


def test_a_child_registered_in_the_chat_is_planned_by_the_job(sessions: sessionmaker[Session]) -> None:
    from db.models import Child

    with transaction(sessions) as session:
        post = posyandu(session)
        mom = mother(session, post)
        session.add(Child(mother_id=mom.id, name="Ani", sex="P", date_of_birth=BORN))
    counts = _run(sessions, utc(dt.datetime(2026, 4, 7, 0, 5), WIB))
    assert counts["plans"] == 1
    assert any(":h-7:2026-04-14:" in row.idempotency_key for row in _outbox(sessions))


@pytest.mark.parametrize(
    ("on", "until", "reminded"),
    [
        (dt.date(2026, 4, 7), dt.date(2026, 4, 14), True),  # h-7: still allowed on the posyandu day
        (dt.date(2026, 4, 7), dt.date(2026, 4, 10), False),  # h-7: too late by the posyandu day
        (dt.date(2026, 4, 17), dt.date(2026, 4, 17), True),  # overdue1: still allowed today
        (dt.date(2026, 4, 28), dt.date(2026, 4, 27), False),  # overdue2: no longer allowed
    ],
)
def test_no_reminder_for_a_dose_past_its_age_limit(
    sessions: sessionmaker[Session], on: dt.date, until: dt.date, reminded: bool
) -> None:
    _mother_id, child_id = _family(sessions)
    with transaction(sessions) as session:
        rotavirus = session.scalars(
            select(DoseDue).where(DoseDue.child_id == child_id, DoseDue.vaccine == "rv1")
        ).one()
        rotavirus.until = until
    with sessions() as session:
        vaccines = {row.vaccine for row in select_due(session, on)}
    assert TWO_MONTH_DOSES - {"rv1"} <= vaccines
    assert ("rv1" in vaccines) is reminded
