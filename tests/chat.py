"""A conversation driver for tests: sends through the real inbox (store → process → outbox)."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import OutboxMessage
from flows.conversation.inbox import process_inbound, store_inbound
from flows.core.settings import FlowSettings

_sids = itertools.count(1)


class Chat:
    def __init__(self, sessions: sessionmaker[Session], phone: str, now: dt.datetime | None = None) -> None:
        self.sessions = sessions
        self.phone = phone
        self.now = now or dt.datetime(2026, 11, 24, 3, 0)  # 10:00 WIB
        self.settings = FlowSettings()

    def send(self, text: str, *, num_media: int = 0, sid: str | None = None) -> list[str]:
        """Send ``text`` as this phone; returns the bodies sent back to this phone while handling it."""
        before = self._last_outbox_id()
        inbound_id = store_inbound(
            self.sessions,
            message_sid=sid or f"SMtest{next(_sids)}",
            from_phone=self.phone,
            body=text,
            num_media=num_media,
            payload={"Body": text},
            now=self.now,
        )
        if inbound_id is not None:
            process_inbound(self.sessions, inbound_id, now=self.now, settings=self.settings)
        self.now += dt.timedelta(minutes=1)
        return [row.body or "" for row in self.outbox_since(before) if row.to_phone == self.phone]

    def outbox_since(self, last_id: int) -> list[OutboxMessage]:
        with self.sessions() as session:
            return list(
                session.scalars(
                    select(OutboxMessage).where(OutboxMessage.id > last_id).order_by(OutboxMessage.id)
                )
            )

    def _last_outbox_id(self) -> int:
        with self.sessions() as session:
            return session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1)) or 0

    def say(self, *texts: str) -> list[str]:
        """Send several messages; returns the replies to the last one."""
        replies: list[str] = []
        for text in texts:
            replies = self.send(text)
        return replies


def joined(replies: list[str]) -> str:
    return "\n".join(replies)
