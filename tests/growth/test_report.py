"""``posyandu-bot report growth``: SKDN, stunting and wasting, follow-up list and CSV on a known data set."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.main import cli
from db.models import Child, Contact, Posyandu
from flows.growth.record import Reading, save

BORN = dt.date(2026, 3, 10)  # 8 months old in November 2026
#: child → [(date, kg, cm)]; lengths measured lying down. Expected November codes in the comments.
DATA: dict[str, list[tuple[str, float | None, float | None]]] = {
    "Adi": [("2026-10-24", 8.4, 69.0), ("2026-11-24", 8.7, 70.0)],  # +300 g at 8 months: N
    "Bima": [("2026-10-24", 8.4, 69.0), ("2026-11-24", 8.5, 70.0)],  # +100 g: T
    "Citra": [("2026-09-24", 8.3, None), ("2026-10-24", 8.35, None), ("2026-11-24", 8.4, 70.0)],  # 2T
    "Dodi": [("2026-11-24", 8.5, 64.5)],  # first weighing: B; severely stunted (HAZ -3.06)
    "Eka": [("2026-08-24", 7.0, None), ("2026-11-24", 7.4, 71.5)],  # no October: O; wasted (WHZ -2.11)
    "Fajar": [("2026-10-24", 8.4, 69.0)],  # not weighed in November
    "Gita": [],  # no record at all
    "Hana": [("2026-10-24", 6.2, None), ("2026-11-24", 6.0, None)],  # T and below the red line
}


def _data_set(sessions: sessionmaker[Session]) -> None:
    with sessions() as session, session.begin():
        melati, kenanga = Posyandu(name="Melati"), Posyandu(name="Kenanga")
        session.add_all([melati, kenanga])
        session.flush()
        people = [(name, melati, BORN) for name in DATA] + [
            ("Indra", kenanga, BORN),  # another posyandu
            ("Joko", melati, dt.date(2020, 1, 1)),  # six years old: not under five
        ]
        for number, (name, post, born) in enumerate(people):
            mother = Contact(phone=f"+62812345060{number:02d}", name=f"Ibu {name}", posyandu=post)
            child = Child(name=name, sex="L", date_of_birth=born)
            mother.children.append(child)
            session.add(mother)
            session.flush()
            for on, kg, cm in DATA.get(name, [("2026-11-24", 8.5, 70.0)] if name == "Indra" else []):
                reading = Reading(dt.date.fromisoformat(on), kg, cm, None)
                save(session, child, reading, source="kader", recorded_by=None, posyandu_id=post.id)


def _invoke(db_url: str, *args: str):
    return CliRunner().invoke(cli, ["report", "growth", *args], env={"POSYANDU_DATABASE_URL": db_url})


def test_skdn_stunting_and_wasting_on_a_known_data_set(sessions: sessionmaker[Session], db_url: str) -> None:
    _data_set(sessions)
    result = _invoke(db_url, "--posyandu", "Melati", "--month", "2026-11", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert {key: figures[key] for key in ("S", "K", "D", "N", "T", "2T", "O", "B", "BGM")} == {
        "S": 8,
        "K": 7,
        "D": 6,
        "N": 1,
        "T": 2,
        "2T": 1,
        "O": 1,
        "B": 1,
        "BGM": 1,
    }
    assert (figures["D/S %"], figures["N/D %"]) == (75.0, 16.7)
    assert (
        figures["measured_length"],
        figures["stunted"],
        figures["severely_stunted"],
        figures["stunting %"],
    ) == (
        5,
        1,
        1,
        20.0,
    )
    assert (figures["measured_wfh"], figures["wasted"], figures["severely_wasted"], figures["wasting %"]) == (
        5,
        1,
        0,
        20.0,
    )
    assert {row["child"]: row["reasons"] for row in figures["follow_up"]} == {
        "Bima": ["T"],
        "Citra": ["2T"],
        "Dodi": ["sangat_pendek"],
        "Eka": ["gizi_kurang"],
        "Hana": ["T", "BGM"],
    }


def test_the_text_report_in_indonesian_and_the_csv_for_the_district(
    sessions: sessionmaker[Session], db_url: str, tmp_path: Path
) -> None:
    _data_set(sessions)
    path = tmp_path / "skdn.csv"
    result = _invoke(db_url, "--posyandu", "Melati", "--month", "2026-11", "--csv", str(path))
    assert result.exit_code == 0, result.output
    assert "Laporan pertumbuhan, posyandu Melati, 2026-11" in result.output
    assert "S 8  K 7  D 6  (D/S 75%)" in result.output
    assert "N 1  T 2  2T 1  O 1  B 1  BGM 1  (N/D 16,7%)" in result.output
    assert "Stunting (pendek): 1 dari 5 anak yang diukur panjangnya (20%), sangat pendek 1" in result.output
    assert "Anak yang perlu ditindaklanjuti (5):" in result.output
    assert "- Hana (umur 8 bulan), Ibu Hana +6281234506007: T, BGM" in result.output
    assert "- Dodi (umur 8 bulan), Ibu Dodi +6281234506003: sangat pendek" in result.output
    with path.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [row["nama_anak"] for row in rows] == [
        "Adi",
        "Bima",
        "Citra",
        "Dodi",
        "Eka",
        "Fajar",
        "Gita",
        "Hana",
    ]
    hana = rows[-1]
    assert (hana["tanggal_ukur"], hana["berat_kg"], hana["kode"], hana["tindak_lanjut"]) == (
        "2026-11-24",
        "6",
        "T",
        "T; BGM",
    )
    assert float(hana["zs_bb_u"]) < -3
    fajar = rows[5]
    assert (fajar["tanggal_ukur"], fajar["kode"]) == ("", "")


def test_a_month_without_weighings_and_an_unknown_posyandu(
    sessions: sessionmaker[Session], db_url: str
) -> None:
    _data_set(sessions)
    figures = json.loads(_invoke(db_url, "--posyandu", "Melati", "--month", "2026-07", "--json").output)
    assert (figures["S"], figures["K"], figures["D"], figures["follow_up"]) == (8, 0, 0, [])
    assert _invoke(db_url, "--posyandu", "Mawar", "--month", "2026-11").exit_code != 0
    assert _invoke(db_url, "--posyandu", "Melati", "--month", "11-2026").exit_code != 0
