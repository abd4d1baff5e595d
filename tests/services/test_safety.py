"""Danger signs in any conversation: advice at once, the bidan alerted, and the flow resumes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Case, Contact
from tests.chat import Chat, joined
from tests.desk_support import MOTHER, RINA, add_posyandu, last_outbox_id, only_case, register, sent_to

HAS_CHILD_QUESTION = "Apakah Bunda punya anak di bawah 5 tahun?\n1. Ya\n2. Tidak"
CONVULSION = "tolong bu anak saya kejang kejang matanya mendelik"


def _cases(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(Case)) or 0


def test_a_danger_sign_in_the_middle_of_registration_alerts_the_bidan_and_registration_resumes(
    sessions: sessionmaker[Session],
) -> None:
    posyandu_id = add_posyandu(sessions)
    chat = Chat(sessions, MOTHER)
    assert chat.say("halo", "1", "Siti", "1")[-1] == HAS_CHILD_QUESTION
    before = last_outbox_id(sessions)

    replies = chat.send(CONVULSION)

    text = joined(replies)
    assert "tanda bahaya" in text and "IGD" in text and "Buku KIA" in text and "119" in text
    assert f"Bidan Rina ({RINA})" in text
    assert replies[-1] == HAS_CHILD_QUESTION  # the question she was at, again
    [alert] = sent_to(sessions, RINA, after=before)
    assert alert.kind == "urgent" and "DARURAT" in alert.body and MOTHER in alert.body
    assert "kejang" in alert.body and "Siti" in alert.body
    case = only_case(sessions)
    assert (case.urgency, case.topic, case.status) == ("darurat", "triage_darurat", "open")
    assert case.posyandu_id == posyandu_id  # chosen during registration, not yet saved on her profile
    # Registration goes on where it was and completes.
    assert "Pendaftaran selesai" in joined(chat.say("2", "2"))
    with sessions() as session:
        mother = session.scalar(select(Contact).where(Contact.phone == MOTHER))
        assert mother is not None and mother.registered_at is not None and mother.posyandu_id == posyandu_id


def test_fever_of_a_three_week_old_inside_another_flow_is_an_emergency_and_the_flow_resumes(
    sessions: sessionmaker[Session],
) -> None:
    add_posyandu(sessions)
    chat = Chat(sessions, MOTHER)
    register(chat, child_dob="3-11-2026")  # 3 weeks old on 24 November 2026
    question = chat.send("DATA SAYA")[-1]
    before = last_outbox_id(sessions)

    replies = chat.send("bayi saya badannya panas")

    assert "tanda bahaya" in joined(replies) and replies[-1] == question
    [alert] = sent_to(sessions, RINA, after=before)
    assert alert.kind == "urgent" and "Budi" in alert.body and "bayi saya badannya panas" in alert.body
    assert only_case(sessions).child_id is not None


def test_fever_of_an_older_child_means_the_bidan_within_24_hours_and_a_case_opened(
    sessions: sessionmaker[Session],
) -> None:
    add_posyandu(sessions)
    chat = Chat(sessions, MOTHER)
    register(chat, child_dob="1-5-2024")
    before = last_outbox_id(sessions)

    text = joined(chat.send("anak saya panas sejak kemarin"))

    assert "24 jam" in text and "tanda bahaya" not in text.split("24 jam")[0].lower()
    case = only_case(sessions)
    assert case.urgency == "segera" and f"nomor kasus {case.id}" in text
    [alert] = sent_to(sessions, RINA, after=before)
    assert alert.kind == "case_alert" and "SEGERA" in alert.body
    # A second message about it, inside another flow, joins the same case and the flow resumes.
    question = chat.send("DATA SAYA")[-1]
    replies = chat.send("anaknya masih panas")
    assert f"kasus Bunda nomor {case.id}" in joined(replies) and replies[-1] == question
    assert _cases(sessions) == 1
    assert "anaknya masih panas" in [entry["text"] for entry in only_case(sessions).transcript]


def test_every_danger_message_joins_one_open_case_and_alerts_again(sessions: sessionmaker[Session]) -> None:
    add_posyandu(sessions)
    chat = Chat(sessions, MOTHER)
    register(chat, child_dob="1-5-2025")
    chat.send(CONVULSION)
    chat.send("masih kejang bu sudah 10 menit")
    assert _cases(sessions) == 1
    assert len([r for r in sent_to(sessions, RINA) if r.kind == "urgent"]) == 2


def test_a_danger_sign_at_night_reaches_the_bidan_at_once(sessions: sessionmaker[Session]) -> None:
    add_posyandu(sessions)
    chat = Chat(sessions, MOTHER)
    register(chat, child_dob="1-5-2025")
    chat.now = dt.datetime(2026, 11, 24, 16, 30)  # 23:30 WIB
    chat.send(CONVULSION)
    [alert] = sent_to(sessions, RINA)
    assert alert.next_attempt_at <= dt.datetime(2026, 11, 24, 16, 31)


def test_after_stop_a_danger_sign_still_gets_advice_and_the_bidan(sessions: sessionmaker[Session]) -> None:
    add_posyandu(sessions)
    chat = Chat(sessions, MOTHER)
    register(chat, child_dob="1-5-2025")
    chat.send("STOP")
    assert chat.send("halo") == []
    before = last_outbox_id(sessions)

    replies = chat.send(CONVULSION)

    assert "tanda bahaya" in joined(replies)
    rows = sent_to(sessions, MOTHER, after=before)
    assert rows and all(row.ignore_opt_out for row in rows)
    assert len(sent_to(sessions, RINA, after=before)) == 1


def test_without_consent_the_advice_is_given_and_nothing_is_stored(sessions: sessionmaker[Session]) -> None:
    add_posyandu(sessions)
    chat = Chat(sessions, MOTHER)
    text = joined(chat.send(CONVULSION))
    assert "tanda bahaya" in text and "119" in text
    assert _cases(sessions) == 0 and sent_to(sessions, RINA) == []
    assert "setuju" in joined(chat.send("halo"))  # then registration starts as usual


def test_global_keywords_still_win_and_staff_are_not_triaged(sessions: sessionmaker[Session]) -> None:
    add_posyandu(sessions)
    chat = Chat(sessions, MOTHER)
    chat.say("halo", "1", "Siti")
    assert "dibatalkan" in joined(chat.send("batal")).lower()
    bidan = joined(Chat(sessions, RINA).send("anak ibu ini kejang"))
    assert "Perintah untuk bidan" in bidan and _cases(sessions) == 0


def test_her_own_danger_sign_counts_although_she_has_a_toddler(sessions: sessionmaker[Session]) -> None:
    """The child's age must not hide the mother's own signs (here: waters breaking in a new pregnancy)."""
    add_posyandu(sessions)
    chat = Chat(sessions, MOTHER)
    register(chat, child_dob="1-5-2025")
    assert "tanda bahaya" in joined(chat.send("ketuban sy rembes bun blm kontraksi"))
    assert only_case(sessions).urgency == "darurat"


# -- a question about danger signs, then YA --------------------------------------------------------


def test_a_question_about_convulsions_gets_first_aid_and_ya_opens_the_emergency_at_once(
    sessions: sessionmaker[Session],
) -> None:
    add_posyandu(sessions)
    chat = Chat(sessions, MOTHER)
    register(chat, child_dob="1-5-2024")
    before = last_outbox_id(sessions)

    text = joined(chat.send("kalau anak kejang harus ngapain bun"))

    assert "baringkan miring" in text and "Balas YA" in text
    assert _cases(sessions) == 0 and sent_to(sessions, RINA, after=before) == []

    confirmed = joined(chat.send("ya"))

    assert "tanda bahaya" in confirmed and f"Bidan Rina ({RINA})" in confirmed
    case = only_case(sessions)
    assert (case.urgency, case.status) == ("darurat", "open")
    [alert] = sent_to(sessions, RINA, after=before)
    assert alert.kind == "urgent" and "kalau anak kejang harus ngapain bun" in alert.body


def test_ya_without_a_question_about_signs_before_it_opens_no_case(sessions: sessionmaker[Session]) -> None:
    add_posyandu(sessions)
    chat = Chat(sessions, MOTHER)
    register(chat, child_dob="1-5-2024")
    chat.send("kalau anak kejang harus ngapain bun")
    chat.now += dt.timedelta(hours=2)  # long after: YA no longer answers that question

    chat.send("ya")

    assert _cases(sessions) == 0


def test_a_convulsion_last_week_that_is_over_raises_no_alarm_but_gives_the_facts(
    sessions: sessionmaker[Session],
) -> None:
    add_posyandu(sessions)
    chat = Chat(sessions, MOTHER)
    register(chat, child_dob="1-5-2024")

    text = joined(chat.send("minggu lalu anak saya sempat kejang waktu panas, skrg udah sehat"))

    assert "Balas YA" in text and "baringkan miring" in text
    assert _cases(sessions) == 0


def test_bleeding_in_pregnancy_advice_is_for_the_mother_not_the_baby(sessions: sessionmaker[Session]) -> None:
    add_posyandu(sessions)
    chat = Chat(sessions, MOTHER)
    register(chat, child_dob="1-5-2024")

    text = joined(chat.send("saya hamil 7 bulan keluar darah dari jalan lahir"))

    assert "miring ke kiri" in text and "Jangan berangkat sendiri" in text
    assert "susui" not in text and "hangat" not in text
