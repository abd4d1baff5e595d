"""Messages the bot starts itself (reminders, announcements, the bidan's replies): the rules.

- Only to contacts who consented, have not opted out and are not erased.
- Never at night: between 07:00 and 20:00 in the contact's local time (her posyandu's zone); only
  ``urgent`` ones (danger-sign alerts and escalations) go at once.
- Inside WhatsApp's 24-hour customer-service window as free text; outside it only as an approved
  template (``messages_id/content/templates.yaml``). The choice is made by the worker at send time,
  so an outbox row carries both forms.
- Each has a unique idempotency key, so whatever runs twice enqueues once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy.orm import Session

from db.models import Contact
from db.outbox import enqueue, enqueue_many
from flows.core.localtime import to_local, to_utc
from messages_id import CONTENT_DIR

DAY_STARTS, DAY_ENDS = dt.time(7, 0), dt.time(20, 0)
WINDOW = dt.timedelta(hours=24)
#: Danger-sign alerts and escalations: sent at once, also at night (an emergency does not wait for 07:00);
#: still as a template outside the 24-hour window.
URGENT = "urgent"


@dataclass(frozen=True)
class Template:
    name: str
    text: str
    variables: tuple[str, ...]

    def render(self, values: dict[str, Any]) -> str:
        """The template text with ``{{n}}`` filled from ``values`` (keys "1", "2", ...)."""
        return re.sub(r"\{\{(\d+)\}\}", lambda m: str(values.get(m[1], "")), self.text)

    def numbered(self, values: dict[str, Any]) -> dict[str, str]:
        """``{"nama": "Siti"}`` → ``{"1": "Siti"}`` in the declared order, as Twilio expects."""
        return {str(n): str(values[name]) for n, name in enumerate(self.variables, 1)}


#: Template variables are one line and short (WhatsApp refuses newlines in them).
TEMPLATE_VARIABLE_CHARS = 700


def one_line(text: str, limit: int = TEMPLATE_VARIABLE_CHARS) -> str:
    """``text`` as a template variable: on one line, cut with "…" beyond ``limit``."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


@cache
def templates() -> dict[str, Template]:
    with (CONTENT_DIR / "templates.yaml").open(encoding="utf-8") as file:
        data = yaml.safe_load(file)["templates"]
    return {
        name: Template(name=name, text=spec["text"], variables=tuple(spec["variables"]))
        for name, spec in data.items()
    }


def local_zone(contact: Contact, default: str) -> ZoneInfo:
    posyandu = contact.posyandu
    return ZoneInfo(posyandu.timezone if posyandu is not None and posyandu.timezone else default)


def next_daytime(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """``moment`` (naive UTC) if it is daytime in ``zone``, else the next 07:00 there (naive UTC)."""
    local = to_local(moment, zone)
    if DAY_STARTS <= local.time() < DAY_ENDS:
        return moment
    day = local.date() if local.time() < DAY_STARTS else local.date() + dt.timedelta(days=1)
    return to_utc(day, DAY_STARTS, zone)


def window_open(contact: Contact, moment: dt.datetime) -> bool:
    """Whether free text may be sent at ``moment``: she wrote to us in the 24 hours before."""
    return contact.last_inbound_at is not None and moment - contact.last_inbound_at < WINDOW


def may_notify(contact: Contact) -> bool:
    """The Python twin of :func:`db.models.notifiable_contact`, for a contact already loaded."""
    return (
        contact.phone is not None
        and contact.has_consent
        and not contact.is_opted_out
        and contact.erased_at is None
    )


def notify(
    session: Session,
    contact: Contact,
    *,
    key: str,
    body: str,
    template: str,
    variables: dict[str, Any],
    now: dt.datetime,
    default_timezone: str,
    kind: str,
    ref: str | None = None,
    not_before: dt.datetime | None = None,
) -> bool:
    """Enqueue a notification (free text ``body`` and its ``template`` form); True when newly added."""
    if not may_notify(contact) or contact.phone is None:
        return False
    spec = templates()[template]
    send_at = max(now, not_before or now)
    if kind != URGENT:
        send_at = next_daytime(send_at, local_zone(contact, default_timezone))
    return enqueue(
        session,
        to_phone=contact.phone,
        contact_id=contact.id,
        key=key,
        body=body,
        template_name=spec.name,
        template_variables=spec.numbered(variables),
        not_before=send_at,
        kind=kind,
        ref=ref,
    )


@dataclass(frozen=True)
class Recipient:
    """One addressee of :func:`notify_many`: already selected with :func:`db.models.notifiable_contact`."""

    contact_id: int
    phone: str
    key: str
    body: str
    variables: dict[str, Any]
    not_before: dt.datetime


def notify_many(
    session: Session,
    recipients: list[Recipient],
    *,
    template: str,
    now: dt.datetime,
    zone: ZoneInfo,
    kind: str,
    ref: str | None = None,
) -> set[str]:
    """:func:`notify` for many contacts of one time zone in one bulk INSERT; returns the keys added.

    The same rules: the caller selects only contacts that pass
    :func:`db.models.notifiable_contact`, the send time moves into the local daytime, both forms are
    stored, and a key that exists adds nothing.
    """
    spec = templates()[template]
    return enqueue_many(
        session,
        [
            {
                "to_phone": recipient.phone,
                "contact_id": recipient.contact_id,
                "key": recipient.key,
                "body": recipient.body,
                "template_name": spec.name,
                "template_variables": spec.numbered(recipient.variables),
                "not_before": next_daytime(max(now, recipient.not_before), zone),
                "kind": kind,
                "ref": ref,
            }
            for recipient in recipients
        ],
    )


@dataclass(frozen=True)
class SendDecision:
    """What the worker does with a row now: ``text``, ``template``, ``later`` (at ``when``) or ``drop``."""

    action: str
    when: dt.datetime | None = None
    reason: str | None = None


def decide(
    kind: str, has_template: bool, contact: Contact | None, now: dt.datetime, default_timezone: str
) -> SendDecision:
    """The send-time rule for one outbox row (replies always go as text: she just wrote)."""
    if kind == "reply" or contact is None:
        return SendDecision("text")
    daytime = now if kind == URGENT else next_daytime(now, local_zone(contact, default_timezone))
    if daytime > now:
        return SendDecision("later", when=daytime)
    if window_open(contact, now):
        return SendDecision("text")
    if has_template:
        return SendDecision("template")
    return SendDecision("drop", reason="outside the 24-hour window and no template")
