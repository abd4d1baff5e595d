"""BIDAN: the mother's question reaches the bidan of her posyandu, who is added by an admin."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.main import cli
from db.models import Case, Contact, Role
from tests.chat import Chat, joined

MOTHER, BIDAN_PHONE = "+6281234500011", "+6281298765432"


@pytest.fixture
def admin(config: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("POSYANDU_DATABASE_URL", config["DATABASE_URL"])
    return CliRunner()


def test_staff_are_added_by_the_admin_command(admin: CliRunner, sessions: sessionmaker[Session]) -> None:
    assert (
        admin.invoke(cli, ["posyandu", "add", "Melati", "--desa", "Sukamaju", "--timezone", "WITA"]).exit_code
        == 0
    )
    result = admin.invoke(
        cli,
        [
            "users",
            "add",
            "--role",
            "bidan",
            "--phone",
            "0812-9876-5432",
            "--posyandu",
            "Melati",
            "--name",
            "Rina",
        ],
    )
    assert result.exit_code == 0, result.output
    with sessions() as session:
        bidan = session.scalar(select(Contact).where(Contact.phone == BIDAN_PHONE))
        assert (
            bidan.role == Role.BIDAN
            and bidan.posyandu.name == "Melati"
            and bidan.posyandu.timezone == "Asia/Makassar"
        )
    unknown = admin.invoke(
        cli, ["users", "add", "--role", "kader", "--phone", "+6281200000000", "--posyandu", "Mawar"]
    )
    assert unknown.exit_code == 2 and "no posyandu named" in unknown.output
    bad_phone = admin.invoke(cli, ["users", "add", "--role", "admin", "--phone", "12"])
    assert bad_phone.exit_code == 2


def test_a_mother_cannot_make_herself_bidan(sessions: sessionmaker[Session]) -> None:
    chat = Chat(sessions, MOTHER)
    chat.say("halo", "1", "saya bidan", "Rina", "2", "2")
    with sessions() as session:
        assert session.scalar(select(Contact.role).where(Contact.phone == MOTHER)) == Role.IBU


def test_bidan_keyword_alerts_the_bidan_and_joins_one_open_case(
    admin: CliRunner, sessions: sessionmaker[Session]
) -> None:
    admin.invoke(cli, ["posyandu", "add", "Melati"])
    admin.invoke(
        cli,
        ["users", "add", "--role", "bidan", "--phone", BIDAN_PHONE, "--posyandu", "Melati", "--name", "Rina"],
    )
    chat = Chat(sessions, MOTHER)
    chat.say("halo", "1", "Siti", "1", "1", "Budi", "1", "1-5-2026", "1", "2", "2")
    before = chat._last_outbox_id()
    reply = joined(chat.send("BIDAN anak saya batuk sudah 3 hari"))
    assert "Bidan Rina" in reply and "119" in reply
    alerts = [row for row in chat.outbox_since(before) if row.to_phone == BIDAN_PHONE]
    assert len(alerts) == 1
    assert MOTHER in alerts[0].body and "batuk sudah 3 hari" in alerts[0].body and "Budi" in alerts[0].body
    chat.send("bidan masih batuk")
    with sessions() as session:
        cases = session.scalars(select(Case)).all()
        assert len(cases) == 1 and cases[0].status == "open"
        assert any("masih batuk" in entry["text"] for entry in cases[0].transcript)


def test_without_a_bidan_the_mother_is_sent_to_the_puskesmas(sessions: sessionmaker[Session]) -> None:
    chat = Chat(sessions, MOTHER)
    chat.say("halo", "1", "Siti", "2", "2")
    assert "ingin Bunda tanyakan" in joined(chat.send("bidan"))
    assert "hubungi puskesmas" in joined(chat.send("anak saya batuk"))
