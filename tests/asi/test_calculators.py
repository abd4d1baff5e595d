"""HITUNG ASIP and SIMPAN ASIP, typed by a registered mother at any point of the conversation."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from flows.asi.calculators import command, parse_when
from tests.asi.support import add_posyandu, register
from tests.chat import Chat, joined

# Chat time: Tuesday 24 November 2026 03:00 UTC = 10:00 WIB = 11:00 WITA.


def _mother(sessions: sessionmaker[Session], phone: str) -> Chat:
    chat = Chat(sessions, phone)
    register(chat, ("Budi", "1-9-2026"))
    return chat


def test_hitung_asip_asks_the_hours_and_counts(sessions: sessionmaker[Session]) -> None:
    chat = _mother(sessions, "+6281234502001")
    assert "Berapa jam Bunda jauh dari bayi" in joined(chat.send("HITUNG ASIP"))
    assert "Dari 07.00 sampai 16.00 berarti 9 jam kerja" in joined(chat.send("07.00-16.00"))
    reply = joined(chat.send("8"))
    # 8 h: ceil(8/3) = 3 feeds x 90-100 ml = 270-300 ml; express 8 // 3 = 2 times; stock 2 x 300 = 600 ml.
    assert "3 kali minum @90-100 ml, jadi yang menjaga perlu 270-300 ml sehari" in reply
    assert "sekitar 2 kali" in reply and "sekitar 600 ml, 6 kantong @100 ml" in reply
    assert "750 ml sehari" in reply
    reply = joined(chat.send("hitung asip 12 jam"))  # inline, no question
    assert "Untuk 12 jam" in reply and "360-400 ml sehari" in reply and "sekitar 800 ml, 8 kantong" in reply


def test_a_calculator_interrupts_a_flow_and_the_menu_still_works(sessions: sessionmaker[Session]) -> None:
    chat = _mother(sessions, "+6281234502002")
    chat.send("3")  # DATA SAYA
    assert "Berapa jam" in joined(chat.send("hitung asip"))
    assert "jumlah jamnya saja" in joined(chat.send("seharian"))
    assert "Untuk 10 jam" in joined(chat.send("10"))
    assert "Menu utama" in joined(chat.send("menu"))


def test_simpan_asip_fridge_with_the_date_and_time_in_indonesian(sessions: sessionmaker[Session]) -> None:
    chat = _mother(sessions, "+6281234502003")
    assert "ASIP disimpan di mana?" in joined(chat.send("SIMPAN ASIP"))
    assert "Kapan ASIP diperah?" in joined(chat.send("3"))
    reply = joined(chat.send("hari ini 07.30"))
    # fridge: 4 days → Saturday 28 November 2026, 07.30
    assert "ASIP aman sampai Sabtu, 28 November 2026 pukul 07.30" in reply
    assert "bukan di pintu" in reply and "dibuang setelah 2 jam" in reply


def test_simpan_asip_cooler_bag_room_and_freezers(sessions: sessionmaker[Session]) -> None:
    chat = _mother(sessions, "+6281234502004")
    reply = joined(chat.say("simpan asip", "2", "kemarin 21.00"))
    assert "ASIP aman sampai Selasa, 24 November 2026 pukul 21.00" in reply  # cooler bag: 24 h
    assert "pindahkan ke kulkas atau freezer" in reply
    reply = joined(chat.say("simpan asip", "1", "jam 8 pagi"))
    assert "ASIP aman sampai Selasa, 24 November 2026 pukul 12.00" in reply  # room: 4 h
    reply = joined(chat.say("simpan asip", "5", "30-11-2026"))
    assert "Tanggal itu belum terjadi" in reply and "Kapan ASIP diperah?" in reply
    reply = joined(chat.send("20-11-2026"))
    assert "paling lambat Sabtu, 20 Februari 2027" in reply and "3-6 bulan" in reply  # 2-door: 3 months
    reply = joined(chat.say("simpan asip", "6", "20-11-2026 06.15"))
    assert "paling lambat Kamis, 20 Mei 2027" in reply  # deep freezer: 6 months
    reply = joined(chat.say("simpan asip", "7", "sekarang"))
    assert "ASIP aman sampai Rabu, 25 November 2026 pukul 10." in reply  # thawed in the fridge: 24 h
    assert "Jangan dibekukan lagi" in reply


def test_simpan_asip_past_future_and_unreadable(sessions: sessionmaker[Session]) -> None:
    chat = _mother(sessions, "+6281234502005")
    reply = joined(chat.say("simpan asip", "1", "kemarin 07.00"))
    assert "sudah lewat batas amannya (Senin, 23 November 2026 pukul 11.00)" in reply
    assert "Jangan diberikan" in reply
    chat.say("simpan asip", "3")
    assert "belum terjadi" in joined(chat.send("30-11-2026 08.00"))
    assert "hari dan jamnya" in joined(chat.send("pokoknya tadi"))
    assert "perlu jamnya juga" not in joined(chat.send("22-11-2026"))  # fridge: a date is enough
    chat.say("simpan asip", "2")
    assert "perlu jamnya juga" in joined(chat.send("kemarin"))
    assert "angka 1 sampai 8" in joined(chat.send("simpan asip") + chat.send("9"))


def test_local_time_of_the_mother_posyandu(sessions: sessionmaker[Session]) -> None:
    add_posyandu(sessions, timezone="Asia/Makassar")
    chat = Chat(sessions, "+6281234502006")
    register(chat, ("Budi", "1-9-2026"), posyandu=True)
    reply = joined(chat.say("simpan asip", "1", "sekarang"))
    # 03:xx UTC = 11:xx WITA → room 4 h → 15:xx WITA
    assert "pukul 15." in reply


def test_commands_and_when_parsing() -> None:
    assert command("HITUNG ASIP") == "hitung" and command("hitung  asip 10") == "hitung"
    assert command("Simpan ASIP!") == "simpan" and command("asi kerja") == "asi"
    assert command("saya mau simpan asip di kulkas") is None
    now = dt.datetime(2026, 11, 24, 10, 0)
    assert parse_when("jam 22.00", now) == (dt.datetime(2026, 11, 23, 22, 0), True)  # last night
    assert parse_when("tadi pagi jam 7", now) == (dt.datetime(2026, 11, 24, 7, 0), True)
    assert parse_when("kemarin jam 9 malam", now) == (dt.datetime(2026, 11, 23, 21, 0), True)
    assert parse_when("20.11.2026 06.15", now) == (dt.datetime(2026, 11, 20, 6, 15), True)
    assert parse_when("12 nov", now) == (dt.datetime(2026, 11, 12, 0, 0), False)
