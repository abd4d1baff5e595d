"""The sender number's messaging limit: at most N unique recipients of notifications per rolling 24 hours.

WhatsApp caps how many different people a business number may start conversations with in 24 hours
(tiers of 250, 1,000, 10,000 ...). A broadcast larger than what is left today is split into days: the
first part goes now, the rest at the same hour on the next days (``next_attempt_at``), each day taking
only what the window before it leaves free. Counted conservatively: every notification (anything but a
reply) that is waiting or sent counts, whatever window it will go in; a recipient already counted in
the window costs nothing more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import OutboxMessage, OutboxStatus
from flows.core.notify import next_daytime

WINDOW = dt.timedelta(hours=24)
#: A broadcast is never spread over more days than this (the rest goes on the last one).
MAX_DAYS = 60


def recipients_in_window(session: Session, end: dt.datetime) -> set[str]:
    """Phones with a notification sent or due in the 24 hours up to ``end`` (naive UTC)."""
    moment = func.coalesce(OutboxMessage.sent_at, OutboxMessage.next_attempt_at)
    query = (
        select(OutboxMessage.to_phone)
        .where(
            OutboxMessage.kind != "reply",
            OutboxMessage.status.not_in((OutboxStatus.FAILED, OutboxStatus.UNDELIVERED)),
            moment > end - WINDOW,
            moment <= end,
        )
        .distinct()
    )
    return set(session.scalars(query))


def spread_over_days(
    session: Session, phones: Sequence[str], start: dt.datetime, zone: ZoneInfo, limit: int
) -> list[dt.datetime]:
    """The send time (naive UTC, daytime in ``zone``) of each phone, in order, under the daily ``limit``."""
    times: list[dt.datetime | None] = [None] * len(phones)
    waiting = list(range(len(phones)))
    day = 0
    while waiting:
        at = next_daytime(start + day * WINDOW, zone)
        counted = recipients_in_window(session, at)
        room = max(0, limit - len(counted))
        later = []
        for index in waiting:
            if phones[index] in counted:
                times[index] = at
            elif room > 0 or day >= MAX_DAYS:
                times[index] = at
                room -= 1
            else:
                later.append(index)
        waiting, day = later, day + 1
    return [time for time in times if time is not None]
