"""``posyandu-bot report asi``: exclusive ASI at 0–5 months and reasons for stopping, on a known data set."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.main import cli
from db.models import AsiStatus, Child, Contact, Posyandu


def _data_set(sessions: sessionmaker[Session]) -> None:
    """November 2026 at Melati: 5 babies 0-5 months (3 exclusive, 1 partial, 1 stopped: work) and a baby of
    8 months who stopped (not enough milk); December: 2 babies (1 exclusive, 1 stopped: work). Kenanga: 1."""
    with sessions() as session, session.begin():
        melati, kenanga = Posyandu(name="Melati"), Posyandu(name="Kenanga")
        session.add_all([melati, kenanga])
        session.flush()
        rows = [
            (melati, "2026-11-01", 0, "exclusive", None),
            (melati, "2026-11-01", 2, "exclusive", None),
            (melati, "2026-11-01", 2, "exclusive", None),
            (melati, "2026-11-01", 4, "partial", None),
            (melati, "2026-11-01", 5, "stopped", "work"),
            (melati, "2026-11-01", 8, "stopped", "not_enough"),
            (melati, "2026-12-01", 3, "exclusive", None),
            (melati, "2026-12-01", 5, "stopped", "work"),
            (kenanga, "2026-11-01", 1, "exclusive", None),
        ]
        for number, (post, period, age, status, reason) in enumerate(rows):
            mother = Contact(phone=f"+62812345040{number:02d}", name=f"Ibu {number}", posyandu=post)
            child = Child(name=f"Bayi {number}", sex="L", date_of_birth=dt.date(2026, 1, 1))
            mother.children.append(child)
            session.add(mother)
            session.flush()
            session.add(
                AsiStatus(
                    child_id=child.id,
                    posyandu_id=post.id,
                    period=dt.date.fromisoformat(period),
                    age_months=age,
                    status=status,
                    reason=reason,
                )
            )


def _invoke(db_url: str, *args: str):
    return CliRunner().invoke(cli, ["report", "asi", *args], env={"POSYANDU_DATABASE_URL": db_url})


def test_report_json_per_month(sessions: sessionmaker[Session], db_url: str) -> None:
    _data_set(sessions)
    result = _invoke(db_url, "--posyandu", "Melati", "--json")
    assert result.exit_code == 0, result.output
    november, december = (json.loads(line) for line in result.output.splitlines())
    assert november == {
        "month": "2026-11",
        "babies_0_5": 5,
        "exclusive": 3,
        "partial": 1,
        "stopped": 1,
        "exclusive_pct": 60.0,
        "by_age": {
            "0": {"babies": 1, "exclusive": 1},
            "2": {"babies": 2, "exclusive": 2},
            "4": {"babies": 1, "exclusive": 0},
            "5": {"babies": 1, "exclusive": 0},
        },
        "stop_reasons": {"not_enough": 1, "work": 1},
    }
    assert (december["babies_0_5"], december["exclusive"], december["exclusive_pct"]) == (2, 1, 50.0)
    assert december["stop_reasons"] == {"work": 1}


def test_report_text_and_month_bounds(sessions: sessionmaker[Session], db_url: str) -> None:
    _data_set(sessions)
    result = _invoke(db_url, "--posyandu", "Melati")
    assert result.exit_code == 0, result.output
    assert "Laporan ASI, posyandu Melati" in result.output
    assert (
        "2026-11: 5 bayi umur 0-5 bulan, ASI eksklusif 3 (60%), ASI + tambahan 1, berhenti 1" in result.output
    )
    assert "alasan berhenti: ASI tidak cukup 1, kembali bekerja 1" in result.output
    assert "2026-12: 2 bayi umur 0-5 bulan, ASI eksklusif 1 (50%)" in result.output
    only_december = _invoke(db_url, "--posyandu", "Melati", "--from", "2026-12", "--json")
    assert [json.loads(line)["month"] for line in only_december.output.splitlines()] == ["2026-12"]
    kenanga = _invoke(db_url, "--posyandu", "Kenanga", "--json")
    assert json.loads(kenanga.output)["exclusive_pct"] == 100.0


def test_report_usage_errors_and_no_records(sessions: sessionmaker[Session], db_url: str) -> None:
    _data_set(sessions)
    with sessions() as session, session.begin():
        session.add(Posyandu(name="Mawar"))
    assert "Belum ada catatan ASI" in _invoke(db_url, "--posyandu", "Mawar").output
    assert _invoke(db_url, "--posyandu", "Anggrek").exit_code == 2
    assert _invoke(db_url, "--posyandu", "Melati", "--from", "Nov 2026").exit_code == 2
    assert "asi" in CliRunner().invoke(cli, ["report", "--help"]).output
