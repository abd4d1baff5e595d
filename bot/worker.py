"""The outbox worker: the only code that hands messages to the transport.

Each cycle it retries inbound messages whose processing failed (``flows.conversation.inbox.retry_due``), then
claims due outbox rows and sends them, at most ``SEND_RATE`` per second.

Delivery guarantee — at most once towards the user for a given outbox row:

- **Claim under a lease.** One UPDATE (its own short transaction) moves due rows to ``sending`` with
  this worker's name and ``lease_until``; its WHERE clause re-checks that the row is still due, so two
  workers never claim the same row (PostgreSQL also skips rows another worker has locked:
  ``FOR UPDATE SKIP LOCKED``). No transaction is held while talking to Twilio.
- **Record the SID at once.** As soon as Twilio accepts, the SID and ``queued`` are committed.
- **Reconcile before any resend whose outcome is unknown.** If the worker died between Twilio's
  answer and that commit, the row is still ``sending`` when its lease expires; whoever claims it then
  (or retries after a network error, flagged ``needs_reconcile``) first asks the transport whether the
  message already exists (same recipient, sender and text, created after the row, SID not yet known)
  and records it instead of sending again.
- **What remains:** Twilio's message list is eventually consistent; a message accepted a moment
  before a crash may not be listed yet when the lease expires (``LEASE_SECONDS``, 120 s by default,
  far longer than that lag and than the 30 s HTTP timeout), and two identical texts to the same phone
  created in the same window are told apart only by their SIDs.

Retryable failures go back to ``pending`` with capped exponential backoff and jitter until
``MAX_SEND_ATTEMPTS``; permanent ones fail at once with Twilio's error code kept. The recipient is
re-checked at send time: an opted-out contact gets nothing (except the opt-out confirmation), and a
notification follows ``flows.core.notify.decide`` (daytime only; template outside the 24-hour window).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, or_, select, update

from bot.runtime import Runtime, flow_settings
from bot.transport import (
    Outbound,
    PermanentSendError,
    SendError,
    SendResult,
    Transport,
    UnknownOutcomeError,
    outbox_status,
    template_text,
)
from db.models import Contact, OutboxMessage, OutboxStatus, utcnow
from db.session import transaction
from flows.conversation.inbox import retry_due
from flows.core.notify import decide

log = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 5.0
BACKOFF_CAP_SECONDS = 15 * 60.0
#: How far before a row's creation a message found at Twilio may date (clock skew between hosts).
RECONCILE_MARGIN = dt.timedelta(minutes=5)
#: Inbound messages still ``received`` this long after arrival were not processed inline: process them.
INLINE_GRACE = dt.timedelta(seconds=30)


def backoff(attempts: int, rng: Callable[[], float] = random.random) -> dt.timedelta:
    """Delay before attempt ``attempts + 1``: 5 s, 10 s, 20 s... capped at 15 min, with 50-100 % jitter."""
    delay = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1))
    return dt.timedelta(seconds=delay * (0.5 + 0.5 * rng()))


@dataclass
class Pacer:
    """At most ``rate`` sends per second on average, on a fixed timetable of one slot per 1/rate.

    Slots follow the timetable, not the previous send, so time lost in a slow claim or commit is made
    up and the average holds under load. Only a lag of up to ``CATCH_UP_SECONDS`` is made up; after a
    longer stall or an idle spell the timetable restarts from now, so there is no burst.
    """

    CATCH_UP_SECONDS = 0.5

    rate: float
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _next_at: float | None = None

    def wait(self) -> None:
        if self.rate <= 0:
            return
        interval = 1.0 / self.rate
        now = self.monotonic()
        slot = now
        if self._next_at is not None and now - self._next_at <= self.CATCH_UP_SECONDS:
            slot = self._next_at
        if slot > now:
            self.sleep(slot - now)
        self._next_at = slot + interval


@dataclass(frozen=True)
class _Row:
    """What the worker needs from a claimed row, read before the network call."""

    id: int
    to_phone: str
    body: str | None
    template_name: str | None
    template_variables: dict[str, Any]
    media_url: str | None
    kind: str
    attempts: int
    needs_reconcile: bool
    created_at: dt.datetime


class OutboxWorker:
    """One worker: its name (lease owner), its transport and its send pace."""

    def __init__(
        self,
        runtime: Runtime,
        *,
        transport: Transport | None = None,
        owner: str | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
        batch_size: int = 20,
    ) -> None:
        self.runtime = runtime
        self.settings = runtime.settings
        self.sessions = runtime.sessions
        self.transport: Transport = transport if transport is not None else runtime.transport
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.pacer = Pacer(self.settings.SEND_RATE, monotonic, sleep)
        self.rng = rng
        # Never claim more than can be sent well within the lease.
        sendable = int(self.settings.SEND_RATE * self.settings.LEASE_SECONDS / 2) or 1
        self.batch_size = max(1, min(batch_size, sendable))

    # -- one cycle -------------------------------------------------------------------------------
    def run_once(self, now: dt.datetime | None = None) -> int:
        """Retry due inbound messages, then claim and handle due outbox rows; returns rows handled."""
        now = now or utcnow()
        self.retry_inbound(now)  # its replies are due at ``now``, so this cycle sends them
        claimed = self.claim(now)
        for row_id in claimed:
            try:
                self.deliver(row_id, now)
            except Exception:  # one bad row must not stop the others; its lease expires and it is reconciled
                log.exception("outbox row %s could not be handled", row_id)
        return len(claimed)

    def retry_inbound(self, now: dt.datetime) -> int:
        stale_after = INLINE_GRACE if self.settings.PROCESS_INLINE else dt.timedelta(0)
        return retry_due(
            self.sessions, now=now, settings=flow_settings(self.runtime), stale_after=stale_after
        )

    # -- claiming --------------------------------------------------------------------------------
    def claim(self, now: dt.datetime) -> list[int]:
        """Take up to ``batch_size`` due rows under a lease, in one UPDATE of its own transaction."""
        due = or_(
            and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now),
            and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.lease_until < now),
        )
        with transaction(self.sessions) as session:
            candidates = (
                select(OutboxMessage.id)
                .where(due)
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                .limit(self.batch_size)
            )
            if session.get_bind().dialect.name == "postgresql":
                candidates = candidates.with_for_update(skip_locked=True)
            statement = (
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(candidates.scalar_subquery()), due)
                .values(
                    status=OutboxStatus.SENDING,
                    lease_owner=self.owner,
                    lease_until=now + dt.timedelta(seconds=self.settings.LEASE_SECONDS),
                    claimed_at=now,
                    attempts=OutboxMessage.attempts + 1,
                    # A lease that expired while sending: the request may have reached Twilio.
                    needs_reconcile=case(
                        (OutboxMessage.status == OutboxStatus.SENDING, True),
                        else_=OutboxMessage.needs_reconcile,
                    ),
                    updated_at=now,
                )
                .returning(OutboxMessage.id)
                .execution_options(synchronize_session=False)
            )
            return sorted(session.scalars(statement))

    # -- one row ---------------------------------------------------------------------------------
    def deliver(self, row_id: int, now: dt.datetime) -> str:
        """Reconcile if needed, re-check the recipient, send; returns what happened (for logs and tests)."""
        with self.sessions() as session:
            message = session.get(OutboxMessage, row_id)
            if message is None or message.lease_owner != self.owner:
                return "lost"
            row = _Row(
                id=message.id,
                to_phone=message.to_phone,
                body=message.body,
                template_name=message.template_name,
                template_variables=dict(message.template_variables or {}),
                media_url=message.media_url,
                kind=message.kind,
                attempts=message.attempts,
                needs_reconcile=message.needs_reconcile,
                created_at=message.created_at,
            )
            contact = self._recipient(session, message)
            opted_out = contact is not None and contact.is_opted_out and not message.ignore_opt_out
            decision = decide(row.kind, row.template_name is not None, contact, now, self.settings.TIMEZONE)
            known_sids = {
                sid
                for sid in session.scalars(
                    select(OutboxMessage.twilio_sid).where(
                        OutboxMessage.to_phone == row.to_phone, OutboxMessage.twilio_sid.is_not(None)
                    )
                )
                if sid
            }

        if row.needs_reconcile:
            try:
                found = self.transport.find_sent(
                    row.to_phone, _possible_texts(row), row.created_at - RECONCILE_MARGIN, known_sids
                )
            except SendError as exc:
                return self._retry(row, now, exc)
            if found is not None:
                log.info(
                    "outbox row %s was already accepted by Twilio as %s; not sent again", row.id, found.sid
                )
                return self._record_sent(row, found, now, outcome="reconciled")

        if opted_out:
            return self._fail(row, now, code="opted_out", reason="the recipient has opted out")
        if decision.action == "later" and decision.when is not None:
            return self._postpone(row, decision.when)
        if decision.action == "drop":
            return self._fail(row, now, code="no_template", reason=decision.reason or "not sendable now")
        use_template = decision.action == "template" or (row.body is None and row.media_url is None)
        outbound = Outbound(
            to_phone=row.to_phone,
            body=None if use_template else row.body,
            template_name=row.template_name if use_template else None,
            template_variables=row.template_variables if use_template else {},
            media_url=row.media_url,
        )

        self.pacer.wait()
        try:
            result = self.transport.send(outbound)
        except PermanentSendError as exc:
            return self._fail(row, now, code=exc.code, reason=exc.message)
        except SendError as exc:
            return self._retry(row, now, exc)
        return self._record_sent(row, result, now, outcome="sent")

    def _recipient(self, session: Any, message: OutboxMessage) -> Contact | None:
        if message.contact_id is not None:
            contact: Contact | None = session.get(Contact, message.contact_id)
            if contact is not None:
                return contact
        return session.scalar(select(Contact).where(Contact.phone == message.to_phone))

    # -- outcomes --------------------------------------------------------------------------------
    def _update(self, row: _Row, **values: Any) -> bool:
        """Write the outcome if this worker still holds the row's lease."""
        with transaction(self.sessions) as session:
            result = session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id == row.id,
                    OutboxMessage.lease_owner == self.owner,
                    OutboxMessage.status == OutboxStatus.SENDING,
                )
                .values(lease_owner=None, lease_until=None, updated_at=utcnow(), **values)
                .execution_options(synchronize_session=False)
            )
            return bool(getattr(result, "rowcount", 0))

    def _record_sent(self, row: _Row, result: SendResult, now: dt.datetime, *, outcome: str) -> str:
        values = {
            "twilio_sid": result.sid,
            "status": outbox_status(result.status),
            "sent_at": now,
            "needs_reconcile": False,
            "error_code": None,
            "error_message": None,
        }
        if self._update(row, **values):
            return outcome
        # The lease was taken over while Twilio answered: the SID is still the truth, keep it.
        with transaction(self.sessions) as session:
            kept = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row.id, OutboxMessage.twilio_sid.is_(None))
                .values(lease_owner=None, lease_until=None, updated_at=utcnow(), **values)
                .execution_options(synchronize_session=False)
            )
        log.error(
            "outbox row %s: lease lost while sending; SID %s %s",
            row.id,
            result.sid,
            "recorded" if getattr(kept, "rowcount", 0) else "NOT recorded (another SID is already there)",
        )
        return outcome

    def _retry(self, row: _Row, now: dt.datetime, exc: SendError) -> str:
        unknown = isinstance(exc, UnknownOutcomeError)
        if row.attempts >= self.settings.MAX_SEND_ATTEMPTS:
            reason = f"gave up after {row.attempts} attempts: {exc.message}"
            self._update(
                row,
                status=OutboxStatus.FAILED,
                error_code=exc.code,
                error_message=reason[:2000],
                needs_reconcile=row.needs_reconcile or unknown,
            )
            log.error("outbox row %s failed: %s", row.id, reason)
            return "failed"
        delay = backoff(row.attempts, self.rng)
        self._update(
            row,
            status=OutboxStatus.PENDING,
            next_attempt_at=now + delay,
            error_code=exc.code,
            error_message=exc.message[:2000],
            # Once an outcome was unknown, every later attempt checks Twilio first.
            needs_reconcile=row.needs_reconcile or unknown,
        )
        log.warning("outbox row %s: %s; retry in %.0f s", row.id, exc.message, delay.total_seconds())
        return "retry"

    def _fail(self, row: _Row, now: dt.datetime, *, code: str | None, reason: str) -> str:
        self._update(row, status=OutboxStatus.FAILED, error_code=code, error_message=reason[:2000])
        log.warning("outbox row %s failed for good (%s): %s", row.id, code, reason)
        return "failed"

    def _postpone(self, row: _Row, when: dt.datetime) -> str:
        """Not an attempt: back to pending until ``when`` (e.g. the next morning for a reminder)."""
        self._update(
            row, status=OutboxStatus.PENDING, next_attempt_at=when, attempts=max(0, row.attempts - 1)
        )
        return "postponed"


def _possible_texts(row: _Row) -> list[str]:
    """What the earlier attempt may have sent: the free text, or the template's rendered text."""
    texts = [row.body] if row.body is not None else []
    if row.template_name is not None:
        texts.append(template_text(row.template_name, row.template_variables))
    return texts


def run_once(runtime: Runtime, now: dt.datetime | None = None, **worker_options: Any) -> int:
    """One cycle of a fresh worker (tests, cron-style use); returns the outbox rows handled."""
    return OutboxWorker(runtime, **worker_options).run_once(now)


def run_forever(
    runtime: Runtime,
    stop_event: threading.Event,
    *,
    idle_seconds: float = 1.0,
    worker: OutboxWorker | None = None,
) -> None:
    """Cycle until ``stop_event`` is set; sleeps ``idle_seconds`` when there was nothing to send."""
    worker = worker or OutboxWorker(runtime)
    log.info("outbox worker %s started (transport %s)", worker.owner, worker.transport.name)
    while not stop_event.is_set():
        try:
            handled = worker.run_once()
        except Exception:
            log.exception("outbox worker cycle failed; trying again shortly")
            handled = 0
        if not handled:
            stop_event.wait(idle_seconds)
    log.info("outbox worker %s stopped", worker.owner)
