"""Posyandu meeting days: rules typed by a kader (JADWAL) or set by CLI, exceptions, local dates."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Contact, DoseDue
from db.session import transaction
from flows.services.posyandu_calendar import MeetingRule, PosyanduDays, RuleError, parse_rule
from tests.chat import Chat, joined
from tests.immunization.support import child, mother, posyandu

KADER, IBU = "+6281299990100", "+6281299990101"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("selasa minggu ke-2", MeetingRule(weekday=1, week=2)),
        ("Selasa kedua", MeetingRule(weekday=1, week=2)),
        ("2nd tuesday", MeetingRule(weekday=1, week=2)),
        ("setiap rabu minggu pertama", MeetingRule(weekday=2, week=1)),
        ("kamis terakhir", MeetingRule(weekday=3, week=-1)),
        ("hari minggu ke 3", MeetingRule(weekday=6, week=3)),
        ("tanggal 15", MeetingRule(monthday=15)),
        ("tgl 31", MeetingRule(monthday=31)),
        ("day 5", MeetingRule(monthday=5)),
    ],
)
def test_rules_typed_in_indonesian_or_english(text: str, rule: MeetingRule) -> None:
    assert parse_rule(text) == rule


@pytest.mark.parametrize("text", ["sabtu", "minggu kedua", "tanggal", "besok", "tanggal 32"])
def test_unclear_rules_are_refused(text: str) -> None:
    with pytest.raises(RuleError):
        parse_rule(text)


def test_a_fixed_day_falls_back_to_the_last_day_of_short_months() -> None:
    days = PosyanduDays(MeetingRule(monthday=31))
    assert days.between(dt.date(2026, 1, 1), dt.date(2026, 4, 30)) == [
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 30),
    ]


def test_cancelled_and_moved_days() -> None:
    days = PosyanduDays(
        MeetingRule(weekday=1, week=2),
        {dt.date(2026, 3, 10): dt.date(2026, 3, 12), dt.date(2026, 4, 14): None},
    )
    assert days.between(dt.date(2026, 3, 1), dt.date(2026, 5, 31)) == [
        dt.date(2026, 3, 12),
        dt.date(2026, 5, 12),
    ]
    assert days.next_meeting(dt.date(2026, 3, 13)) == dt.date(2026, 5, 12)
    assert days.next_meeting(dt.date(2026, 3, 13), until=dt.date(2026, 5, 1)) is None


def _kader_and_mother(sessions: sessionmaker[Session]) -> tuple[int, int]:
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


def _targets(sessions: sessionmaker[Session], child_id: int) -> set[dt.date]:
    with sessions() as session:
        return set(session.scalars(select(DoseDue.target).where(DoseDue.child_id == child_id)))


def test_a_kader_sets_the_rule_and_changes_by_chat_and_reminders_follow(
    sessions: sessionmaker[Session],
) -> None:
    _post_id, child_id = _kader_and_mother(sessions)
    assert dt.date(2026, 11, 26) in _targets(sessions, child_id)  # no calendar yet: the due date itself
    kader = Chat(sessions, KADER)
    reply = joined(kader.send("JADWAL selasa minggu ke-2"))
    assert "Tersimpan" in reply and "Selasa, 8 Desember 2026" in reply
    assert dt.date(2026, 12, 8) in _targets(sessions, child_id)
    reply = joined(kader.send("jadwal pindah 8-12-2026 ke 10-12-2026"))
    assert "Dipindah: Selasa, 8 Desember 2026 menjadi Kamis, 10 Desember 2026" in reply
    assert dt.date(2026, 12, 10) in _targets(sessions, child_id)
    reply = joined(kader.send("JADWAL batal 10 desember"))
    assert "Dibatalkan" in reply
    assert dt.date(2027, 1, 12) in _targets(sessions, child_id)
    assert "Tersimpan" in joined(kader.send("JADWAL normal 8-12-2026"))
    assert dt.date(2026, 12, 8) in _targets(sessions, child_id)
    assert "belum mengerti" in joined(kader.send("JADWAL kapan-kapan saja"))


def test_a_mother_cannot_change_the_schedule_but_can_read_it(sessions: sessionmaker[Session]) -> None:
    _kader_and_mother(sessions)
    Chat(sessions, KADER).send("JADWAL tanggal 15")
    mom = Chat(sessions, IBU)
    reply = joined(mom.send("JADWAL selasa minggu ke-2"))
    assert "hanya bisa diubah oleh kader" in reply
    assert "setiap tanggal 15" in reply
    reply = joined(mom.send("kapan jadwal posyandu?"))
    assert "Selasa, 15 Desember 2026" in reply


def test_cli_sets_the_schedule(db_url: str, sessions: sessionmaker[Session]) -> None:
    from click.testing import CliRunner

    from bot.cli.main import cli

    _kader_and_mother(sessions)
    env = {"POSYANDU_DATABASE_URL": db_url}
    runner = CliRunner()
    result = runner.invoke(
        cli, ["posyandu", "schedule", "Melati", "--rule", "kamis terakhir", "--timezone", "WIT"], env=env
    )
    assert result.exit_code == 0, result.output
    assert "Kamis terakhir" in result.output or "kamis" in result.output.lower()
    result = runner.invoke(cli, ["posyandu", "schedule", "Melati", "--rule", "kapan saja"], env=env)
    assert result.exit_code == 2
