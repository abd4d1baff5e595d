"""The case desk's clock on moved time: escalation to the puskesmas, reminders, the check-back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from flows.core.settings import FlowSettings
from scheduler import cases as case_jobs
from scheduler import jobs
from tests.chat import Chat, joined
from tests.desk_support import (
    MOTHER,
    PUSKESMAS,
    RINA,
    add_posyandu,
    last_outbox_id,
    only_case,
    register,
    sent_to,
)

CONVULSION = "anak saya kejang kejang bu"
Run = Callable[..., dict[str, int]]


@pytest.fixture
def run_at(sessions: sessionmaker[Session]) -> Iterator[Run]:
    """Run the case-desk job as the scheduler does, with the clock at ``now``."""
    saved = jobs.CONTEXT

    def run(now: dt.datetime, settings: FlowSettings | None = None) -> dict[str, int]:
        jobs.CONTEXT = jobs.JobContext(
            sessions=sessions, settings=settings or FlowSettings(), clock=lambda: now
        )
        return case_jobs.run_case_desk()

    yield run
    jobs.CONTEXT = saved


def _emergency(sessions: sessionmaker[Session]) -> tuple[Chat, dt.datetime]:
    add_posyandu(sessions)
    chat = Chat(sessions, MOTHER)
    register(chat, child_dob="1-5-2025")
    opened = chat.now
    chat.send(CONVULSION)
    return chat, opened


def test_an_unanswered_emergency_goes_to_the_puskesmas_after_15_minutes(
    sessions: sessionmaker[Session], run_at: Run
) -> None:
    _chat, opened = _emergency(sessions)
    before = last_outbox_id(sessions)
    assert run_at(opened + dt.timedelta(minutes=14))["escalated"] == 0
    assert sent_to(sessions, PUSKESMAS, after=before) == []

    assert run_at(opened + dt.timedelta(minutes=16))["escalated"] == 1

    [backup] = sent_to(sessions, PUSKESMAS, after=before)
    assert backup.kind == "urgent" and "PENTING" in backup.body and MOTHER in backup.body
    assert backup.template_name == "kasus_bidan"
    [again] = sent_to(sessions, MOTHER, after=before)
    assert again.kind == "urgent" and "bidan belum menjawab" in again.body.lower() and PUSKESMAS in again.body
    assert only_case(sessions).escalated_at == opened + dt.timedelta(minutes=16)
    # Once only.
    assert run_at(opened + dt.timedelta(minutes=30))["escalated"] == 0
    assert len(sent_to(sessions, PUSKESMAS, after=before)) == 1


def test_escalation_also_at_night_and_with_a_configured_timeout(
    sessions: sessionmaker[Session], run_at: Run
) -> None:
    add_posyandu(sessions)
    chat = Chat(sessions, MOTHER)
    register(chat, child_dob="1-5-2025")
    chat.now = opened = dt.datetime(2026, 11, 24, 16, 0)  # 23:00 WIB
    chat.send(CONVULSION)
    quick = FlowSettings(case_escalation_minutes=5)
    assert run_at(opened + dt.timedelta(minutes=4), quick)["escalated"] == 0
    now = opened + dt.timedelta(minutes=6)
    assert run_at(now, quick)["escalated"] == 1
    [backup] = sent_to(sessions, PUSKESMAS)
    assert backup.next_attempt_at == now  # not held until the morning


def test_a_case_the_bidan_took_or_answered_is_not_escalated(
    sessions: sessionmaker[Session], run_at: Run
) -> None:
    _chat, opened = _emergency(sessions)
    case = only_case(sessions)
    rina = Chat(sessions, RINA, now=opened + dt.timedelta(minutes=3))
    assert "Anda pegang" in joined(rina.send(f"AMBIL {case.id}"))
    assert run_at(opened + dt.timedelta(minutes=20))["escalated"] == 0
    assert sent_to(sessions, PUSKESMAS) == []


def test_the_mother_is_asked_how_things_are_an_hour_later_and_her_answer_reaches_the_bidan(
    sessions: sessionmaker[Session], run_at: Run
) -> None:
    chat, opened = _emergency(sessions)
    before = last_outbox_id(sessions)
    assert run_at(opened + dt.timedelta(minutes=59))["checked_back"] == 0
    assert run_at(opened + dt.timedelta(minutes=61))["checked_back"] == 1
    [check] = [r for r in sent_to(sessions, MOTHER, after=before) if r.kind == "checkin"]
    assert check.template_name == "cek_darurat" and "bagaimana keadaan" in check.body
    assert run_at(opened + dt.timedelta(minutes=90))["checked_back"] == 0

    chat.now = opened + dt.timedelta(minutes=70)
    before = last_outbox_id(sessions)
    assert "Bidan Rina" in joined(chat.send("sudah di puskesmas bu, sudah ditangani"))
    [forwarded] = sent_to(sessions, RINA, after=before)
    assert "sudah ditangani" in forwarded.body


def test_unanswered_questions_are_reminded_to_the_bidan_in_the_daytime(
    sessions: sessionmaker[Session], run_at: Run
) -> None:
    add_posyandu(sessions)
    chat = Chat(sessions, MOTHER)
    register(chat, child_dob="1-5-2025")
    opened = chat.now  # 10:00 WIB
    chat.send("BIDAN mau tanya jadwal imunisasi campak")
    before = last_outbox_id(sessions)
    assert run_at(opened + dt.timedelta(minutes=119))["reminded"] == 0
    assert run_at(opened + dt.timedelta(minutes=121))["reminded"] == 1
    [reminder] = sent_to(sessions, RINA, after=before)
    assert reminder.kind == "case_alert" and "Pengingat" in reminder.body and "campak" in reminder.body
    assert run_at(opened + dt.timedelta(minutes=150))["reminded"] == 0  # the next one in two hours
    assert run_at(opened + dt.timedelta(hours=12))["reminded"] == 0  # 22:00 WIB: not at night
    assert run_at(opened + dt.timedelta(hours=22))["reminded"] == 1  # 08:00 WIB the next day
    # Nothing of this escalates to the puskesmas: only danger signs do.
    assert sent_to(sessions, PUSKESMAS) == []


def test_a_5000_character_danger_message_gives_alerts_that_fit_one_whatsapp_message(
    sessions: sessionmaker[Session], run_at: Run
) -> None:
    add_posyandu(sessions)
    chat = Chat(sessions, MOTHER)
    register(chat, child_dob="1-5-2025")
    opened = chat.now
    long_message = CONVULSION + ". " + "saya bingung sekali harus bagaimana, " * 135
    assert len(long_message) > 5000
    before = last_outbox_id(sessions)
    chat.send(long_message)
    run_at(opened + dt.timedelta(minutes=16))
    sent = sent_to(sessions, RINA, after=before) + sent_to(sessions, PUSKESMAS, after=before)
    assert any("PENTING" in row.body for row in sent)  # the escalation went out
    assert sent and all(len(row.body) <= 1600 for row in sent)
    assert all("…" in row.body for row in sent if "Pesan" in row.body)  # the quote is cut, not the alert


def test_erasing_her_data_closes_the_case_and_nothing_with_placeholders_is_escalated(
    sessions: sessionmaker[Session], run_at: Run
) -> None:
    chat, opened = _emergency(sessions)
    chat.send("HAPUS DATA")
    chat.send("ya hapus")
    assert only_case(sessions).status == "closed"
    [notice] = [row for row in sent_to(sessions, RINA) if "menghapus datanya" in row.body]
    before = last_outbox_id(sessions)
    assert run_at(opened + dt.timedelta(minutes=16))["escalated"] == 0
    assert sent_to(sessions, PUSKESMAS, after=before) == []
    assert " - " not in notice.body and "(-)" not in notice.body


def test_the_puskesmas_answers_an_escalated_case_with_balas(
    sessions: sessionmaker[Session], run_at: Run
) -> None:
    chat, opened = _emergency(sessions)
    run_at(opened + dt.timedelta(minutes=16))
    puskesmas = Chat(sessions, PUSKESMAS)
    puskesmas.now = chat.now + dt.timedelta(minutes=17)
    reply = joined(puskesmas.send(f"BALAS {only_case(sessions).id} segera bawa ke IGD, kami siapkan"))
    assert "khusus bidan" not in reply and "Terkirim" in reply
    [answer] = [row for row in sent_to(sessions, MOTHER) if "kami siapkan" in (row.body or "")]
    assert "Puskesmas" in answer.body
    assert only_case(sessions).first_answered_at is not None
