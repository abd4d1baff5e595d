"""Registration with consent, as a mother experiences it in the chat."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Child, Contact, ConversationState, Event, InboundMessage, Posyandu, Pregnancy
from tests.chat import Chat, joined

PHONE = "+6281234500001"


def add_posyandu(sessions: sessionmaker[Session], name: str = "Melati", desa: str = "Sukamaju") -> int:
    with sessions() as session, session.begin():
        post = Posyandu(name=name, desa=desa, timezone="Asia/Jakarta")
        session.add(post)
        session.flush()
        return post.id


def contact(sessions: sessionmaker[Session], phone: str = PHONE) -> Contact | None:
    with sessions() as session:
        found = session.scalar(select(Contact).where(Contact.phone == phone))
        if found is not None:
            _ = found.children, found.pregnancies, found.posyandu
        return found


def test_full_registration_stores_the_profile_at_the_end(sessions: sessionmaker[Session]) -> None:
    add_posyandu(sessions)
    chat = Chat(sessions, PHONE)
    first = joined(chat.send("halo"))
    assert "UU 27/2022" in first and "setuju" in first.lower()
    assert "Siapa nama Bunda" in joined(chat.send("1"))
    assert "posyandu mana" in joined(chat.send("siti aminah"))
    assert "anak di bawah 5 tahun" in joined(chat.send("1"))
    chat.send("ya")
    assert "laki-laki atau perempuan" in joined(chat.send("budi"))
    assert "Kapan Budi lahir" in joined(chat.send("cowok"))
    assert "12 Maret 2024" in joined(chat.send("12 mar 24"))
    # Nothing of the profile is stored while the registration is still running.
    assert contact(sessions).children == []
    assert contact(sessions).name is None
    chat.send("1")
    chat.send("tidak")
    chat.send("iya")
    chat.send("2")
    done = joined(chat.send("1-4-2027"))
    assert "Pendaftaran selesai" in done and "Menu utama" in done
    assert "Posyandu: Melati" in done
    mother = contact(sessions)
    assert mother.name == "Siti Aminah"
    assert mother.posyandu.name == "Melati"
    assert [(c.name, c.sex, c.date_of_birth) for c in mother.children] == [
        ("Budi", "L", dt.date(2024, 3, 12))
    ]
    assert [(p.hpl, p.hpht) for p in mother.pregnancies] == [(dt.date(2027, 4, 1), None)]
    assert mother.consent_given_at is not None and mother.registered_at is not None


def test_dates_in_many_forms_and_bad_dates_get_clear_answers(sessions: sessionmaker[Session]) -> None:
    chat = Chat(sessions, PHONE)
    chat.say("halo", "1", "Rina", "1", "Ani", "2")
    assert "Februari 2024 hanya sampai tanggal 29" in joined(chat.send("31-02-2024"))
    assert "belum terjadi" in joined(chat.send("3-1-2027"))
    assert "belum terbaca" in joined(chat.send("kemarin dulu sekali"))
    assert "lebih dari 5 tahun" in joined(chat.send("1-1-2019"))
    for typed, shown in [
        ("12/03/24", "12 Maret 2024"),
        ("5 Agustus 2025", "5 Agustus 2025"),
        ("1.2.2026", "1 Februari 2026"),
    ]:
        assert shown in joined(chat.send(typed))
        chat.send("2")  # "No, change it" → asked again
    assert "1 Februari 2026" in joined(chat.send("01-02-2026"))


def test_refusing_consent_stores_only_the_phone_and_the_refusal(sessions: sessionmaker[Session]) -> None:
    chat = Chat(sessions, PHONE)
    chat.send("Assalamualaikum, anak saya namanya Budi lahir 3 maret")
    reply = joined(chat.send("tidak"))
    assert "tidak menyimpan apa pun" in reply
    mother = contact(sessions)
    assert mother.consent_refused_at is not None and mother.consent_given_at is None
    assert mother.name is None and mother.children == []
    with sessions() as session:
        bodies = session.scalars(select(InboundMessage.body).where(InboundMessage.from_phone == PHONE)).all()
        assert set(bodies) == {""}
        assert session.scalar(select(func.count()).select_from(ConversationState)) == 0
    # Writing again asks for consent again.
    assert "setuju" in joined(chat.send("halo")).lower()


def test_each_global_keyword_works_in_the_middle_of_registration(sessions: sessionmaker[Session]) -> None:
    chat = Chat(sessions, PHONE)
    chat.say("halo", "1", "Siti", "1", "Budi")
    # BANTUAN: the help, then the same question again.
    help_reply = joined(chat.send("bantuan"))
    assert "HAPUS DATA" in help_reply and "laki-laki atau perempuan" in help_reply
    # MENU: registration is not finished, so the question comes back.
    assert "laki-laki atau perempuan" in joined(chat.send("MENU"))
    # BIDAN: her question is asked first, then a case is opened, the mother is told, the flow resumes.
    assert "ingin Bunda tanyakan" in joined(chat.send("bidan"))
    bidan_reply = joined(chat.send("anak saya batuk"))
    assert "kasus" in bidan_reply.lower() and "laki-laki atau perempuan" in bidan_reply
    # Answers still work after the interruptions.
    assert "Kapan Budi lahir" in joined(chat.send("2"))
    # BATAL: nothing half-stored.
    assert "dibatalkan" in joined(chat.send("batal")).lower()
    assert contact(sessions).children == [] and contact(sessions).name is None
    # MULAI: registration again, consent already given so it starts at the name.
    assert "Siapa nama Bunda" in joined(chat.send("mulai"))
    # HAPUS DATA, declined: back to the same question.
    assert "YA HAPUS" in joined(chat.send("hapus data"))
    assert "Siapa nama Bunda" in joined(chat.send("tidak"))
    # STOP: confirmed, and then silence.
    assert "tidak akan menerima pesan" in joined(chat.send("STOP"))
    assert chat.send("Siti") == []
    assert contact(sessions).opted_out_at is not None


def test_opt_out_stops_every_later_message_until_mulai(sessions: sessionmaker[Session]) -> None:
    chat = Chat(sessions, PHONE)
    chat.say("halo", "1", "Siti", "2", "2")
    assert contact(sessions).registered_at is not None
    assert "tidak akan menerima" in joined(chat.send("berhenti"))
    for text in ("halo", "1", "menu", "bantuan", "bidan", ""):
        assert chat.send(text) == []
    back = joined(chat.send("MULAI"))
    assert "Selamat datang kembali" in back and "Menu utama" in back
    assert contact(sessions).opted_out_at is None


def test_hapus_data_erases_personal_and_health_data(sessions: sessionmaker[Session]) -> None:
    chat = Chat(sessions, PHONE)
    chat.say("halo", "1", "Siti", "1", "Budi", "2", "1-6-2025", "1", "2", "1", "1", "1-8-2026")
    assert contact(sessions).children
    assert "YA HAPUS" in joined(chat.send("HAPUS DATA"))
    assert "sudah dihapus" in joined(chat.send("ya hapus"))
    assert contact(sessions) is None
    with sessions() as session:
        erased = session.scalar(select(Contact).where(Contact.erased_at.is_not(None)))
        assert erased is not None and erased.phone is None and erased.name is None
        assert session.scalar(select(func.count()).select_from(Child)) == 0
        assert session.scalar(select(func.count()).select_from(Pregnancy)) == 0
        assert set(session.scalars(select(InboundMessage.body))) == {""}
        assert session.scalar(select(Event).where(Event.kind == "data_erased")) is not None
    # The same phone starts afresh, with the consent question.
    assert "setuju" in joined(chat.send("halo")).lower()


def test_unreadable_messages_get_a_helpful_reply_and_the_question_again(
    sessions: sessionmaker[Session],
) -> None:
    chat = Chat(sessions, PHONE)
    chat.say("halo", "1")
    assert "foto" in joined(chat.send("", num_media=1)) and "Siapa nama" in joined(chat.send("", num_media=1))
    assert "kosong" in joined(chat.send("   "))
    assert "emoji" in joined(chat.send("🙏🙏😊"))
    long_reply = joined(chat.send("anak saya " * 410))
    assert "panjang" in long_reply and "Siapa nama" in long_reply
    assert contact(sessions).name is None
