"""``posyandu-bot import register`` and ``posyandu-bot reminders due``: the CLI contracts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.main import cli
from db.models import Child, Contact, Event, ImmunizationDose, OutboxMessage
from db.session import transaction
from tests.immunization.support import posyandu

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "register_example.csv"
HEADER = "nama_ibu,no_hp,nama_anak,jenis_kelamin,tanggal_lahir,persetujuan,hb0,bcg\n"


@pytest.fixture
def env(db_url: str, tmp_path: Path) -> dict[str, str]:
    return {"POSYANDU_DATABASE_URL": db_url, "POSYANDU_LOG_DIR": str(tmp_path / "outbound")}


@pytest.fixture
def melati(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        posyandu(session)  # every 2nd Tuesday, WIB


def _counts(sessions: sessionmaker[Session]) -> tuple[int, int, int]:
    with sessions() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(table))
            for table in (Contact, Child, ImmunizationDose)
        )


def test_the_example_register_loads_rejects_the_row_without_consent_and_reloads_to_nothing(
    env: dict[str, str], melati: None, sessions: sessionmaker[Session]
) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["import", "register", str(EXAMPLE), "--posyandu", "Melati"], env=env)
    assert result.exit_code == 1
    assert "line 6: rejected: no written consent" in result.output
    assert "rows loaded: 4, unchanged: 0, rejected: 1" in result.output
    first = _counts(sessions)
    assert first == (3, 4, 32)
    again = runner.invoke(cli, ["import", "register", str(EXAMPLE), "--posyandu", "Melati"], env=env)
    assert "rows loaded: 0, unchanged: 4, rejected: 1" in again.output
    assert _counts(sessions) == first
    with sessions() as session:
        consents = session.scalars(select(Event).where(Event.kind == "consent_given")).all()
        assert len(consents) == 3 and all(e.details["source"].startswith("register:") for e in consents)
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0  # no bulk messages


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("Siti,0812,Budi,L,2026-01-12,ya,,", "no_hp"),
        ("Siti,081234567001,Budi,X,2026-01-12,ya,,", "jenis_kelamin"),
        ("Siti,081234567001,Budi,L,31-02-2026,ya,,", "tanggal_lahir"),
        ("Siti,081234567001,Budi,L,2020-01-12,ya,,", "more than 5 years"),
        ("Siti,081234567001,Budi,L,2026-01-12,ya,2025-12-01,", "before the date of birth"),
        ("Siti,081234567001,Budi,L,2026-01-12,,,", "no written consent"),
        ("Siti,081234567001,Budi,L,2099-01-12,ya,,", "in the future"),
    ],
)
def test_each_bad_row_is_rejected_with_its_reason_and_the_others_load(
    env: dict[str, str], melati: None, tmp_path: Path, row: str, reason: str, sessions: sessionmaker[Session]
) -> None:
    register = tmp_path / "register.csv"
    register.write_text(
        HEADER + row + "\nAni,081234567009,Rudi,P,2026-02-02,ya,2026-02-02,\n", encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["import", "register", str(register), "--posyandu", "Melati"], env=env)
    assert result.exit_code == 1
    assert "line 2: rejected:" in result.output and reason in result.output
    assert "rows loaded: 1" in result.output
    assert _counts(sessions)[1] == 1


def test_import_usage_errors(env: dict[str, str], melati: None, tmp_path: Path) -> None:
    runner = CliRunner()
    bad = tmp_path / "bad.csv"
    bad.write_text("nama,hp\nSiti,0812\n", encoding="utf-8")
    assert (
        runner.invoke(cli, ["import", "register", str(bad), "--posyandu", "Melati"], env=env).exit_code == 2
    )
    assert (
        runner.invoke(cli, ["import", "register", str(EXAMPLE), "--posyandu", "Mawar"], env=env).exit_code
        == 2
    )


def test_reminders_due_json_lines_per_contract(
    env: dict[str, str], melati: None, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    today = dt.date.today()
    born = today - dt.timedelta(days=40)
    register = tmp_path / "register.csv"
    register.write_text(
        HEADER + f"Siti,081234567001,Budi,L,{born.isoformat()},ya,{born.isoformat()},\n", encoding="utf-8"
    )
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["import", "register", str(register), "--posyandu", "Melati"], env=env).exit_code
        == 0
    )
    with sessions() as session:
        from db.models import DoseDue

        target = session.scalar(select(DoseDue.target).where(DoseDue.vaccine == "bcg"))
    assert target is not None and target.weekday() == 1 and 8 <= target.day <= 14  # a 2nd Tuesday
    for offset, kind in ((-7, "h-7"), (-1, "h-1"), (0, "h0"), (3, "overdue")):
        day = target + dt.timedelta(days=offset)
        result = runner.invoke(cli, ["reminders", "due", "--date", day.isoformat(), "--json"], env=env)
        assert result.exit_code == 0, result.output
        lines = [json.loads(line) for line in result.output.splitlines()]
        assert {"to": "+6281234567001", "child": "Budi", "vaccine": "bcg", "kind": kind} in lines
        assert all(list(line) == ["to", "child", "vaccine", "kind"] for line in lines)
    quiet = target + dt.timedelta(days=2)
    assert (
        runner.invoke(cli, ["reminders", "due", "--date", quiet.isoformat(), "--json"], env=env).output == ""
    )
    assert runner.invoke(cli, ["reminders", "due", "--date", "12-03-2026"], env=env).exit_code == 2
    with sessions() as session:  # a dry run enqueues nothing
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
