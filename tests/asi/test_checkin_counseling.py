"""Check-in answers that lead to the FAQ answers and, for breast problems, through triage to the bidan."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import AsiStatus, Case, Contact, Role
from flows.knowledge import faq
from tests.asi.support import add_posyandu, make_plan, register
from tests.asi.test_checkin import _run
from tests.chat import Chat, joined

BIDAN_PHONE = "+6281299900002"


def _mother(sessions: sessionmaker[Session], phone: str) -> Chat:
    post_id = add_posyandu(sessions)
    with sessions() as session, session.begin():
        session.add(
            Contact(
                phone=BIDAN_PHONE,
                role=Role.BIDAN,
                name="Bidan Rini",
                posyandu_id=post_id,
                consent_given_at=dt.datetime(2026, 1, 1),
            )
        )
    chat = Chat(sessions, phone)
    register(chat, ("Budi", "1-9-2026"), posyandu=True)
    make_plan(chat, "4-1-2027", "10", "2", "1", "4", "1", "1")
    _run(sessions, dt.datetime(2026, 12, 21, 2, 0))
    chat.now = dt.datetime(2026, 12, 21, 3, 0)
    return chat


def test_milk_decreasing_gets_the_faq_answer_then_the_record_question(
    sessions: sessionmaker[Session],
) -> None:
    chat = _mother(sessions, "+6281234505001")
    reply = joined(chat.send("2"))
    assert faq.topic_answer("asi_produksi_sedikit") in reply and "hanya mendapat ASI" in reply
    chat.send("1")
    with sessions() as session:
        assert session.scalar(select(AsiStatus.status)) == "exclusive"


def test_red_hot_breast_with_fever_goes_to_the_bidan(sessions: sessionmaker[Session]) -> None:
    chat = _mother(sessions, "+6281234505002")
    assert "Ceritakan singkat" in joined(chat.send("3"))
    before = chat._last_outbox_id()
    reply = joined(chat.send("payudara kanan merah, bengkak, panas dan nyeri, badan saya demam"))
    assert "Sudah saya teruskan ke bidan" in reply and "hanya mendapat ASI" in reply
    alerts = [row for row in chat.outbox_since(before) if row.to_phone == BIDAN_PHONE]
    assert len(alerts) == 1 and "payudara kanan merah" in (alerts[0].body or "")
    with sessions() as session:
        case = session.scalar(select(Case))
        assert case is not None and case.topic == "asi_breast" and case.urgency in ("segera", "darurat")


def test_sore_nipple_gets_the_faq_answer_without_a_case(sessions: sessionmaker[Session]) -> None:
    chat = _mother(sessions, "+6281234505003")
    chat.send("3")
    reply = joined(chat.send("puting agak lecet"))
    assert faq.topic_answer("asi_payudara_masalah") in reply
    with sessions() as session:
        assert session.scalar(select(Case)) is None
