"""Every command loads and explains itself (``posyandu-bot COMMAND --help``)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bot.cli.main import COMMANDS, cli


def test_the_main_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_has_help(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output and len(result.output.splitlines()) > 3
