"""SASARAN: the children a kader should call for the next posyandu day."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Child, DoseDue, GrowthMeasurement
from db.session import transaction
from flows.knowledge.immunization import vaccine_name
from tests.announcements.support import kader_chat, village


def test_sasaran_lists_due_and_late_doses_per_vaccine_and_who_was_not_weighed(
    sessions: sessionmaker[Session],
) -> None:
    village(sessions)
    with transaction(sessions) as session:
        children = {child.name: child.id for child in session.scalars(select(Child))}
        session.add_all(
            [
                DoseDue(child_id=children["Ayu"], vaccine="mr1", due=dt.date(2026, 12, 1), until=None,
                        target=dt.date(2026, 12, 8)),
                DoseDue(child_id=children["Ayu"], vaccine="pcv3", due=dt.date(2027, 1, 1), until=None,
                        target=dt.date(2027, 1, 12)),
                GrowthMeasurement(child_id=children["Ayu"], measured_on=dt.date(2026, 11, 10), weight_kg=8.1,
                                  source="kader"),
                GrowthMeasurement(child_id=children["Bima"], measured_on=dt.date(2026, 8, 1), weight_kg=13.0,
                                  source="kader"),
            ]
        )  # fmt: skip
    first, weighing = kader_chat(sessions).send("SASARAN")
    assert "Hari posyandu berikutnya: Selasa, 8 Desember 2026" in first
    assert f"{vaccine_name('mr1')} (1): Ayu (Bunda Ani)" in first
    assert f"{vaccine_name('mr2')} (1): Dodi (Bunda Dewi, terlambat)" in first
    assert vaccine_name("pcv3") not in first  # planned for January
    assert "Bima (Bunda Bela, terakhir 1 Agustus 2026)" in weighing
    assert "Dodi (Bunda Dewi, belum pernah)" in weighing
    assert "Ayu" not in weighing and "Fajar" not in weighing
