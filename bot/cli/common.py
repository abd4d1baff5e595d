"""Helpers shared by the CLI commands."""

from __future__ import annotations

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import load_settings
from bot.runtime import Runtime, build_runtime
from db.models import Posyandu
from flows.core.phones import InvalidPhone, to_e164


def open_runtime() -> Runtime:
    """The configured database (migrated on first use) and transport."""
    return build_runtime(load_settings())


def phone_option(value: str) -> str:
    try:
        return to_e164(value)
    except InvalidPhone as exc:
        raise click.BadParameter(f"{value!r} is not a phone number; use E.164, e.g. +6281234567890") from exc


def posyandu_named(session: Session, name: str) -> Posyandu:
    """The posyandu called ``name``; a usage error (exit 2) that says how to add it when there is none."""
    posyandu = session.scalar(select(Posyandu).where(Posyandu.name == name))
    if posyandu is None:
        raise click.UsageError(f"no posyandu named {name!r}; add it with 'posyandu-bot posyandu add'")
    return posyandu
