"""Twilio webhooks: incoming WhatsApp messages and delivery status callbacks.

Security rule (every request, both endpoints):

- With ``TWILIO_AUTH_TOKEN`` set, a request must carry a valid ``X-Twilio-Signature`` computed over
  ``POSYANDU_PUBLIC_URL`` + path + query when that is set (the URL Twilio really called, in front of
  any proxy), else over the URL this server saw. ``X-Forwarded-*`` headers are never trusted: behind
  a proxy, set ``POSYANDU_PUBLIC_URL``. Missing or wrong signature → 403 and nothing is stored.
- With no token there is nothing to check a signature against, so every request is refused (403),
  except with the ``log`` transport (nothing ever reaches a real phone) for requests from this
  machine (loopback), so local ``curl`` and simulators work without secrets.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from flask import Blueprint, Response, abort, current_app, request
from sqlalchemy import update
from twilio.request_validator import RequestValidator

from bot.config import Settings
from bot.runtime import Runtime, flow_settings
from bot.transport import TWILIO_STATUS
from db.models import OutboxMessage, OutboxStatus, utcnow
from db.session import transaction
from flows.conversation.inbox import process_inbound, store_inbound
from flows.core.phones import InvalidPhone, to_e164

log = logging.getLogger(__name__)

blueprint = Blueprint("webhooks", __name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'

#: Forward order of delivery statuses (failed and undelivered are final).
STATUS_RANK = {
    OutboxStatus.QUEUED: 1,
    OutboxStatus.SENT: 2,
    OutboxStatus.DELIVERED: 3,
    OutboxStatus.READ: 4,
}
#: Statuses a row may still leave (before any Twilio SID exists a callback cannot find the row).
OPEN_STATUSES = (OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.QUEUED, OutboxStatus.SENT)


def _runtime() -> Runtime:
    runtime: Runtime = current_app.extensions["posyandu"]
    return runtime


def _twiml() -> Response:
    return Response(EMPTY_TWIML, status=200, content_type="text/xml; charset=utf-8")


def signed_url(settings: Settings) -> str:
    """The URL Twilio signed: the public base URL + path + query when configured, else the request URL."""
    if settings.PUBLIC_URL:
        query = request.query_string.decode("latin-1")
        return settings.PUBLIC_URL.rstrip("/") + request.path + (f"?{query}" if query else "")
    return request.url


def _from_loopback() -> bool:
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


def request_is_authentic(settings: Settings) -> bool:
    token = settings.TWILIO_AUTH_TOKEN
    if not token:
        return settings.TRANSPORT == "log" and _from_loopback()
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature:
        return False
    return bool(RequestValidator(token).validate(signed_url(settings), request.form, signature))


@blueprint.before_request
def _check_signature() -> None:
    if not request_is_authentic(_runtime().settings):
        log.warning("refused an unsigned or wrongly signed webhook request to %s", request.path)
        abort(403)


def _num_media(raw: str | None) -> int:
    try:
        return max(0, int(raw or 0))
    except ValueError:
        return 0


@blueprint.post("/webhooks/twilio/whatsapp")
def incoming_message() -> Response:
    """Store the message first, then (by default) run the conversation before answering 200."""
    runtime = _runtime()
    form = request.form
    message_sid = form.get("MessageSid") or form.get("SmsMessageSid")
    if not message_sid:
        abort(400)
    try:
        from_phone = to_e164(form.get("From", ""))
    except InvalidPhone:
        log.warning("ignored message %s from an unreadable sender %r", message_sid, form.get("From"))
        return _twiml()
    payload: dict[str, Any] = {key: form.get(key) for key in form}
    now = utcnow()
    inbound_id = store_inbound(
        runtime.sessions,
        message_sid=message_sid,
        from_phone=from_phone,
        body=form.get("Body", "").replace("\x00", ""),  # PostgreSQL text cannot hold NUL
        num_media=_num_media(form.get("NumMedia")),
        payload=payload,
        now=now,
    )
    if inbound_id is None:
        log.info("message %s was already received; not processed again", message_sid)
    elif runtime.settings.PROCESS_INLINE:
        process_inbound(runtime.sessions, inbound_id, now=now, settings=flow_settings(runtime))
    return _twiml()


@blueprint.post("/webhooks/twilio/status")
def status_callback() -> Response:
    """Move an outbox row forward (never back); failed and undelivered are final, with the error kept."""
    form = request.form
    sid = form.get("MessageSid") or form.get("SmsSid")
    new_status = TWILIO_STATUS.get((form.get("MessageStatus") or "").lower())
    if not sid or new_status is None:
        return _twiml()
    if new_status in STATUS_RANK:
        rank = STATUS_RANK[new_status]
        allowed_from = [OutboxStatus.PENDING, OutboxStatus.SENDING] + [
            status for status, other in STATUS_RANK.items() if other < rank
        ]
        values: dict[str, Any] = {"status": new_status}
    else:  # failed / undelivered: final, unless the message was already delivered or read
        allowed_from = list(OPEN_STATUSES)
        values = {
            "status": new_status,
            "error_code": form.get("ErrorCode") or None,
            "error_message": form.get("ErrorMessage") or None,
        }
    with transaction(_runtime().sessions) as session:
        result = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.twilio_sid == sid, OutboxMessage.status.in_(allowed_from))
            .values(**values, updated_at=utcnow())
        )
    if not getattr(result, "rowcount", 0):
        log.debug("status %s for %s ignored (unknown message or not a step forward)", new_status, sid)
    return _twiml()
