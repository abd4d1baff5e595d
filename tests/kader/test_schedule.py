"""JADWAL: a kader sets her posyandu's meeting days by chat, and the reminders follow; a mother reads them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from tests.chat import Chat, joined
from tests.kader.support import IBU, KADER, kader_and_mother, targets


def test_a_kader_sets_the_rule_and_changes_by_chat_and_reminders_follow(
    sessions: sessionmaker[Session],
) -> None:
    _post_id, child_id = kader_and_mother(sessions)
    assert dt.date(2026, 11, 26) in targets(sessions, child_id)  # no calendar yet: the due date itself
    kader = Chat(sessions, KADER)
    reply = joined(kader.send("JADWAL selasa minggu ke-2"))
    assert "Tersimpan" in reply and "Selasa, 8 Desember 2026" in reply
    assert dt.date(2026, 12, 8) in targets(sessions, child_id)
    reply = joined(kader.send("jadwal pindah 8-12-2026 ke 10-12-2026"))
    assert "Dipindah: Selasa, 8 Desember 2026 menjadi Kamis, 10 Desember 2026" in reply
    assert dt.date(2026, 12, 10) in targets(sessions, child_id)
    reply = joined(kader.send("JADWAL batal 10 desember"))
    assert "Dibatalkan" in reply
    assert dt.date(2027, 1, 12) in targets(sessions, child_id)
    assert "Tersimpan" in joined(kader.send("JADWAL normal 8-12-2026"))
    assert dt.date(2026, 12, 8) in targets(sessions, child_id)
    assert "belum mengerti" in joined(kader.send("JADWAL kapan-kapan saja"))


def test_a_mother_cannot_change_the_schedule_but_can_read_it(sessions: sessionmaker[Session]) -> None:
    kader_and_mother(sessions)
    Chat(sessions, KADER).send("JADWAL tanggal 15")
    mom = Chat(sessions, IBU)
    reply = joined(mom.send("JADWAL selasa minggu ke-2"))
    assert "hanya bisa diubah oleh kader" in reply
    assert "setiap tanggal 15" in reply
    reply = joined(mom.send("kapan jadwal posyandu?"))
    assert "Selasa, 15 Desember 2026" in reply
