"""Free questions in the chat: an answer with "was this helpful?", the 3 closest topics, or the bidan."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Case, Event
from flows.knowledge import faq
from tests.chat import Chat, joined

PHONE = "+6281234500031"


def registered(sessions: sessionmaker[Session]) -> Chat:
    chat = Chat(sessions, PHONE)
    chat.say("halo", "1", "Siti", "2", "2")
    return chat


def test_a_clear_question_gets_the_answer_and_a_helpful_check(sessions: sessionmaker[Session]) -> None:
    chat = registered(sessions)
    reply = joined(chat.send("asi perah tahan berapa lama di kulkas bun"))
    assert faq.topic_answer("asi_perah_simpan") in reply
    assert "membantu" in reply
    assert "Syukurlah" in joined(chat.send("1"))
    with sessions() as session:
        helpful = session.scalar(select(Event).where(Event.kind == "faq_feedback"))
        assert helpful.details == {"topic": "asi_perah_simpan", "helpful": True}


def test_not_helpful_offers_the_bidan_and_opens_a_case(sessions: sessionmaker[Session]) -> None:
    chat = registered(sessions)
    chat.send("2")  # menu: ask a question
    chat.send("imunisasi campak umur berapa")
    assert "teruskan" in joined(chat.send("tidak"))
    assert "kasus" in joined(chat.send("ya")).lower()
    with sessions() as session:
        case = session.scalar(select(Case))
        assert case is not None and case.summary == "imunisasi campak umur berapa"


def test_out_of_scope_is_declined_kindly_with_the_menu(sessions: sessionmaker[Session]) -> None:
    chat = registered(sessions)
    reply = joined(chat.send("harga hp samsung terbaru berapa"))
    assert faq.out_of_scope_answer() in reply and "Menu utama" in reply


def test_a_new_question_at_the_feedback_step_is_answered(sessions: sessionmaker[Session]) -> None:
    chat = registered(sessions)
    chat.send("kapan mulai mpasi")
    reply = joined(chat.send("anak saya susah makan gimana ya"))
    assert faq.topic_answer("gizi_susah_makan") in reply


def test_picking_from_the_closest_topics(sessions: sessionmaker[Session]) -> None:
    chat = registered(sessions)
    result = None
    for question in ("asi", "bayi", "anak pendek", "susu"):
        candidate = faq.answer(question)
        if candidate.topic is not None and not candidate.is_confident and len(candidate.matches) >= 2:
            result = (question, candidate)
            break
    assert result is not None, "expected an ambiguous short question"
    question, candidate = result
    reply = joined(chat.send(question))
    assert "salah satu ini" in reply
    chosen = joined(chat.send("1"))
    assert faq.topic_answer(candidate.matches[0].topic) in chosen
