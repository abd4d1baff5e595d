"""Shared set-up for the announcement tests: posyandu Melati (2nd Tuesday, WIB), its kader, and mothers
in every audience (plus some who must never receive anything)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Child, Contact, DoseDue, OutboxMessage, Posyandu, Pregnancy, Role
from db.session import transaction
from flows.core.settings import FlowSettings
from tests.chat import Chat
from tests.immunization.support import posyandu

KADER = "+6281299900001"
#: Tuesday 24 November 2026, 10:00 WIB (the Chat's default clock). Posyandu days: 8 December 2026,
#: 12 January 2027, 9 February 2027 (every 2nd Tuesday).
NOW = dt.datetime(2026, 11, 24, 3, 0)
NEXT_DAY, FOLLOWING_DAY = dt.date(2026, 12, 8), dt.date(2027, 1, 12)

PHONES = {
    "ani": "+6281230000001",  # child under 2
    "bela": "+6281230000002",  # child of 3
    "citra": "+6281230000003",  # pregnant
    "dewi": "+6281230000004",  # child of 2 with an overdue dose
    "eka": "+6281230000005",  # child under 2, opted out
    "fitri": "+6281230000006",  # child under 2, another posyandu
    "gita": "+6281230000007",  # child under 2, never consented
}
AUDIENCE_MEMBERS = {
    "1": {"ani", "bela", "citra", "dewi"},
    "2": {"ani"},
    "3": {"citra"},
    "4": {"dewi"},
}


@dataclass
class Village:
    posyandu_id: int
    other_posyandu_id: int
    mother_ids: dict[str, int]


def _mother(session: Session, name: str, post: Posyandu, **changes: object) -> Contact:
    contact = Contact(
        phone=PHONES[name],
        role=Role.IBU,
        name=name.title(),
        posyandu_id=post.id,
        consent_given_at=dt.datetime(2026, 1, 1),
        registered_at=dt.datetime(2026, 1, 1),
    )
    for key, value in changes.items():
        setattr(contact, key, value)
    session.add(contact)
    session.flush()
    return contact


def _child(session: Session, mother: Contact, born: dt.date, name: str) -> Child:
    kid = Child(mother_id=mother.id, name=name, sex="P", date_of_birth=born)
    session.add(kid)
    session.flush()
    return kid


def village(sessions: sessionmaker[Session]) -> Village:
    with transaction(sessions) as session:
        post = posyandu(session, "Melati")
        other = posyandu(session, "Mawar")
        session.add(
            Contact(
                phone=KADER,
                role=Role.KADER,
                name="Wati",
                posyandu_id=post.id,
                registered_at=dt.datetime(2026, 1, 1),
                consent_given_at=dt.datetime(2026, 1, 1),
            )
        )
        ani = _mother(session, "ani", post)
        _child(session, ani, dt.date(2025, 6, 1), "Ayu")
        bela = _mother(session, "bela", post)
        _child(session, bela, dt.date(2023, 9, 1), "Bima")
        citra = _mother(session, "citra", post)
        session.add(Pregnancy(mother_id=citra.id, hpl=dt.date(2027, 3, 1)))
        dewi = _mother(session, "dewi", post)
        late = _child(session, dewi, dt.date(2024, 10, 1), "Dodi")
        session.add(
            DoseDue(
                child_id=late.id,
                vaccine="mr2",
                due=dt.date(2026, 4, 1),
                until=dt.date(2029, 10, 1),
                target=dt.date(2026, 4, 14),
            )
        )
        eka = _mother(session, "eka", post, opted_out_at=dt.datetime(2026, 6, 1))
        _child(session, eka, dt.date(2025, 8, 1), "Edo")
        fitri = _mother(session, "fitri", other)
        _child(session, fitri, dt.date(2025, 8, 1), "Fajar")
        gita = _mother(session, "gita", post, consent_given_at=None)
        _child(session, gita, dt.date(2025, 8, 1), "Gilang")
        mothers = {
            "ani": ani,
            "bela": bela,
            "citra": citra,
            "dewi": dewi,
            "eka": eka,
            "fitri": fitri,
            "gita": gita,
        }
        return Village(post.id, other.id, {name: contact.id for name, contact in mothers.items()})


def kader_chat(sessions: sessionmaker[Session], settings: FlowSettings | None = None) -> Chat:
    chat = Chat(sessions, KADER, now=NOW)
    if settings is not None:
        chat.settings = settings
    return chat


def announcement_rows(sessions: sessionmaker[Session], number: int = 1) -> list[OutboxMessage]:
    with sessions() as session:
        return list(
            session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.ref == f"announcement:{number}")
                .order_by(OutboxMessage.id)
            )
        )


def recipients_of(sessions: sessionmaker[Session], number: int = 1) -> set[str]:
    by_phone = {phone: name for name, phone in PHONES.items()}
    return {by_phone[row.to_phone] for row in announcement_rows(sessions, number)}
