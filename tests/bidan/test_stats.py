"""Response figures per posyandu and per bidan, on a known set of cases, and the ``cases stats`` CLI."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.main import cli
from db.models import Case, Contact, Posyandu, Role
from flows.bidan.stats import case_figures, percentile

T0 = dt.datetime(2026, 11, 2, 2, 0)


def _bidan(session: Session, name: str, phone: str, post: Posyandu) -> Contact:
    bidan = Contact(phone=phone, role=Role.BIDAN, name=name, posyandu=post)
    session.add(bidan)
    return bidan


def _case(
    session: Session, post: Posyandu, bidan: Contact | None, answer_after: int | None, closed: bool
) -> None:
    session.add(
        Case(
            posyandu=post,
            bidan=bidan,
            topic="bidan_request",
            urgency="biasa",
            status="closed" if closed else "open",
            opened_at=T0,
            first_answered_at=None if answer_after is None else T0 + dt.timedelta(minutes=answer_after),
            closed_at=T0 + dt.timedelta(hours=5) if closed else None,
            transcript=[],
        )
    )


@pytest.fixture
def known_set(sessions: sessionmaker[Session]) -> None:
    """Melati: Rina answered after 5, 10, 20, 40, 120 min (4 closed); Sari after 30 min and one not yet;
    one case nobody took. Mawar: one case answered after 7 min."""
    with sessions() as session, session.begin():
        melati, mawar = Posyandu(name="Melati"), Posyandu(name="Mawar")
        rina = _bidan(session, "Rina", "+6281298700001", melati)
        sari = _bidan(session, "Sari", "+6281298700002", melati)
        dewi = _bidan(session, "Dewi", "+6281298700003", mawar)
        for minutes, closed in ((5, True), (10, True), (20, True), (40, True), (120, False)):
            _case(session, melati, rina, minutes, closed)
        _case(session, melati, sari, 30, True)
        _case(session, melati, sari, None, False)
        _case(session, melati, None, None, False)
        _case(session, mawar, dewi, 7, True)


def test_percentile_is_nearest_rank() -> None:
    assert percentile([5, 10, 20, 40, 120], 90) == 120
    assert percentile([5, 10, 20, 40, 120], 50) == 20
    assert percentile(list(range(1, 11)), 90) == 9
    assert percentile([], 90) is None


def test_figures_on_a_known_set(sessions: sessionmaker[Session], known_set: None) -> None:
    with sessions() as session:
        rows = {(f.scope, f.name): f.as_json() for f in case_figures(session)}
    assert rows[("posyandu", "Melati")] == {
        "scope": "posyandu", "name": "Melati", "posyandu": "Melati", "opened": 8, "answered": 6,
        "closed": 5, "median_minutes": 25.0, "p90_minutes": 120.0,
    }  # fmt: skip
    rina = rows[("bidan", "Rina")]
    assert (rina["opened"], rina["answered"], rina["closed"], rina["median_minutes"], rina["p90_minutes"]) == (
        5, 5, 4, 20.0, 120.0,
    )  # fmt: skip
    sari = rows[("bidan", "Sari")]
    assert (sari["opened"], sari["answered"], sari["closed"], sari["median_minutes"]) == (2, 1, 1, 30.0)
    nobody = rows[("bidan", "-")]
    assert (nobody["opened"], nobody["answered"], nobody["median_minutes"], nobody["p90_minutes"]) == (
        1, 0, None, None,
    )  # fmt: skip
    mawar = rows[("posyandu", "Mawar")]
    assert (mawar["opened"], mawar["median_minutes"], mawar["p90_minutes"]) == (1, 7.0, 7.0)


def test_the_figures_come_from_what_bidan_did_in_the_chat(sessions: sessionmaker[Session]) -> None:
    from tests.chat import Chat
    from tests.desk_support import MOTHER, RINA, add_posyandu, register

    add_posyandu(sessions)
    mother = Chat(sessions, MOTHER)
    register(mother)
    mother.send("BIDAN boleh tanya soal KB setelah melahirkan?")
    with sessions() as session:
        number = session.scalar(select(Case.id))
    Chat(sessions, RINA, now=mother.now + dt.timedelta(minutes=11)).say(
        f"BALAS {number} Boleh Bunda, datang ke posyandu hari Selasa ya", f"SELESAI {number}"
    )
    with sessions() as session:
        rows = {(f.scope, f.name): f for f in case_figures(session)}
    rina = rows[("bidan", "Rina")]
    assert (rina.opened, rina.answered, rina.closed, rina.median_minutes) == (1, 1, 1, 12.0)


@pytest.fixture
def admin(config: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("POSYANDU_DATABASE_URL", config["DATABASE_URL"])
    return CliRunner()


def test_cases_stats_command(admin: CliRunner, known_set: None) -> None:
    result = admin.invoke(cli, ["cases", "stats", "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [(row["scope"], row["name"]) for row in lines] == [
        ("posyandu", "Mawar"), ("bidan", "Dewi"),
        ("posyandu", "Melati"), ("bidan", "Rina"), ("bidan", "Sari"), ("bidan", "-"),
    ]  # fmt: skip
    text = admin.invoke(cli, ["cases", "stats", "--posyandu", "Melati"])
    assert text.exit_code == 0
    assert (
        "Posyandu Melati: 8 dibuka, 6 dijawab, 5 ditutup; jawaban pertama median 25,0 menit, p90 120,0 menit"
        in (text.output)
    )
    assert "Bidan Rina: 5 dibuka" in text.output and "Mawar" not in text.output
    assert admin.invoke(cli, ["cases", "stats", "--posyandu", "Kenanga"]).exit_code == 2
    assert admin.invoke(cli, ["cases", "stats", "--from", "2026-11-03", "--json"]).output == ""
    assert admin.invoke(cli, ["cases", "stats", "--from", "kemarin"]).exit_code == 2
