"""``TIMBANG``: a kader records a weighing at the posyandu; nobody else can."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from db.models import Child, Contact, Posyandu
from tests.chat import Chat, joined
from tests.desk_support import MOTHER, sent_to
from tests.growth.support import RINA, WATI, add_kader, add_measurement, cases, measurements, mother_with_budi


def kader_chat(sessions: sessionmaker[Session]) -> tuple[Chat, Chat]:
    mother, posyandu_id = mother_with_budi(sessions)
    add_kader(sessions, posyandu_id)
    return Chat(sessions, WATI), mother


def test_a_kader_records_a_weighing_by_the_childs_name(sessions: sessionmaker[Session]) -> None:
    kader, _mother = kader_chat(sessions)
    before = sent_to(sessions, MOTHER)[-1].id
    text = joined(kader.send("TIMBANG Budi 8,5 70 berbaring"))
    assert "Tersimpan untuk Budi (ibu: Siti)." in text
    assert "24/11/26 8,5 kg 70 cm WAZ -0.28 HAZ -0.59 WHZ +0.11 B" in text
    assert "- Berat menurut umur: sesuai umurnya (berat badan normal)" in text
    [row] = measurements(sessions)
    assert (row.weight_kg, row.length_cm, row.position, row.source) == (8.5, 70.0, "recumbent", "kader")
    assert any(r.media_url for r in sent_to(sessions, WATI))  # the kader gets the chart to show the mother
    [note] = sent_to(sessions, MOTHER, before)
    assert (note.kind, note.template_name) == ("growth_result", "hasil_timbang")
    assert "Hasil Budi (umur 8 bulan)" in note.body
    assert note.template_variables["2"] == "Budi"


def test_a_kader_records_by_the_mothers_phone_in_local_format(sessions: sessionmaker[Session]) -> None:
    kader, _ = kader_chat(sessions)
    kader.send("timbang 081234500101 8,5 kg 70 cm")
    [row] = measurements(sessions)
    assert (row.weight_kg, row.length_cm, row.position) == (8.5, 70.0, None)


def test_a_mother_typing_timbang_is_refused_and_nothing_is_stored(sessions: sessionmaker[Session]) -> None:
    _, mother = kader_chat(sessions)
    assert "TIMBANG hanya untuk kader posyandu" in joined(mother.send("TIMBANG Budi 8,5 70"))
    assert measurements(sessions) == []


def test_a_bidan_typing_timbang_is_refused_too(sessions: sessionmaker[Session]) -> None:
    kader_chat(sessions)
    assert "TIMBANG hanya untuk kader posyandu" in joined(Chat(sessions, RINA).send("TIMBANG Budi 8,5 70"))


def test_a_kader_of_another_posyandu_cannot_record_for_this_one(sessions: sessionmaker[Session]) -> None:
    kader_chat(sessions)
    with sessions() as session, session.begin():
        other = Posyandu(name="Kenanga")
        session.add(other)
        session.flush()
        other_id = other.id
    add_kader(sessions, other_id, phone="+6281298700060", name="Tini")
    tini = Chat(sessions, "+6281298700060")
    assert "Tidak ada anak bernama Budi di posyandu Anda" in joined(tini.send("TIMBANG Budi 8,5 70"))
    assert "Tidak ada anak dengan nomor HP ibu itu" in joined(tini.send("TIMBANG 081234500101 8,5 70"))
    assert measurements(sessions) == []


def test_two_children_of_the_same_name_need_the_mothers_phone(sessions: sessionmaker[Session]) -> None:
    kader, _ = kader_chat(sessions)
    with sessions() as session, session.begin():
        melati = session.query(Posyandu).filter_by(name="Melati").one()
        other = Contact(
            phone="+6281234500202",
            name="Dewi",
            posyandu_id=melati.id,
            consent_given_at=dt.datetime(2026, 1, 1),
        )
        other.children.append(Child(name="Budi", sex="L", date_of_birth=dt.date(2025, 6, 1)))
        session.add(other)
    text = joined(kader.send("TIMBANG Budi 8,5 70"))
    assert "Ada lebih dari satu anak yang cocok" in text and "Dewi +6281234500202" in text
    assert measurements(sessions) == []
    kader.send("TIMBANG 081234500202 Budi 10,5 80")
    [row] = measurements(sessions)
    assert row.weight_kg == 10.5


def test_an_incomplete_command_shows_how_to_write_it(sessions: sessionmaker[Session]) -> None:
    kader, _ = kader_chat(sessions)
    assert "Tulis seperti ini: TIMBANG <nama anak atau HP ibu>" in joined(kader.send("TIMBANG Budi"))


def test_an_implausible_weighing_is_not_saved(sessions: sessionmaker[Session]) -> None:
    kader, _ = kader_chat(sessions)
    text = joined(kader.send("TIMBANG Budi 40 70"))
    assert "40 kg tidak sesuai untuk anak umur 8 bulan" in text and "Belum ada yang disimpan" in text
    assert measurements(sessions) == []


def test_an_alarm_from_the_kader_opens_a_case_and_tells_the_mother_the_referral_path(
    sessions: sessionmaker[Session],
) -> None:
    kader, _ = kader_chat(sessions)
    add_measurement(sessions, dt.date(2026, 10, 24), 8.4, 69.0)
    before = sent_to(sessions, MOTHER)[-1].id
    text = joined(kader.send("TIMBANG Budi 8,5 70 berbaring"))
    assert "Bidan sudah diberi tahu: kasus 1" in text
    [case] = cases(sessions)
    assert (case.topic, case.mother_id is not None) == ("growth_not_gaining", True)
    result, referral = sent_to(sessions, MOTHER, before)
    assert "Hasilnya T" in result.body
    assert "Bidan Rina (kasus 1)" in referral.body and "kartu BPJS/KIS" in referral.body
    assert referral.template_name == "pesan_umum"
    assert any("berat badan tidak naik" in (row.body or "") for row in sent_to(sessions, RINA))
