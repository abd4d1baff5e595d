"""Shared set-up for the kader's desk tests: posyandu Melati without meeting days, its kader, a mother
and her child."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Contact, DoseDue
from db.session import transaction
from tests.immunization.support import child, mother, posyandu

KADER, IBU = "+6281299990100", "+6281299990101"


def kader_and_mother(sessions: sessionmaker[Session]) -> tuple[int, int]:
    with transaction(sessions) as session:
        post = posyandu(session, rule=None)
        session.add(
            Contact(
                phone=KADER,
                role="kader",
                name="Bu Rina",
                posyandu_id=post.id,
                consent_given_at=dt.datetime(2026, 1, 1),
                registered_at=dt.datetime(2026, 1, 1),
            )
        )
        mom = mother(session, post, phone=IBU)
        kid = child(session, mom, dt.date(2026, 9, 26), dt.date(2026, 11, 24))
        return post.id, kid.id


def targets(sessions: sessionmaker[Session], child_id: int) -> set[dt.date]:
    with sessions() as session:
        return set(session.scalars(select(DoseDue.target).where(DoseDue.child_id == child_id)))
