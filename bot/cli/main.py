"""``posyandu-bot``: one entry point, each command in its own module, imported only when used."""

from __future__ import annotations

import importlib
import logging
import os

import click

#: command name → "module:attribute" of a click command.
COMMANDS = {
    "serve": "bot.cli.processes:serve",
    "worker": "bot.cli.processes:worker",
    "scheduler": "bot.cli.processes:scheduler",
    "chat": "bot.cli.chat:chat",
    "db": "bot.cli.database:db",
    "outbox": "bot.cli.outbox:outbox",
    "users": "bot.cli.users:users",
    "posyandu": "bot.cli.users:posyandu",
    "triage": "bot.cli.triage:triage",
    "faq": "bot.cli.faq:faq",
    "growth": "bot.cli.growth:growth",
    "schedule": "bot.cli.schedule:schedule",
    "report": "bot.cli.report:report",
    "reminders": "bot.cli.reminders:reminders",
    "import": "bot.cli.importer:import_group",
    "cases": "bot.cli.cases:cases",
    "announce": "bot.cli.announce:announce",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """posyandu-bot: a WhatsApp helper for mothers, kader and bidan of a posyandu."""
    logging.basicConfig(
        level=os.environ.get("POSYANDU_LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
