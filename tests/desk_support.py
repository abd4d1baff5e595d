"""Shared set-up for the case desk tests: a posyandu with its bidan, and registered mothers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Case, Contact, OutboxMessage, Posyandu, Role
from tests.chat import Chat

MOTHER = "+6281234500101"
RINA, SARI = "+6281298700001", "+6281298700002"
PUSKESMAS = "+6281298700099"


def add_posyandu(
    sessions: sessionmaker[Session],
    bidans: tuple[tuple[str, str], ...] = (("Rina", RINA),),
    *,
    backup: str | None = PUSKESMAS,
    timezone: str = "Asia/Jakarta",
) -> int:
    """Posyandu Melati with its bidan (added the way ``users add`` does: consent and registration set)."""
    with sessions() as session, session.begin():
        post = Posyandu(name="Melati", desa="Sukamaju", timezone=timezone, backup_phone=backup)
        session.add(post)
        session.flush()
        for name, phone in bidans:
            session.add(
                Contact(
                    phone=phone,
                    role=Role.BIDAN,
                    name=name,
                    posyandu_id=post.id,
                    registered_at=dt.datetime(2026, 1, 1),
                    consent_given_at=dt.datetime(2026, 1, 1),
                )
            )
        return post.id


def register(chat: Chat, *, child_dob: str | None = None, pregnant: bool = False) -> None:
    """Register Bunda Siti at posyandu Melati (the only one), with one child born ``child_dob``."""
    chat.say("halo", "1", "Siti", "1")
    if child_dob:
        chat.say("1", "Budi", "1", child_dob, "1", "2")
    else:
        chat.say("2")
    if pregnant:
        chat.say("1", "3")  # pregnant, date not known
    else:
        chat.say("2")


def last_outbox_id(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1)) or 0


def sent_to(sessions: sessionmaker[Session], phone: str, after: int = 0) -> list[OutboxMessage]:
    with sessions() as session:
        return list(
            session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.to_phone == phone, OutboxMessage.id > after)
                .order_by(OutboxMessage.id)
            )
        )


def only_case(sessions: sessionmaker[Session]) -> Case:
    with sessions() as session:
        [case] = session.scalars(select(Case)).all()
        session.expunge(case)
        return case
