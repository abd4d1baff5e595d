"""``posyandu-bot posyandu schedule``: the meeting days set from the command line."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.main import cli
from tests.kader.support import kader_and_mother


def test_cli_sets_the_schedule(db_url: str, sessions: sessionmaker[Session]) -> None:
    kader_and_mother(sessions)
    env = {"POSYANDU_DATABASE_URL": db_url}
    runner = CliRunner()
    result = runner.invoke(
        cli, ["posyandu", "schedule", "Melati", "--rule", "kamis terakhir", "--timezone", "WIT"], env=env
    )
    assert result.exit_code == 0, result.output
    assert "Kamis terakhir" in result.output or "kamis" in result.output.lower()
    result = runner.invoke(cli, ["posyandu", "schedule", "Melati", "--rule", "kapan saja"], env=env)
    assert result.exit_code == 2
