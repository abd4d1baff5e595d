"""Helpers for the ASI tests: register a mother with babies, and walk the plan questions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import AsiPlan, Contact, Posyandu
from tests.chat import Chat

#: 2026-11-24 03:00 UTC: 10:00 WIB, 11:00 WITA (the Chat default).
NOW = dt.datetime(2026, 11, 24, 3, 0)


def add_posyandu(
    sessions: sessionmaker[Session], name: str = "Melati", timezone: str = "Asia/Jakarta"
) -> int:
    with sessions() as session, session.begin():
        post = Posyandu(name=name, desa="Sukamaju", timezone=timezone)
        session.add(post)
        session.flush()
        return post.id


def register(chat: Chat, *babies: tuple[str, str], posyandu: bool = False, name: str = "Siti") -> None:
    """Register a mother with ``babies`` (name, date of birth as typed), not pregnant."""
    messages = ["halo", "1", name] + (["1"] if posyandu else [])
    if babies:
        messages.append("1")
        for number, (baby, born) in enumerate(babies, 1):
            messages += [baby, "2", born, "1", "1" if number < len(babies) else "2"]
    else:
        messages.append("2")
    messages.append("2")
    chat.say(*messages)


def plan_answers(
    return_date: str,
    hours: str,
    room: str,
    work_fridge: str,
    storage: str,
    express: str,
    caregiver: str,
) -> list[str]:
    return [return_date, hours, room, work_fridge, storage, express, caregiver]


def make_plan(chat: Chat, *answers: str) -> list[str]:
    """Open the menu option and answer the questions; returns the replies to the last answer."""
    chat.send("MENU")
    chat.send("5")
    return chat.say(*answers)


def plans(sessions: sessionmaker[Session], phone: str) -> list[AsiPlan]:
    with sessions() as session:
        mother = session.scalar(select(Contact).where(Contact.phone == phone))
        assert mother is not None
        found = list(
            session.scalars(select(AsiPlan).where(AsiPlan.mother_id == mother.id).order_by(AsiPlan.id))
        )
        for plan in found:
            _ = plan.checkins, plan.child
        return found
