"""``posyandu-bot users`` and ``posyandu-bot posyandu``: staff and posts are added by an admin.

Kader and bidan are never self-declared in the chat; only these commands give a phone that role.
"""

from __future__ import annotations

import json

import click
from sqlalchemy import select

from bot.cli.common import open_runtime, phone_option, posyandu_named
from db.models import Contact, Event, Posyandu, Role, utcnow

TIMEZONES = {
    "WIB": "Asia/Jakarta",
    "WITA": "Asia/Makassar",
    "WIT": "Asia/Jayapura",
    "Asia/Jakarta": "Asia/Jakarta",
    "Asia/Pontianak": "Asia/Pontianak",
    "Asia/Makassar": "Asia/Makassar",
    "Asia/Jayapura": "Asia/Jayapura",
}


@click.group()
def users() -> None:
    """Staff: add kader, bidan and admins, and list who is registered."""


@users.command("add")
@click.option("--role", type=click.Choice([Role.BIDAN, Role.KADER, Role.ADMIN]), required=True)
@click.option("--phone", required=True, help="E.164, e.g. +6281234567890.")
@click.option("--posyandu", "posyandu_name", help="Name of the posyandu (required for bidan and kader).")
@click.option("--name", help="The person's name.")
def add_user(role: str, phone: str, posyandu_name: str | None, name: str | None) -> None:
    """Give PHONE the staff ROLE at a posyandu (creating the contact if needed)."""
    phone = phone_option(phone)
    if role in (Role.BIDAN, Role.KADER) and not posyandu_name:
        raise click.UsageError("--posyandu is required for bidan and kader")
    runtime = open_runtime()
    with runtime.sessions() as session, session.begin():
        posyandu = None
        if posyandu_name:
            posyandu = posyandu_named(session, posyandu_name)
        contact = session.scalar(select(Contact).where(Contact.phone == phone))
        now = utcnow()
        if contact is None:
            contact = Contact(phone=phone, created_at=now)
            session.add(contact)
        contact.role = role
        contact.name = name or contact.name
        contact.posyandu_id = posyandu.id if posyandu else contact.posyandu_id
        contact.registered_at = contact.registered_at or now
        contact.consent_given_at = contact.consent_given_at or now
        session.flush()
        session.add(
            Event(at=now, actor_id=None, actor_role="admin", kind="staff_added", details={"role": role})
        )
        click.echo(f"{phone} is now {role}" + (f" at {posyandu.name}" if posyandu else ""))
    runtime.engine.dispose()


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="JSON lines.")
def list_users(as_json: bool) -> None:
    """List kader, bidan and admins."""
    runtime = open_runtime()
    with runtime.sessions() as session:
        rows = session.scalars(select(Contact).where(Contact.role != Role.IBU).order_by(Contact.id))
        for contact in rows:
            record = {
                "phone": contact.phone,
                "role": contact.role,
                "name": contact.name,
                "posyandu": contact.posyandu.name if contact.posyandu else None,
            }
            if as_json:
                click.echo(json.dumps(record, ensure_ascii=False))
            else:
                click.echo(
                    f"{record['phone']}  {record['role']:<6} {record['name'] or '-'}  {record['posyandu'] or '-'}"
                )
    runtime.engine.dispose()


@click.group()
def posyandu() -> None:
    """Posyandu: add them and list them."""


@posyandu.command("add")
@click.argument("name")
@click.option("--desa")
@click.option("--kecamatan")
@click.option("--kabupaten")
@click.option("--timezone", type=click.Choice(sorted(TIMEZONES)), default="WIB", show_default=True)
@click.option("--meeting-day", help='e.g. "2nd tuesday" or "day 15".')
@click.option("--backup-phone", help="Puskesmas or backup contact for emergencies, E.164.")
def add_posyandu(
    name: str,
    desa: str | None,
    kecamatan: str | None,
    kabupaten: str | None,
    timezone: str,
    meeting_day: str | None,
    backup_phone: str | None,
) -> None:
    """Add the posyandu NAME (or update it when it exists)."""
    backup = phone_option(backup_phone) if backup_phone else None
    runtime = open_runtime()
    with runtime.sessions() as session, session.begin():
        post = session.scalar(select(Posyandu).where(Posyandu.name == name))
        if post is None:
            post = Posyandu(name=name, created_at=utcnow())
            session.add(post)
        post.desa = desa or post.desa
        post.kecamatan = kecamatan or post.kecamatan
        post.kabupaten = kabupaten or post.kabupaten
        post.timezone = TIMEZONES[timezone]
        post.meeting_day = meeting_day or post.meeting_day
        post.backup_phone = backup or post.backup_phone
        click.echo(f"posyandu {name} ({post.timezone}) saved")
    runtime.engine.dispose()


@posyandu.command("list")
def list_posyandu() -> None:
    """List the posyandu."""
    runtime = open_runtime()
    with runtime.sessions() as session:
        for post in session.scalars(select(Posyandu).order_by(Posyandu.name)):
            click.echo(f"{post.name}  {post.desa or '-'}  {post.timezone}  {post.meeting_day or '-'}")
    runtime.engine.dispose()


from bot.cli.posyandu_schedule import schedule as _schedule  # noqa: E402

posyandu.add_command(_schedule)
