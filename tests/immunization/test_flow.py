"""The mother's "Imunisasi" flow as transcripts: schedule, recording, corrections, catch-up advice."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import DoseDue, ImmunizationDose
from db.session import transaction
from tests.chat import Chat, joined
from tests.immunization.support import child, mother, posyandu

TODAY = dt.date(2026, 11, 24)  # Chat's clock: 24 November 2026, 10:00 WIB
PHONE = "+6281299990001"


def _family(sessions: sessionmaker[Session], *births: tuple[str, dt.date]) -> dict[str, int]:
    with transaction(sessions) as session:
        post = posyandu(session)
        mom = mother(session, post, phone=PHONE)
        return {name: child(session, mom, born, TODAY, name=name).id for name, born in births}


def _doses(sessions: sessionmaker[Session], child_id: int) -> dict[str, dt.date]:
    with sessions() as session:
        rows = session.scalars(select(ImmunizationDose).where(ImmunizationDose.child_id == child_id))
        return {row.vaccine: row.given_on for row in rows}


def test_one_child_schedule_shows_given_due_next_and_the_posyandu_day(
    sessions: sessionmaker[Session],
) -> None:
    ids = _family(sessions, ("Budi", dt.date(2026, 9, 26)))  # 2 months old in two days
    chat = Chat(sessions, PHONE)
    text = joined(chat.send("1"))
    assert "Imunisasi Budi (lahir 26 September 2026)" in text
    assert "Jadwal sekarang:\n- Polio tetes 2: 26 November 2026" in text and "DPT-HB-Hib 1" in text
    assert "Berikutnya:" in text
    assert "Selasa, 8 Desember 2026 (Posyandu Melati)" in text
    # "di posyandu tadi": given today.
    chat.say("1")
    assert "TADI" in joined(chat.send("semua"))
    reply = joined(chat.send("di posyandu tadi"))
    assert "sudah dicatat" in reply and "Hebat" in reply
    assert set(_doses(sessions, ids["Budi"]).values()) == {TODAY}


def test_recording_with_sudah_and_a_date_stops_the_dose_being_due(sessions: sessionmaker[Session]) -> None:
    ids = _family(sessions, ("Budi", dt.date(2026, 5, 20)))
    chat = Chat(sessions, PHONE)
    text = joined(chat.send("imunisasi"))
    assert "tidak perlu mengulang dari awal" in text  # catch-up, never "start again"
    assert "Rotavirus" in text and "sebelum usia 7 bulan" in text  # expired rotavirus explained
    chat.send("1")
    chat.send("1")  # BCG
    reply = joined(chat.send("sudah tgl 3 nov"))
    assert "BCG tanggal 3 November 2026 sudah dicatat" in reply
    assert _doses(sessions, ids["Budi"]) == {"bcg": dt.date(2026, 11, 3)}
    with sessions() as session:
        pending = set(session.scalars(select(DoseDue.vaccine).where(DoseDue.child_id == ids["Budi"])))
    assert "bcg" not in pending and "opv1" in pending


def test_too_early_dose_does_not_count_and_says_when_to_give_again(sessions: sessionmaker[Session]) -> None:
    ids = _family(sessions, ("Budi", dt.date(2026, 9, 22)))
    chat = Chat(sessions, PHONE)
    chat.say("1", "1")
    chat.send("semua")
    reply = joined(chat.send("22 oktober 2026"))  # one month old: the 2-month doses are too early
    assert "terlalu cepat" in reply and "bukan kesalahan" in reply
    assert "perlu diberikan lagi mulai 3 November 2026" in reply  # 6 weeks after birth
    assert _doses(sessions, ids["Budi"])  # recorded as it happened


def test_correcting_a_wrong_record(sessions: sessionmaker[Session]) -> None:
    ids = _family(sessions, ("Budi", dt.date(2026, 5, 20)))
    chat = Chat(sessions, PHONE)
    chat.say("1", "1", "1", "1-11-2026")
    assert _doses(sessions, ids["Budi"]) == {"bcg": dt.date(2026, 11, 1)}
    listing = joined(chat.say("1", "2"))
    assert "1. BCG: 1 November 2026" in listing
    chat.say("1", "1")
    assert "Sudah diperbaiki: BCG tanggal 2 November 2026" in joined(chat.send("2 nov 2026"))
    assert _doses(sessions, ids["Budi"]) == {"bcg": dt.date(2026, 11, 2)}
    chat.say("1", "2", "1")
    assert "Sudah dihapus" in joined(chat.send("2"))
    assert _doses(sessions, ids["Budi"]) == {}


def test_a_date_before_birth_or_in_the_future_is_refused(sessions: sessionmaker[Session]) -> None:
    ids = _family(sessions, ("Budi", dt.date(2026, 5, 20)))
    chat = Chat(sessions, PHONE)
    chat.say("1", "1", "1")
    assert "sebelum Budi lahir" in joined(chat.send("1 mei 2026"))
    assert "Tanggal itu belum terjadi" in joined(chat.send("30-12-2026"))
    assert _doses(sessions, ids["Budi"]) == {}


def test_several_children_choose_one(sessions: sessionmaker[Session]) -> None:
    _family(sessions, ("Budi", dt.date(2026, 5, 20)), ("Ani", dt.date(2025, 1, 5)))
    chat = Chat(sessions, PHONE)
    assert "Untuk anak yang mana?" in joined(chat.send("1"))
    assert "Imunisasi Ani (lahir 5 Januari 2025)" in joined(chat.send("1"))
    assert "Untuk anak yang mana?" in joined(chat.send("3"))
    assert "Imunisasi Budi" in joined(chat.send("budi"))


def test_no_child_registered(sessions: sessionmaker[Session]) -> None:
    _family(sessions)
    chat = Chat(sessions, PHONE)
    assert "DATA SAYA" in joined(chat.send("1"))
