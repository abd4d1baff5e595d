"""``posyandu-bot db``: schema migrations."""

from __future__ import annotations

import click

from bot.config import load_settings
from db.session import current_revision, make_engine, upgrade


@click.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
def upgrade_command() -> None:
    """Create the database if needed and migrate it to the newest schema."""
    settings = load_settings()
    engine = make_engine(settings.DATABASE_URL)
    upgrade(engine)
    click.echo(f"database at revision {current_revision(engine)}")
    engine.dispose()
