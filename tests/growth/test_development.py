"""The development check: milestone questions for the age band, "not yet" → advice and a case; invitations
by the scheduler at each band's age, once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Contact, DevelopmentCheck
from db.session import transaction
from flows.growth.development import band_for, bands
from scheduler.development import enqueue_development_invitations
from tests.chat import joined
from tests.desk_support import MOTHER, sent_to
from tests.growth.support import RINA, cases, mother_with_budi


def checks(sessions: sessionmaker[Session]) -> list[DevelopmentCheck]:
    with sessions() as session:
        found = list(session.scalars(select(DevelopmentCheck).order_by(DevelopmentCheck.id)))
        session.expunge_all()
        return found


def test_bands_follow_the_kpsp_ages_with_three_questions_each() -> None:
    assert sorted(bands()) == [3, 6, 9, 12, 15, 18, 21, 24, 30, 36, 42, 48, 54]
    assert all(len(band.questions) == 3 and band.stimulation for band in bands().values())
    born = dt.date(2026, 3, 10)
    assert band_for(born, dt.date(2026, 6, 9)) is None  # 2 months 30 days
    assert band_for(born, dt.date(2026, 6, 10)).months == 3
    assert band_for(born, dt.date(2026, 11, 24)).months == 6
    assert band_for(born, dt.date(2031, 3, 10)) is None  # 5 years


def test_all_milestones_reached_is_praised_and_stored(sessions: sessionmaker[Session]) -> None:
    chat, _ = mother_with_budi(sessions)
    text = joined(chat.say("6", "3"))
    assert "Cek perkembangan Budi (umur 6 bulan): 3 pertanyaan singkat." in text
    assert "Pertanyaan 1 dari 3: Apakah Budi bisa berguling" in text
    assert "Pertanyaan 2 dari 3" in joined(chat.send("1"))
    chat.send("ya")
    text = joined(chat.send("sudah bisa"))
    assert "Hebat! Budi sudah bisa" in text and "Cek perkembangan berikutnya pada umur 9 bulan" in text
    [check] = checks(sessions)
    assert (check.band_months, check.answers) == (6, {"berguling": True, "raih_benda": True, "tertawa": True})
    assert cases(sessions) == []


def test_a_not_yet_gives_advice_and_a_case_for_the_bidan(sessions: sessionmaker[Session]) -> None:
    chat, _ = mother_with_budi(sessions)
    chat.say("6", "3", "1")
    chat.send("belum")
    text = joined(chat.send("1"))
    assert "Budi belum bisa semua hal" in text and "KPSP" in text
    assert "Yang membantu di rumah:" in text and "Letakkan mainan" in text
    assert "Bidan Rina (kasus 1)" in text
    [case] = cases(sessions)
    assert (case.topic, case.urgency) == ("development_check", "biasa")
    assert "meraih mainan" in case.summary
    assert any("cek perkembangan umur 6 bulan" in (row.body or "") for row in sent_to(sessions, RINA))
    assert checks(sessions)[0].answers["raih_benda"] is False


def test_an_unclear_answer_is_asked_again(sessions: sessionmaker[Session]) -> None:
    chat, _ = mother_with_budi(sessions)
    chat.say("6", "3")
    assert "Mohon ketik 1 bila Budi sudah bisa" in joined(chat.send("kadang kadang"))


def test_the_scheduler_invites_once_when_a_band_is_reached_and_ya_starts_the_check(
    sessions: sessionmaker[Session],
) -> None:
    chat, _ = mother_with_budi(sessions)  # Budi turns 9 months on 10 December 2026
    before = sent_to(sessions, MOTHER)[-1].id
    early = dt.datetime(2026, 12, 9, 3, 0)
    with transaction(sessions) as session:
        assert enqueue_development_invitations(session, early, "Asia/Jakarta") == 0
    day = dt.datetime(2026, 12, 11, 3, 0)
    for _ in range(2):  # a second run adds nothing
        with transaction(sessions) as session:
            enqueue_development_invitations(session, day, "Asia/Jakarta")
    [invitation] = sent_to(sessions, MOTHER, before)
    assert invitation.kind == "checkin" and invitation.template_name == "cek_perkembangan"
    assert "Budi sekarang berumur 9 bulan" in invitation.body
    assert [(c.band_months, c.invited_at) for c in checks(sessions)] == [(9, day)]
    chat.now = day + dt.timedelta(hours=2)
    assert "Apakah Budi bisa duduk sendiri" in joined(chat.send("ya"))


def test_a_band_reached_weeks_ago_or_an_opted_out_mother_gets_no_invitation(
    sessions: sessionmaker[Session],
) -> None:
    mother_with_budi(sessions)
    with transaction(sessions) as session:
        assert enqueue_development_invitations(session, dt.datetime(2026, 12, 30, 3, 0), "Asia/Jakarta") == 0
    with sessions() as session, session.begin():
        session.scalars(select(Contact).where(Contact.phone == MOTHER)).one().opted_out_at = dt.datetime(
            2026, 12, 1
        )
    with transaction(sessions) as session:
        assert enqueue_development_invitations(session, dt.datetime(2026, 12, 11, 3, 0), "Asia/Jakarta") == 0
    assert checks(sessions) == []
