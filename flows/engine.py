"""The conversation engine (placeholder until the flows land)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from db.models import Contact
from flows.messages import Incoming, Outgoing
from flows.settings import FlowSettings
from messages_id import _


def handle(
    session: Session, contact: Contact, message: Incoming, *, now: dt.datetime, settings: FlowSettings
) -> list[Outgoing]:
    return [Outgoing(body=_("Sorry, something went wrong on our side. We will answer your message shortly."))]
