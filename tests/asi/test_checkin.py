"""ASI check-ins: enqueued on the right local dates (moved clock), answered, recorded, stopped by STOP."""

from __future__ import annotations

import datetime as dt

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.runtime import Runtime
from db.models import AsiCheckin, AsiPlan, AsiStatus, Case, Contact, OutboxMessage, Role
from flows.core.notify import templates
from flows.core.settings import FlowSettings
from scheduler import clock
from scheduler.asi import enqueue_asi_checkins, enqueue_due_checkins
from tests.asi.support import add_posyandu, make_plan, plans, register
from tests.chat import Chat, joined

PHONE = "+6281234503001"
# Posyandu in WITA (UTC+8): a check-in due on a local date is sent at 09:00 WITA = 01:00 UTC.


def _run(sessions: sessionmaker[Session], now: dt.datetime) -> int:
    with sessions() as session, session.begin():
        return enqueue_due_checkins(session, now, "Asia/Jakarta")


def _checkins_out(sessions: sessionmaker[Session], phone: str = PHONE) -> list[OutboxMessage]:
    with sessions() as session:
        return list(
            session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.to_phone == phone, OutboxMessage.kind == "checkin")
                .order_by(OutboxMessage.id)
            )
        )


def _statuses(sessions: sessionmaker[Session]) -> list[tuple[dt.date, int, str, str | None]]:
    with sessions() as session:
        rows = session.scalars(select(AsiStatus).order_by(AsiStatus.period))
        return [(row.period, row.age_months, row.status, row.reason) for row in rows]


def _mother_with_plan(sessions: sessionmaker[Session], phone: str = PHONE) -> Chat:
    chat = Chat(sessions, phone)
    register(chat, ("Budi", "1-9-2026"), posyandu=True)
    make_plan(chat, "4-1-2027", "10", "2", "1", "4", "1", "1")
    return chat


def test_check_ins_fire_on_the_local_dates(sessions: sessionmaker[Session]) -> None:
    add_posyandu(sessions, timezone="Asia/Makassar")
    chat = _mother_with_plan(sessions)
    due = [c.due_at for c in plans(sessions, PHONE)[0].checkins]
    assert due[0] == dt.datetime(2026, 12, 21, 1, 0)  # 21 Dec 2026 09:00 WITA
    assert due[-1] == dt.datetime(2027, 3, 1, 1, 0)  # Budi is 6 months on 1 March 2027
    assert _run(sessions, dt.datetime(2026, 12, 21, 0, 59)) == 0  # 08:59 WITA: not yet
    assert _run(sessions, dt.datetime(2026, 12, 21, 1, 0)) == 1
    assert _run(sessions, dt.datetime(2026, 12, 21, 1, 30)) == 0  # never twice
    [row] = _checkins_out(sessions)
    assert row.next_attempt_at == dt.datetime(2026, 12, 21, 1, 0) and row.template_name == "asi_checkin"
    assert "2 minggu lagi Bunda mulai bekerja" in (row.body or "") and "6. Saya sudah berhenti" in (
        row.body or ""
    )
    rendered = templates()["asi_checkin"].render(row.template_variables or {})
    assert (
        rendered.startswith("Halo Bunda Siti") and "menyusui Budi" in rendered and "2 minggu lagi" in rendered
    )
    # The next one: 3 days before (1 January 2027), then the first day back (5 January).
    assert _run(sessions, dt.datetime(2026, 12, 31, 23, 0)) == 0
    assert _run(sessions, dt.datetime(2027, 1, 1, 1, 0)) == 1
    assert _run(sessions, dt.datetime(2027, 1, 5, 1, 0)) == 1
    bodies = [row.body or "" for row in _checkins_out(sessions)]
    assert "3 hari lagi" in bodies[1] and "hari pertama kembali bekerja" in bodies[2]
    # Week 2 back (18 January), then Budi's 6 months (1 March): MPASI.
    assert _run(sessions, dt.datetime(2027, 1, 18, 2, 0)) == 1
    assert _run(sessions, dt.datetime(2027, 3, 1, 5, 0)) == 1
    bodies = [row.body or "" for row in _checkins_out(sessions)]
    assert "Sudah 2 minggu Bunda kembali bekerja" in bodies[3] and "MPASI" in bodies[4]
    assert chat.phone == PHONE


def test_after_downtime_only_the_latest_check_in_goes_out(sessions: sessionmaker[Session]) -> None:
    chat = _mother_with_plan(sessions, "+6281234503002")
    # WIB posyandu-less mother: 09:00 WIB = 02:00 UTC. day_1 (5 Jan) and day_3 (7 Jan) both due on 7 Jan.
    assert _run(sessions, dt.datetime(2027, 1, 7, 2, 0)) == 1
    [row] = _checkins_out(sessions, chat.phone)
    assert "beberapa hari Bunda kembali bekerja" in (row.body or "")
    assert _run(sessions, dt.datetime(2027, 1, 7, 3, 0)) == 0


def test_the_scheduler_job_runs_on_the_injected_clock(runtime: Runtime) -> None:
    chat = _mother_with_plan(runtime.sessions, "+6281234503003")
    scheduler = BackgroundScheduler()
    clock.configure(
        scheduler,
        runtime.engine,
        runtime.sessions,
        FlowSettings(),
        clock=lambda: dt.datetime(2026, 12, 21, 2, 0),
    )
    scheduler.start(paused=True)
    try:
        assert "asi-checkins" in {job.id for job in scheduler.get_jobs()}
        assert enqueue_asi_checkins() == 1
        assert enqueue_asi_checkins() == 0
    finally:
        scheduler.shutdown(wait=False)
    assert len(_checkins_out(runtime.sessions, chat.phone)) == 1


def test_answers_record_the_status_by_month(sessions: sessionmaker[Session]) -> None:
    add_posyandu(sessions, timezone="Asia/Makassar")
    chat = _mother_with_plan(sessions)
    _run(sessions, dt.datetime(2026, 12, 21, 1, 0))
    chat.now = dt.datetime(2026, 12, 21, 4, 0)
    assert "Hebat, Bunda" in joined(chat.send("1"))
    assert "Hebat" not in joined(chat.send("1"))  # answered: the next "1" is a menu choice again
    chat.send("menu")
    # Budi (born 1 Sep 2026) is 3 months old on 21 Dec 2026.
    assert _statuses(sessions) == [(dt.date(2026, 12, 1), 3, "exclusive", None)]
    _run(sessions, dt.datetime(2027, 1, 5, 1, 0))
    chat.now = dt.datetime(2027, 1, 5, 11, 0)
    reply = joined(chat.send("4"))
    assert "cangkir atau sendok" in reply and "botol dot" in reply and "hanya mendapat ASI" in reply
    assert "Sudah dicatat" in joined(chat.send("2"))  # also something else → partial
    _run(sessions, dt.datetime(2027, 1, 11, 1, 0))
    chat.now = dt.datetime(2027, 1, 11, 2, 0)
    assert "Susu formula hanya" in joined(chat.send("5"))  # the latest answer of January counts
    assert _statuses(sessions)[1] == (dt.date(2027, 1, 1), 4, "partial", None)
    _run(sessions, dt.datetime(2027, 1, 18, 1, 0))
    chat.now = dt.datetime(2027, 1, 18, 3, 0)
    assert "alasan utamanya" in joined(chat.send("6"))
    assert "angka 1 sampai 6" in joined(chat.send("entahlah"))
    reply = joined(chat.send("1"))
    assert "relaktasi" in reply and "dihubungi bidan" in reply
    assert "Sapaan ASI berhenti" in joined(chat.send("2"))
    assert _statuses(sessions)[1] == (dt.date(2027, 1, 1), 4, "stopped", "work")
    assert plans(sessions, PHONE)[0].stop_reason == "stopped_breastfeeding"
    assert _run(sessions, dt.datetime(2027, 1, 25, 1, 0)) == 0  # no more check-ins


def test_stopped_mother_asks_the_bidan_for_help(sessions: sessionmaker[Session]) -> None:
    post_id = add_posyandu(sessions)
    with sessions() as session, session.begin():
        session.add(
            Contact(
                phone="+6281299900001",
                role=Role.BIDAN,
                name="Bidan Ani",
                posyandu_id=post_id,
                consent_given_at=dt.datetime(2026, 1, 1),
            )
        )
    chat = _mother_with_plan(sessions, "+6281234503004")
    _run(sessions, dt.datetime(2026, 12, 21, 2, 0))
    chat.now = dt.datetime(2026, 12, 21, 3, 0)
    chat.say("6", "2")
    before = chat._last_outbox_id()
    reply = joined(chat.send("1"))
    assert "Sudah saya teruskan ke bidan" in reply
    alerts = [row for row in chat.outbox_since(before) if row.to_phone == "+6281299900001"]
    assert len(alerts) == 1 and "ASI tidak cukup" in (alerts[0].body or "")
    with sessions() as session:
        case = session.scalar(select(Case))
        assert case is not None and case.topic == "asi_support" and case.urgency == "biasa"


def test_a_reply_outside_a_check_in_is_not_taken(sessions: sessionmaker[Session]) -> None:
    chat = _mother_with_plan(sessions, "+6281234503005")
    chat.send("menu")
    chat.now = dt.datetime(2026, 12, 21, 1, 0)
    assert "Hebat" not in joined(chat.send("1"))  # nothing was sent yet: a menu choice
    _run(sessions, dt.datetime(2026, 12, 21, 2, 0))
    chat.now = dt.datetime(2026, 12, 25, 3, 0)  # more than 3 days later
    chat.send("menu")
    assert "Hebat" not in joined(chat.send("1"))
    assert _statuses(sessions) == []
    with sessions() as session:
        assert session.scalar(select(AsiCheckin.answered_at)) is None


def test_stop_ends_the_programme_even_after_mulai(sessions: sessionmaker[Session]) -> None:
    chat = _mother_with_plan(sessions, "+6281234503006")
    _run(sessions, dt.datetime(2026, 12, 21, 2, 0))
    chat.now = dt.datetime(2026, 12, 22, 3, 0)
    assert "tidak akan menerima pesan lagi" in joined(chat.send("STOP"))
    assert _run(sessions, dt.datetime(2027, 1, 1, 2, 0)) == 0
    chat.send("MULAI")
    assert _run(sessions, dt.datetime(2027, 1, 5, 2, 0)) == 0
    assert plans(sessions, chat.phone)[0].stop_reason == "opted_out"
    assert len(_checkins_out(sessions, chat.phone)) == 1


def test_a_check_in_answer_wins_over_an_older_open_flow(sessions: sessionmaker[Session]) -> None:
    chat = _mother_with_plan(sessions, "+6281234503007")
    chat.now = dt.datetime(2026, 12, 21, 1, 0)
    chat.send("menu")
    chat.send("3")  # DATA SAYA, left open
    _run(sessions, dt.datetime(2026, 12, 21, 2, 0))
    chat.now = dt.datetime(2026, 12, 21, 3, 0)
    assert "Hebat, Bunda" in joined(chat.send("1"))
    assert _statuses(sessions)[0][2] == "exclusive"


def test_erasing_her_data_removes_the_plan_check_ins_and_statuses(sessions: sessionmaker[Session]) -> None:
    chat = _mother_with_plan(sessions, "+6281234503008")
    _run(sessions, dt.datetime(2026, 12, 21, 2, 0))
    chat.now = dt.datetime(2026, 12, 21, 3, 0)
    chat.send("1")
    assert _statuses(sessions) != []
    chat.send("HAPUS DATA")
    chat.send("YA HAPUS")
    with sessions() as session:
        assert session.scalar(select(AsiCheckin)) is None and session.scalar(select(AsiStatus)) is None
        assert session.scalar(select(AsiPlan)) is None
