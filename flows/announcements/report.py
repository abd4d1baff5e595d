"""``LAPORAN``: the delivery report of a posyandu's last announcements, from the outbox statuses.

The worker and Twilio's status callbacks move each outbox row forward (pending → queued → sent →
delivered → read, or failed/undelivered with an error code); the report counts them per announcement
(``ref = "announcement:<id>"``, one GROUP BY) and names the reasons of the failures.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Announcement, OutboxMessage, OutboxStatus
from flows.announcements import broadcast as ann
from flows.core.notify import one_line
from messages_id import N_, _, format_number, pgettext

SHOWN = 5
PREVIEW_CHARS = 60
WAITING = (OutboxStatus.PENDING, OutboxStatus.SENDING)
FAILED = (OutboxStatus.FAILED, OutboxStatus.UNDELIVERED)
#: Error codes (Twilio's, and the worker's own) → what the kader reads.
REASONS = {
    "opted_out": N_("stopped messages from the bot"),
    "no_template": N_("no approved template outside the 24-hour window"),
    "63016": N_("outside the 24-hour window"),
    "63024": N_("not a valid WhatsApp number"),
    "63003": N_("number not reachable on WhatsApp"),
    "63018": N_("too many messages at once"),
    "63049": N_("not delivered by WhatsApp (Meta's limits)"),
    "63032": N_("the phone's WhatsApp cannot receive it"),
    "30003": N_("phone off or not reachable"),
    "30008": N_("unknown delivery error"),
}


@dataclass
class Delivery:
    """Counts of one announcement's messages by delivery status."""

    waiting: int = 0
    queued: int = 0
    sent: int = 0
    delivered: int = 0
    read: int = 0
    failed: int = 0
    reasons: Counter[str | None] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return self.waiting + self.queued + self.sent + self.delivered + self.read + self.failed


def deliveries(session: Session, announcement_ids: list[int]) -> dict[int, Delivery]:
    refs = {ann.ref_of(number): number for number in announcement_ids}
    result: dict[int, Delivery] = defaultdict(Delivery)
    if not refs:
        return result
    rows = session.execute(
        select(OutboxMessage.ref, OutboxMessage.status, OutboxMessage.error_code, func.count())
        .where(OutboxMessage.ref.in_(refs))
        .group_by(OutboxMessage.ref, OutboxMessage.status, OutboxMessage.error_code)
    )
    for ref, status, error_code, count in rows:
        delivery = result[refs[str(ref)]]
        if status in WAITING:
            delivery.waiting += count
        elif status in FAILED:
            delivery.failed += count
            delivery.reasons[error_code] += count
        elif status in (OutboxStatus.QUEUED, OutboxStatus.SENT, OutboxStatus.DELIVERED, OutboxStatus.READ):
            setattr(delivery, status, getattr(delivery, status) + count)
    return result


def reason_text(code: str | None) -> str:
    if code is None:
        return _("reason unknown")
    if code in REASONS:
        return _(REASONS[code])
    return _("error code {code}").format(code=code)


def _counts_line(delivery: Delivery) -> str:
    line = _(
        "waiting {waiting}, with WhatsApp {queued}, sent {sent}, delivered {delivered}, read {read}, "
        "failed {failed}"
    ).format(
        waiting=format_number(delivery.waiting),
        queued=format_number(delivery.queued),
        sent=format_number(delivery.sent),
        delivered=format_number(delivery.delivered),
        read=format_number(delivery.read),
        failed=format_number(delivery.failed),
    )
    if delivery.failed:
        reasons = "; ".join(
            f"{format_number(count)} {reason_text(code)}"
            for code, count in sorted(delivery.reasons.items(), key=lambda item: (-item[1], item[0] or ""))
        )
        line += f" ({reasons})"
    return line


def _status_text(announcement: Announcement) -> str:
    if announcement.status == ann.CANCELLED:
        return pgettext("announcement status", "cancelled")
    if announcement.status == ann.MISSED:
        return pgettext("announcement status", "missed")
    if announcement.status == ann.SCHEDULED:
        return pgettext("announcement status", "scheduled")
    return pgettext("announcement status", "done")


def describe(
    session: Session, announcement: Announcement, delivery: Delivery, now: dt.datetime, default_timezone: str
) -> str:
    """One announcement's entry in the report."""
    header = _("#{number} {when} - {audience} ({status})").format(
        number=announcement.id,
        when=ann.describe_when(session, announcement, now, default_timezone),
        audience=ann.audience_label(announcement.audience),
        status=_status_text(announcement),
    )
    lines = [header, f'"{one_line(announcement.text, PREVIEW_CHARS)}"']
    if delivery.total:
        lines.append(
            _("{count} messages: {counts}.").format(
                count=format_number(delivery.total), counts=_counts_line(delivery)
            )
        )
    return "\n".join(lines)


def report(session: Session, posyandu_id: int, now: dt.datetime, default_timezone: str) -> str:
    """The report of the posyandu's last announcements (newest first)."""
    latest = session.scalars(
        select(Announcement)
        .where(Announcement.posyandu_id == posyandu_id)
        .order_by(Announcement.id.desc())
        .limit(SHOWN)
    ).all()
    if not latest:
        return _("No announcements yet. Type UMUMKAN to write one.")
    counts = deliveries(session, [a.id for a in latest])
    entries = [describe(session, a, counts[a.id], now, default_timezone) for a in latest]
    return (
        _("Delivery report of the last announcements:")
        + "\n\n"
        + "\n\n".join(entries)
        + "\n\n"
        + _("Cancel a scheduled one: BATALKAN <no>.")
    )
