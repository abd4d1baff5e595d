"""``posyandu-bot import measurements FILE.csv --posyandu NAME``: a weighing book in bulk, with the chat's checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.main import cli
from db.models import Case, Child, Contact, GrowthMeasurement, Posyandu, Role

TODAY = dt.datetime.now(dt.UTC).date()  # the command reads the real clock: dates are relative to it


def _day(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).strftime("%d-%m-%Y")


def _posyandu(sessions: sessionmaker[Session]) -> None:
    with sessions() as session, session.begin():
        melati = Posyandu(name="Melati", timezone="UTC")
        session.add(melati)
        session.flush()
        session.add(
            Contact(
                phone="+6281298700001",
                role=Role.BIDAN,
                name="Rina",
                posyandu_id=melati.id,
                consent_given_at=dt.datetime(2026, 1, 1),
                registered_at=dt.datetime(2026, 1, 1),
            )
        )
        for phone, mother, child in (("+6281234507001", "Siti", "Ani"), ("+6281234507002", "Dewi", "Bayu")):
            contact = Contact(
                phone=phone, name=mother, posyandu_id=melati.id, consent_given_at=dt.datetime(2026, 1, 1)
            )
            contact.children.append(Child(name=child, sex="L", date_of_birth=TODAY - dt.timedelta(days=250)))
            session.add(contact)


def _write(path: Path, rows: list[str], delimiter: str = ";") -> Path:
    header = delimiter.join(["nama_anak", "no_hp_ibu", "tanggal", "berat_kg", "panjang_cm", "posisi"])
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _invoke(db_url: str, path: Path):
    return CliRunner().invoke(
        cli,
        ["import", "measurements", str(path), "--posyandu", "Melati"],
        env={"POSYANDU_DATABASE_URL": db_url},
    )


def _rows(sessions: sessionmaker[Session]) -> list[tuple[str, float | None, float | None, str]]:
    with sessions() as session:
        return [
            (child.name, row.weight_kg, row.length_cm, row.source)
            for row, child in session.execute(
                select(GrowthMeasurement, Child)
                .join(Child)
                .order_by(Child.name, GrowthMeasurement.measured_on)
            )
        ]


def test_rows_load_with_decimal_commas_bad_rows_are_listed_and_a_rerun_changes_nothing(
    sessions: sessionmaker[Session], db_url: str, tmp_path: Path
) -> None:
    _posyandu(sessions)
    path = _write(
        tmp_path / "timbang.csv",
        [
            f"Ani;;{_day(40)};8,0;68,0;berbaring",
            f"Ani;;{_day(10)};8,4;69,5;berbaring",
            f";081234507002;{_day(10)};8,2;;",
            f"Bayu;;{_day(5)};40;70;",  # a 40 kg baby
            f"Citra;;{_day(5)};8;70;",  # nobody of that name
            "Ani;;31-02-2026;8;70;",  # not a date
            f"Ani;;{_day(3)};8,5;64;berbaring",  # 5 cm shorter than 10 days ago
        ],
    )
    result = _invoke(db_url, path)
    assert result.exit_code == 1, result.output
    assert "line 5: rejected: implausible (who_flag)" in result.output
    assert "line 6: rejected: no such child registered at this posyandu" in result.output
    assert "line 7: rejected: tanggal '31-02-2026' is not a date" in result.output
    assert "line 8: rejected: implausible (length_shrank)" in result.output
    assert "measurements stored: 3, unchanged: 0, rejected: 4" in result.output
    assert _rows(sessions) == [
        ("Ani", 8.0, 68.0, "import"),
        ("Ani", 8.4, 69.5, "import"),
        ("Bayu", 8.2, None, "import"),
    ]
    again = _invoke(db_url, path)
    assert "measurements stored: 0, unchanged: 3, rejected: 4" in again.output
    assert len(_rows(sessions)) == 3


def test_a_recent_alarm_in_the_book_opens_a_case_for_the_bidan(
    sessions: sessionmaker[Session], db_url: str, tmp_path: Path
) -> None:
    _posyandu(sessions)
    path = _write(
        tmp_path / "timbang.csv",
        [f"Ani,081234507001,{_day(90)},7.0,64.0,berbaring", f"Ani,,{_day(7)},7.5,65.5,berbaring"],
        ",",
    )
    result = _invoke(db_url, path)
    assert result.exit_code == 0, result.output
    assert "cases opened: 1" in result.output
    with sessions() as session:
        [case] = session.scalars(select(Case)).all()
        assert case.topic == "growth_stunted" and "Pengukuran:" in (case.summary or "")


def test_a_file_without_the_needed_columns_is_refused(
    sessions: sessionmaker[Session], db_url: str, tmp_path: Path
) -> None:
    _posyandu(sessions)
    path = tmp_path / "bad.csv"
    path.write_text("nama;berat\nAni;8\n", encoding="utf-8")
    result = _invoke(db_url, path)
    assert result.exit_code == 2 and "missing column(s): tanggal" in result.output
