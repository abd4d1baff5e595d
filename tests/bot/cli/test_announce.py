"""``posyandu-bot announce`` and ``announce list``: the CLI contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.main import cli
from tests.announcements.support import AUDIENCE_MEMBERS, announcement_rows, recipients_of, village


@pytest.fixture
def env(db_url: str, tmp_path: Path) -> dict[str, str]:
    return {"POSYANDU_DATABASE_URL": db_url, "POSYANDU_LOG_DIR": str(tmp_path / "outbound")}


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "pengumuman.txt"
    path.write_text("Kelas ibu hamil hari Sabtu pukul 09.00 di balai desa.\n", encoding="utf-8")
    return path


def test_announce_now_enqueues_for_the_audience(
    env: dict[str, str], text_file: Path, sessions: sessionmaker[Session]
) -> None:
    village(sessions)
    args = [
        "announce",
        "--posyandu",
        "Melati",
        "--audience",
        "pregnant",
        "--at",
        "now",
        "--text-file",
        str(text_file),
    ]
    result = CliRunner().invoke(cli, [*args, "--json"], env=env)
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record == {
        "id": 1, "posyandu": "Melati", "audience": "pregnant", "status": "done",
        "recipients": 1, "enqueued": 1, "deferred": 0,
    }  # fmt: skip
    assert recipients_of(sessions) == AUDIENCE_MEMBERS["3"]
    assert "Kelas ibu hamil" in (announcement_rows(sessions)[0].body or "")


def test_announce_reads_stdin_and_spreads_over_days_under_the_daily_limit(
    env: dict[str, str], sessions: sessionmaker[Session]
) -> None:
    village(sessions)
    result = CliRunner().invoke(
        cli,
        ["announce", "--posyandu", "Melati", "--audience", "all", "--text-file", "-"],
        input="Posyandu pindah ke hari Rabu.",
        env=env | {"POSYANDU_DAILY_RECIPIENT_LIMIT": "3"},
    )
    assert result.exit_code == 0, result.output
    assert "announcement 1: 4 messages enqueued, 1 of them on the next days (daily limit 3)" in result.output


def test_announce_scheduled_and_monthly_then_list(
    env: dict[str, str], text_file: Path, sessions: sessionmaker[Session]
) -> None:
    village(sessions)
    runner = CliRunner()
    base = ["announce", "--posyandu", "Melati", "--text-file", str(text_file)]
    once = runner.invoke(cli, [*base, "--audience", "all", "--at", "2099-12-01 09:00"], env=env)
    assert once.exit_code == 0, once.output
    assert "announcement 1 scheduled: Selasa, 1 Desember 2099 09.00" in once.output
    monthly = runner.invoke(cli, [*base, "--audience", "under2", "--at", "monthly:3@16:00"], env=env)
    assert monthly.exit_code == 0, monthly.output
    assert "3 hari sebelum hari posyandu, pukul 16.00" in monthly.output
    assert announcement_rows(sessions) == []
    listed = runner.invoke(cli, ["announce", "list", "--json"], env=env)
    assert listed.exit_code == 0, listed.output
    records = [json.loads(line) for line in listed.output.splitlines()]
    assert [(r["id"], r["repeat"], r["status"], r["audience"]) for r in records] == [
        (2, "monthly", "scheduled", "under2"),
        (1, "once", "scheduled", "all"),
    ]
    assert records[1]["waiting"] == 0 and records[1]["failures"] == {}


@pytest.mark.parametrize(
    "args",
    [
        ["announce"],
        ["announce", "--posyandu", "Melati", "--audience", "all"],
        ["announce", "--posyandu", "Nowhere", "--audience", "all", "--text-file", "TEXT"],
        ["announce", "--posyandu", "Melati", "--audience", "everyone", "--text-file", "TEXT"],
        ["announce", "--posyandu", "Melati", "--audience", "all", "--at", "tomorrow", "--text-file", "TEXT"],
        [
            "announce",
            "--posyandu",
            "Melati",
            "--audience",
            "all",
            "--at",
            "2099-12-01 22:00",
            "--text-file",
            "TEXT",
        ],
        [
            "announce",
            "--posyandu",
            "Melati",
            "--audience",
            "all",
            "--at",
            "2001-12-01 09:00",
            "--text-file",
            "TEXT",
        ],
    ],
)
def test_usage_errors_exit_2_and_send_nothing(
    env: dict[str, str], text_file: Path, sessions: sessionmaker[Session], args: list[str]
) -> None:
    village(sessions)
    args = [str(text_file) if arg == "TEXT" else arg for arg in args]
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 2, result.output
    assert announcement_rows(sessions) == []
