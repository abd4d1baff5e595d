"""Kader announcements end to end: the UMUMKAN conversation, every audience, now / scheduled / monthly
on a moved clock, cancellation, opt-out, the daily limit, the mothers' side and the refusals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Announcement, Case, Contact, OutboxMessage, Role
from db.session import transaction
from flows.announcements import broadcast as ann
from flows.core.notify import notify
from flows.core.settings import FlowSettings
from scheduler import jobs
from scheduler.announcements import send_due_announcements
from tests.announcements.support import (
    AUDIENCE_MEMBERS,
    KADER,
    NOW,
    PHONES,
    announcement_rows,
    kader_chat,
    recipients_of,
    village,
)
from tests.chat import Chat, joined

TEXT = "Posyandu bulan ini ada pemberian vitamin A. Jangan lupa bawa Buku KIA ya."
RunJob = Callable[..., int]


@pytest.fixture
def clock_at(sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> RunJob:
    """Run the scheduler's announcement job at a given moment (the clock is moved, never slept)."""

    def run(moment: dt.datetime, settings: FlowSettings | None = None) -> int:
        monkeypatch.setattr(
            jobs,
            "CONTEXT",
            jobs.JobContext(sessions=sessions, settings=settings or FlowSettings(), clock=lambda: moment),
        )
        return send_due_announcements()

    return run


def _outbox_count(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


def _announcements(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(Announcement)) or 0


@pytest.mark.parametrize("choice", ["1", "2", "3", "4"])
def test_each_audience_receives_the_announcement_now(sessions: sessionmaker[Session], choice: str) -> None:
    melati = village(sessions)
    chat = kader_chat(sessions)
    assert "Tulis isi pengumuman" in joined(chat.send("UMUMKAN"))
    assert "Siapa yang menerima?" in joined(chat.send(TEXT))
    assert "Kapan dikirim?" in joined(chat.send(choice))
    preview = joined(chat.send("1"))
    expected = AUDIENCE_MEMBERS[choice]
    assert f"saat ini {len(expected)} ibu" in preview
    assert TEXT in preview and "1. Ya, kirim" in preview
    assert announcement_rows(sessions) == []  # nothing before the confirmation
    done = joined(chat.send("1"))
    assert f"Pengumuman 1: Pengumuman dikirim ke {len(expected)} ibu." in done
    assert recipients_of(sessions) == expected
    for row in announcement_rows(sessions):
        assert row.kind == "announcement" and row.template_name == "pengumuman_posyandu"
        assert row.idempotency_key == f"ann:1:2026-11-24:{row.contact_id}"
        assert (
            TEXT in (row.body or "")
            and "Balas saja pesan ini" in (row.body or "")
            and "STOP" in (row.body or "")
        )
        assert row.template_variables and row.template_variables["2"] == "Melati"
    # Never: the opted-out mother, the one without consent, the other posyandu's mother.
    assert not recipients_of(sessions) & {"eka", "gita", "fitri"}
    assert melati.posyandu_id


def test_the_preview_counts_mothers_who_stopped_messages(sessions: sessionmaker[Session]) -> None:
    village(sessions)
    chat = kader_chat(sessions)
    preview = joined(chat.say("UMUMKAN " + TEXT, "2", "1"))
    assert "saat ini 1 ibu (2 ibu lain sudah berhenti menerima pesan" in preview


def test_a_retried_confirmation_or_a_second_firing_adds_nothing(sessions: sessionmaker[Session]) -> None:
    village(sessions)
    chat = kader_chat(sessions)
    chat.say("UMUMKAN", TEXT, "1", "1", "1")
    assert len(announcement_rows(sessions)) == 4
    chat.send("1")  # the confirmation again: the flow is over, nothing new
    assert _announcements(sessions) == 1 and len(announcement_rows(sessions)) == 4
    with transaction(sessions) as session:
        announcement = session.get(Announcement, 1)
        assert announcement is not None
        again = ann.fan_out(session, announcement, dt.date(2026, 11, 24), NOW, FlowSettings())
    assert again.added == 0 and not again.new_run and len(announcement_rows(sessions)) == 4


def test_a_scheduled_announcement_fires_once_at_its_local_time(
    sessions: sessionmaker[Session], clock_at: RunJob
) -> None:
    village(sessions)
    chat = kader_chat(sessions)
    preview = joined(chat.say("UMUMKAN", TEXT, "1", "2", "26-11-2026 09.00"))
    assert "Kapan: Kamis, 26 November 2026 09.00" in preview
    assert "dijadwalkan: Kamis, 26 November 2026 09.00" in joined(chat.send("1"))
    assert announcement_rows(sessions) == []
    assert clock_at(dt.datetime(2026, 11, 26, 1, 59)) == 0  # 08:59 WIB
    assert announcement_rows(sessions) == []
    assert clock_at(dt.datetime(2026, 11, 26, 2, 0)) == 1  # 09:00 WIB
    assert recipients_of(sessions) == AUDIENCE_MEMBERS["1"]
    assert all(row.next_attempt_at == dt.datetime(2026, 11, 26, 2, 0) for row in announcement_rows(sessions))
    assert clock_at(dt.datetime(2026, 11, 26, 2, 5)) == 0  # the next run adds nothing
    assert len(announcement_rows(sessions)) == 4
    with sessions() as session:
        [told] = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "kader_report")).all()
    assert told.to_phone == KADER and "Pengumuman 1: Pengumuman dikirim ke 4 ibu." in (told.body or "")


def test_a_scheduled_time_must_be_daytime_and_in_the_future(sessions: sessionmaker[Session]) -> None:
    village(sessions)
    chat = kader_chat(sessions)
    chat.say("UMUMKAN", TEXT, "1", "2")
    assert "antara pukul 07.00 dan 20.00" in joined(chat.send("26-11-2026 21.00"))
    assert "sudah lewat" in joined(chat.send("20-11-2026 09.00"))
    assert "tanggal dan jamnya" in joined(chat.send("26-11-2026"))
    assert "Kamis, 26 November 2026 16.00" in joined(chat.send("26 november jam 4 sore"))


def test_a_monthly_announcement_fires_before_each_posyandu_day_once(
    sessions: sessionmaker[Session], clock_at: RunJob
) -> None:
    village(sessions)
    chat = kader_chat(sessions)
    preview = joined(chat.say("UMUMKAN", TEXT, "1", "3", "2 16.00"))
    assert "setiap bulan, 2 hari sebelum hari posyandu, pukul 16.00" in preview
    scheduled = joined(chat.send("1"))
    assert "berikutnya: Minggu, 6 Desember 2026 pukul 16.00" in scheduled
    assert clock_at(dt.datetime(2026, 12, 6, 8, 59)) == 0  # 15:59 WIB
    assert clock_at(dt.datetime(2026, 12, 6, 9, 0)) == 1  # 16:00 WIB, two days before 8 December
    assert clock_at(dt.datetime(2026, 12, 6, 9, 5)) == 0
    assert clock_at(dt.datetime(2026, 12, 7, 3, 0)) == 0  # the next day: this posyandu day was announced
    first = announcement_rows(sessions)
    assert len(first) == 4 and all("Hari posyandu: Selasa, 8 Desember 2026" in (r.body or "") for r in first)
    assert clock_at(dt.datetime(2027, 1, 10, 8, 0)) == 0
    assert clock_at(dt.datetime(2027, 1, 10, 9, 0)) == 1  # two days before 12 January 2027
    assert clock_at(dt.datetime(2027, 1, 10, 9, 10)) == 0
    rows = announcement_rows(sessions)
    assert len(rows) == 8
    assert sum("Selasa, 12 Januari 2027" in (r.body or "") for r in rows) == 4
    assert {r.idempotency_key.split(":")[2] for r in rows} == {"2026-12-08", "2027-01-12"}


def test_a_monthly_announcement_needs_the_posyandu_days(sessions: sessionmaker[Session]) -> None:
    village(sessions)
    with transaction(sessions) as session:
        kader = session.scalar(select(Contact).where(Contact.phone == KADER))
        assert kader is not None
        from tests.immunization.support import posyandu

        kader.posyandu_id = posyandu(session, "Kenanga", rule=None).id
    chat = kader_chat(sessions)
    assert "Hari posyandu belum diatur" in joined(chat.say("UMUMKAN", TEXT, "1", "3"))
    assert _announcements(sessions) == 0


def test_batalkan_cancels_a_scheduled_announcement_and_batal_still_cancels_the_flow(
    sessions: sessionmaker[Session], clock_at: RunJob
) -> None:
    village(sessions)
    chat = kader_chat(sessions)
    chat.say("UMUMKAN", TEXT, "1", "2", "26-11-2026 09.00", "1")
    assert "Pengumuman 1 dibatalkan" in joined(chat.send("BATALKAN 1"))
    assert "sudah dibatalkan sebelumnya" in joined(chat.send("batalkan #1"))
    assert "Tidak ada pengumuman 7" in joined(chat.send("BATALKAN 7"))
    assert clock_at(dt.datetime(2026, 11, 26, 2, 0)) == 0
    assert announcement_rows(sessions) == []
    # The global keywords keep working inside the flow: nothing is saved.
    assert "Sudah dibatalkan. Tidak ada yang disimpan." in joined(chat.say("UMUMKAN", TEXT, "BATALKAN"))
    assert "Sudah dibatalkan. Tidak ada yang disimpan." in joined(chat.say("UMUMKAN", TEXT, "1", "BATAL"))
    assert _announcements(sessions) == 1
    report = joined(chat.send("LAPORAN"))
    assert "#1 Kamis, 26 November 2026 09.00 - semua ibu di posyandu (dibatalkan)" in report


def test_a_kader_cannot_cancel_another_posyandus_announcement(sessions: sessionmaker[Session]) -> None:
    melati = village(sessions)
    kader_chat(sessions).say("UMUMKAN", TEXT, "1", "2", "26-11-2026 09.00", "1")
    with transaction(sessions) as session:
        session.add(
            Contact(
                phone="+6281299900002",
                role=Role.KADER,
                name="Yuni",
                posyandu_id=melati.other_posyandu_id,
                registered_at=NOW,
                consent_given_at=NOW,
            )
        )
    other = Chat(sessions, "+6281299900002", now=NOW)
    assert "Tidak ada pengumuman 1 di posyandu Anda" in joined(other.send("BATALKAN 1"))
    with sessions() as session:
        assert session.scalar(select(Announcement.status)) == ann.SCHEDULED


def test_cancelling_stops_the_messages_still_waiting(sessions: sessionmaker[Session]) -> None:
    village(sessions)
    chat = kader_chat(sessions, FlowSettings(daily_recipient_limit=2))
    chat.say("UMUMKAN", TEXT, "1", "1", "1")
    assert len(announcement_rows(sessions)) == 4
    assert "4 pesan yang belum terkirim dihentikan" in joined(chat.send("BATALKAN 1"))
    assert announcement_rows(sessions) == []  # today's and tomorrow's (daily limit) copies


def test_the_daily_limit_carries_the_rest_over_to_the_next_day(sessions: sessionmaker[Session]) -> None:
    melati = village(sessions)
    with transaction(sessions) as session:  # a reminder to another number already counts today
        fitri = session.get(Contact, melati.mother_ids["fitri"])
        assert fitri is not None
        notify(
            session, fitri, key="reminder:x", body="x", template="pesan_umum",
            variables={"nama": "Fitri", "pesan": "x"}, now=NOW, default_timezone="Asia/Jakarta", kind="reminder",
        )  # fmt: skip
    chat = kader_chat(sessions, FlowSettings(daily_recipient_limit=3))
    preview = joined(chat.say("UMUMKAN", TEXT, "1", "1"))
    assert "hanya boleh mengirim ke 3 orang per hari: 2 ibu menerima hari ini, 2 lainnya" in preview
    done = joined(chat.send("1"))
    assert "Pengumuman dikirim ke 4 ibu. 2 di antaranya menerima pada hari-hari berikutnya" in done
    times = sorted(row.next_attempt_at for row in announcement_rows(sessions))
    sent_at = chat.now - dt.timedelta(minutes=1)
    assert times == [sent_at, sent_at, sent_at + dt.timedelta(days=1), sent_at + dt.timedelta(days=1)]


def test_at_night_the_announcement_waits_for_the_morning(sessions: sessionmaker[Session]) -> None:
    village(sessions)
    chat = kader_chat(sessions)
    chat.now = dt.datetime(2026, 11, 24, 14, 0)  # 21:00 WIB
    done = joined(chat.say("UMUMKAN", TEXT, "1", "1", "1"))
    assert "mulai dikirim 25 November 2026 pukul 07.00" in done
    assert {row.next_attempt_at for row in announcement_rows(sessions)} == {dt.datetime(2026, 11, 25, 0, 0)}


def test_anybody_but_a_kader_is_refused_and_nothing_is_sent(sessions: sessionmaker[Session]) -> None:
    village(sessions)
    with transaction(sessions) as session:
        session.add(
            Contact(phone="+6281299900009", role=Role.BIDAN, name="Rina", posyandu_id=1, registered_at=NOW,
                    consent_given_at=NOW)
        )  # fmt: skip
    before = _outbox_count(sessions)
    for phone in (PHONES["ani"], "+6281299900009"):
        chat = Chat(sessions, phone, now=NOW)
        for command in ("UMUMKAN", "UMUMKAN Besok posyandu", "LAPORAN", "SASARAN", "BATALKAN 1"):
            replies = chat.send(command)
            assert "perintah untuk kader posyandu" in joined(replies), (phone, command)
            assert "Tidak ada pesan yang dikirim" in joined(replies)
    with sessions() as session:
        others = session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_phone.not_in([PHONES["ani"], "+6281299900009"]))
        ).all()
    assert others == [] and _announcements(sessions) == 0 and _outbox_count(sessions) > before


def test_a_mothers_replies_go_to_the_normal_flows(sessions: sessionmaker[Session]) -> None:
    village(sessions)
    kader_chat(sessions).say("UMUMKAN", TEXT, "1", "1", "1")
    ani = Chat(sessions, PHONES["ani"], now=NOW + dt.timedelta(hours=1))
    answer = joined(ani.send("kapan imunisasi campak untuk anak saya?"))
    assert "kader posyandu" not in answer and answer
    bela = Chat(sessions, PHONES["bela"], now=NOW + dt.timedelta(hours=1))
    bela.send("BIDAN apakah vitamin A di posyandu gratis?")
    citra = Chat(sessions, PHONES["citra"], now=NOW + dt.timedelta(hours=1))
    citra.send("STOP")
    with sessions() as session:
        case = session.scalar(select(Case))
        assert case is not None and case.mother_id == session.scalar(
            select(Contact.id).where(Contact.phone == PHONES["bela"])
        )
        assert (
            session.scalar(select(Contact.opted_out_at).where(Contact.phone == PHONES["citra"])) is not None
        )


def test_a_text_that_starts_like_another_command_is_the_announcement(sessions: sessionmaker[Session]) -> None:
    village(sessions)
    chat = kader_chat(sessions)
    chat.send("UMUMKAN")
    assert "Siapa yang menerima?" in joined(chat.send("Jadwal posyandu bulan ini tanggal 8, jangan lupa."))
    preview = joined(chat.send("1"))
    assert "Kapan dikirim?" in preview
    assert "Jadwal posyandu bulan ini tanggal 8" in joined(chat.send("1"))
