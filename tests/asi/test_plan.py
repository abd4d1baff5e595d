"""The "ASI & kembali bekerja" flow as mothers go through it: questions, re-asks, the plan's figures."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from tests.asi.support import make_plan, plans, register
from tests.chat import Chat, joined

# Chat time: Tuesday 24 November 2026, 10:00 WIB. Babies' ages and plan dates below are computed by hand.


def test_long_hours_no_lactation_room_two_door_fridge(sessions: sessionmaker[Session]) -> None:
    chat = Chat(sessions, "+6281234501001")
    register(chat, ("Budi", "1-9-2026"))
    chat.send("MENU")
    first = joined(chat.send("5"))
    assert "Tanggal berapa Bunda mulai bekerja lagi" in first  # the baby is known: not asked
    assert "berapa jam total" in joined(chat.send("4-1-2027"))
    chat.say("10", "2", "1", "4", "1")
    plan = joined(chat.send("1"))  # grandmother
    # Back on Monday 4 January 2027; Budi (born 1 Sep 2026) is then 4 months old.
    assert "Senin, 4 Januari 2027" in plan and "Budi berumur 4 bulan" in plan
    # With a freezer: start 2 weeks before; stock = 2 days x 4 feeds x 100 ml = 800 ml = 8 bags.
    assert "Senin, 21 Desember 2026" in plan
    assert "sekitar 800 ml, yaitu 8 kantong @100 ml" in plan
    # 10 h away: ceil(10/3) = 4 feeds of 90-100 ml (750 ml / 8 feeds) = 360-400 ml.
    assert "Untuk yang menjaga (nenek)" in plan
    assert "4 kali minum @90-100 ml, yaitu 360-400 ml sehari" in plan
    assert "750 ml sehari" in plan
    # Express every ~3 h: 10 // 3 = 3 times.
    assert "sekitar 3 kali selama 10 jam" in plan
    assert "Belum ada ruang ASI" in plan and "bukan toilet" in plan
    assert "freezer kulkas 2 pintu 3-6 bulan" in plan and "kulkas (di bagian belakang" in plan
    assert "cangkir atau sendok" in plan and "botol dot" in plan and "microwave" in plan
    assert "Jangan dibekukan lagi" in plan
    assert "Senin, 21 Desember 2026" in plan.split("Saya akan menanyakan")[1]  # first check-in
    assert "1. Hak saya di tempat kerja" in plan
    saved = plans(sessions, chat.phone)
    assert len(saved) == 1 and saved[0].hours_away == 10 and saved[0].home_storage == "freezer_2door"
    assert saved[0].return_date == dt.date(2027, 1, 4) and not saved[0].lactation_room
    assert [c.kind for c in saved[0].checkins][:2] == ["before_14", "before_3"]


def test_short_hours_lactation_room_fridge_only(sessions: sessionmaker[Session]) -> None:
    chat = Chat(sessions, "+6281234501002")
    register(chat, ("Ani", "15-8-2026"))
    plan = joined(make_plan(chat, "1 Februari 2027", "4 jam", "1", "2", "2", "1", "2"))
    # Fridge only: start 3 days before (Friday 29 January), stock one day = 2 feeds x 100 ml = 200 ml.
    assert "Jumat, 29 Januari 2027" in plan and "sekitar 200 ml, yaitu 2 kantong" in plan
    assert "tanpa freezer, ASIP di kulkas hanya tahan 4 hari" in plan
    # 4 h: ceil(4/3) = 2 feeds = 180-200 ml; express 4 // 3 = 1 time.
    assert "2 kali minum @90-100 ml, yaitu 180-200 ml sehari" in plan
    assert "sekitar 1 kali selama 4 jam" in plan
    assert "ruang ASI (ruang laktasi) di tempat kerja" in plan
    assert "tidak ada kulkas: simpan ASIP di cooler bag dengan ice pack (tahan 24 jam)" in plan
    assert "Untuk yang menjaga (suami)" in plan
    # Ani (born 15 Aug 2026) is 5 months on 1 Feb 2027.
    assert "Ani berumur 5 bulan" in plan


def test_no_fridge_at_all_and_very_short_absence(sessions: sessionmaker[Session]) -> None:
    chat = Chat(sessions, "+6281234501003")
    register(chat, ("Sari", "20-10-2026"))
    plan = joined(make_plan(chat, "1-3-2027", "2", "2", "2", "1", "3", "5"))
    assert "stok tidak bisa dikumpulkan" in plan and "kantong" not in plan.split("Untuk yang menjaga")[0]
    assert "1 kali minum @90-100 ml, yaitu 90-100 ml sehari" in plan
    assert "kurang dari 3 jam" in plan and "tidak perlu memerah" in plan
    assert "Di rumah tanpa kulkas" in plan and "4 jam" in plan
    assert "(TPA)" in plan


def test_twelve_hours_baby_over_six_months_and_short_leave_warning(sessions: sessionmaker[Session]) -> None:
    chat = Chat(sessions, "+6281234501004")
    register(chat, ("Dewi", "1-5-2026"), ("Eka", "10-10-2026"))
    chat.send("MENU")
    choose = joined(chat.send("5"))
    assert "Rencana ini untuk bayi yang mana?" in choose and "1. Dewi" in choose and "2. Eka" in choose
    assert "Mohon ketik nomor bayinya" in joined(chat.send("7"))
    chat.send("1")
    plan = joined(chat.say("1-12-2026", "12", "2", "2", "5", "3", "4"))
    # 12 h: 4 feeds, 360-400 ml; express 12 // 3 = 4 times; stock 800 ml in a deep freezer.
    assert (
        "4 kali minum @90-100 ml, yaitu 360-400 ml sehari" in plan and "sekitar 4 kali selama 12 jam" in plan
    )
    assert "freezer khusus (deep freezer) 6-12 bulan" in plan
    assert "MPASI" in plan  # Dewi is 7 months on 1 December
    assert "Waktu memerah saat jam kerja adalah hak Bunda" in plan
    chat2 = Chat(sessions, "+6281234501005")
    register(chat2, ("Fajar", "1-11-2026"))
    early = joined(make_plan(chat2, "15-12-2026", "9", "1", "1", "3", "1", "3"))
    assert "paling sedikit 3 bulan (UU 4/2024)" in early  # back when Fajar is 1 month old
    assert "freezer di dalam kulkas 1 pintu hanya sekitar 2 minggu" in early


def test_bad_answers_get_a_clear_re_ask(sessions: sessionmaker[Session]) -> None:
    chat = Chat(sessions, "+6281234501006")
    register(chat, ("Budi", "1-9-2026"))
    chat.send("MENU")
    chat.send("5")
    reply = joined(chat.send("dua minggu lagi"))
    assert "tanggal pastinya" in reply and "Tanggal berapa Bunda mulai bekerja lagi" in reply
    reply = joined(chat.send("1-11-2026"))
    assert "1 November 2026 sudah lewat" in reply
    reply = joined(chat.send("31-2-2027"))
    assert "Februari 2027 hanya sampai tanggal 28" in reply
    assert "berapa jam total" in joined(chat.send("sudah"))  # already back at work: today
    reply = joined(chat.send("jam 8 sampai 5"))
    assert "Dari 08.00 sampai 17.00 berarti 9 jam kerja" in reply and "perjalanan" in reply
    assert "jumlah jamnya saja" in joined(chat.send("lumayan lama"))
    assert "antara 1 dan 16" in joined(chat.send("30"))
    assert "ruang ASI" in joined(chat.send("9,5 jam"))  # 9.5 h is taken as 10
    assert "jawab 1 untuk ya atau 2 untuk tidak" in joined(chat.send("hmm"))
    chat.say("ya", "tidak ada")
    assert "angka 1 sampai 5" in joined(chat.send("7"))
    chat.send("kulkas 2 pintu")
    assert "Mohon ketik 1, 2, atau 3" in joined(chat.send("asdf"))
    chat.send("1")
    assert "angka 1 sampai 5" in joined(chat.send("tetangga"))
    plan = joined(chat.send("nenek"))
    assert "Bunda mulai bekerja lagi Selasa, 24 November 2026" in plan
    assert "Mulai memerah dan menyimpan ASIP pada Selasa, 24 November 2026" in plan  # start now
    saved = plans(sessions, chat.phone)[0]
    assert saved.hours_away == 10 and saved.return_date == dt.date(2026, 11, 24)
    assert saved.lactation_room and not saved.work_fridge


def test_rights_letter_and_the_plan_again(sessions: sessionmaker[Session]) -> None:
    chat = Chat(sessions, "+6281234501007")
    register(chat, ("Budi", "1-9-2026"), name="Rina Wati")
    make_plan(chat, "4-1-2027", "9", "2", "2", "4", "1", "1")
    rights = joined(chat.send("1"))
    for law in ("UU 13/2003 Pasal 82", "Pasal 83", "UU 17/2023 Pasal 42", "PP 33/2012", "Permenkes 15/2013"):
        assert law in rights
    assert "UU 4/2024" in rights and "75%" in rights and "paling sedikit 3 bulan" in rights
    letter = joined(chat.send("2"))
    assert "Saya, Rina Wati, akan kembali bekerja pada 4 Januari 2027" in letter
    assert "Anak saya Budi, lahir 1 September 2026" in letter and "(1 Maret 2027)" in letter
    assert "(3 kali dalam sehari kerja)" in letter and "tempat yang bersih dan tertutup" in letter
    assert "Hormat saya,\nRina Wati" in letter
    assert all(len(reply) <= 1000 for reply in chat.send("1"))
    assert "Menu utama" in joined(chat.send("3"))
    home = joined(chat.send("5"))
    assert "1. Lihat rencana saya lagi" in home
    again = joined(chat.send("1"))
    assert "sekitar 600 ml, yaitu 6 kantong" in again  # 9 h: 3 feeds x 100 ml x 2 days
    chat.send("menu")
    chat.send("5")
    assert "Tanggal berapa" in joined(chat.send("2"))  # a new plan replaces the old one
    chat.say("11-1-2027", "8", "1", "1", "4", "1", "1")
    saved = plans(sessions, chat.phone)
    assert [p.stop_reason for p in saved] == ["replaced", None]


def test_no_baby_registered(sessions: sessionmaker[Session]) -> None:
    chat = Chat(sessions, "+6281234501008")
    register(chat)
    chat.send("MENU")
    reply = joined(chat.send("5"))
    assert "DATA SAYA" in reply and "HITUNG ASIP" in reply and "Menu utama" in reply
    assert plans(sessions, chat.phone) == []
