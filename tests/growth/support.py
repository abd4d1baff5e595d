"""Shared set-up for the growth tests: posyandu Melati with Bidan Rina and Kader Wati, and Bunda Siti with
her boy Budi (born 10 March 2026, so 8 months old on the test day, 24 November 2026)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Case, Child, Contact, GrowthMeasurement, Role
from tests.chat import Chat
from tests.desk_support import MOTHER, RINA, add_posyandu, register

WATI = "+6281298700050"
BORN = "10-3-2026"
BUDI_BORN = dt.date(2026, 3, 10)


def add_kader(
    sessions: sessionmaker[Session], posyandu_id: int, phone: str = WATI, name: str = "Wati"
) -> None:
    """A kader, added the way ``users add --role kader`` does."""
    with sessions() as session, session.begin():
        session.add(
            Contact(
                phone=phone,
                role=Role.KADER,
                name=name,
                posyandu_id=posyandu_id,
                registered_at=dt.datetime(2026, 1, 1),
                consent_given_at=dt.datetime(2026, 1, 1),
            )
        )


def mother_with_budi(sessions: sessionmaker[Session]) -> tuple[Chat, int]:
    """Posyandu Melati (Bidan Rina) and Bunda Siti registered by chat with Budi; returns her chat and the post."""
    posyandu_id = add_posyandu(sessions)
    chat = Chat(sessions, MOTHER)
    register(chat, child_dob=BORN)
    return chat, posyandu_id


def budi(sessions: sessionmaker[Session]) -> Child:
    with sessions() as session:
        child = session.scalars(select(Child).where(Child.name == "Budi")).one()
        session.expunge(child)
        return child


def measurements(sessions: sessionmaker[Session]) -> list[GrowthMeasurement]:
    with sessions() as session:
        rows = list(session.scalars(select(GrowthMeasurement).order_by(GrowthMeasurement.measured_on)))
        session.expunge_all()
        return rows


def cases(sessions: sessionmaker[Session]) -> list[Case]:
    with sessions() as session:
        found = list(session.scalars(select(Case).order_by(Case.id)))
        session.expunge_all()
        return found


def add_measurement(
    sessions: sessionmaker[Session], on: dt.date, weight: float | None, length: float | None = None
) -> None:
    """A past measurement of Budi stored directly (what an earlier visit left)."""
    from flows.growth.record import Reading, save

    with sessions() as session, session.begin():
        child = session.scalars(select(Child).where(Child.name == "Budi")).one()
        save(
            session,
            child,
            Reading(on, weight, length, None),
            source="kader",
            recorded_by=None,
            posyandu_id=None,
        )


__all__ = ["MOTHER", "RINA", "WATI", "add_kader", "add_measurement", "budi", "cases", "measurements"]
