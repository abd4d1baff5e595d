"""Outbound transports: how one outbox row leaves the bot.

``LogTransport`` (the embedded default) never touches the network: it appends each message as a JSON
line to ``LOG_DIR/outbound.jsonl`` and logs it. ``TwilioTransport`` sends through the real
``twilio.rest.Client``; tests swap only its HTTP layer (``http_client``).

A send either returns a :class:`SendResult` (Twilio's SID and status) or raises one of:

- :class:`RetryableSendError` — Twilio said "not now" (429, 5xx, auth/config trouble) or the connection
  could not even be opened: nothing was sent, try again later;
- :class:`PermanentSendError` — Twilio refused this message for good (unsubscribed recipient, invalid
  number, outside the 24-hour window...): the Twilio error code is kept;
- :class:`UnknownOutcomeError` — the request may have reached Twilio (read timeout, connection reset):
  the worker must ask Twilio (:meth:`Transport.find_sent`) before sending again.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import uuid
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import requests
import urllib3
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bot.config import Settings
from db.models import OutboxStatus
from flows.core.notify import templates
from flows.core.phones import whatsapp_address

log = logging.getLogger(__name__)

#: Twilio error codes that will not change by sending the same request again.
PERMANENT_CODES = frozenset(
    {
        21211,  # invalid 'To' phone number
        21408,  # permission to send to this region is not enabled
        21610,  # the recipient replied STOP (unsubscribed)
        21612,  # the 'To' number cannot be reached by this 'From'
        21614,  # 'To' is not a valid mobile number
        63003,  # the channel could not find the 'To' address
        63016,  # free-form message outside the 24-hour window (needs a template)
        63024,  # invalid message recipient
    }
)
#: HTTP statuses that mean "fix the configuration and it will work": retried (up to the attempt limit).
CONFIGURATION_STATUSES = frozenset({401, 403})
STATUS_CALLBACK_PATH = "/webhooks/twilio/status"
#: Twilio's message status words → outbox statuses (Twilio's own "sending" is still "queued" for us).
TWILIO_STATUS = {
    "accepted": OutboxStatus.QUEUED,
    "scheduled": OutboxStatus.QUEUED,
    "queued": OutboxStatus.QUEUED,
    "sending": OutboxStatus.QUEUED,
    "sent": OutboxStatus.SENT,
    "delivered": OutboxStatus.DELIVERED,
    "read": OutboxStatus.READ,
    "failed": OutboxStatus.FAILED,
    "undelivered": OutboxStatus.UNDELIVERED,
    "canceled": OutboxStatus.FAILED,
}
#: Seconds an HTTP request to Twilio may take; far below the worker's lease so a slow send never
#: outlives the lease that protects it.
HTTP_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Outbound:
    """One message as the transport sends it: free text (``body``) or an approved template."""

    to_phone: str  # E.164
    body: str | None = None
    template_name: str | None = None
    template_variables: dict[str, Any] = field(default_factory=dict)
    media_url: str | None = None

    @property
    def is_template(self) -> bool:
        return self.template_name is not None


@dataclass(frozen=True)
class SendResult:
    sid: str
    status: str  # Twilio's status word: queued, accepted, sent, delivered...


class SendError(Exception):
    """A send that did not return a SID."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class RetryableSendError(SendError):
    """Nothing was sent; sending again later may work."""


class PermanentSendError(SendError):
    """Twilio refused this message; sending it again gives the same answer."""


class UnknownOutcomeError(SendError):
    """The request may have reached Twilio: check with ``find_sent`` before sending again."""


class Transport(Protocol):
    name: str

    def send(self, message: Outbound) -> SendResult: ...

    def find_sent(
        self, to_phone: str, bodies: Iterable[str], since: dt.datetime, exclude: Collection[str] = ()
    ) -> SendResult | None:
        """A message already sent to ``to_phone`` since ``since`` (naive UTC) with one of ``bodies``."""
        ...


def outbox_status(twilio_status: str | None) -> str:
    """The outbox status for a status word Twilio returned when it accepted (or listed) a message."""
    return TWILIO_STATUS.get((twilio_status or "").lower(), OutboxStatus.QUEUED)


def template_text(name: str, variables: dict[str, Any]) -> str:
    """The text a template renders to (the approved text in messages_id/content/templates.yaml)."""
    template = templates().get(name)
    if template is None:
        return f"template {name} {json.dumps(variables, ensure_ascii=False, sort_keys=True)}"
    return template.render(variables)


def rendered_text(message: Outbound) -> str:
    if message.is_template and message.template_name is not None:
        return template_text(message.template_name, message.template_variables)
    return message.body or ""


class LogTransport:
    """Records what would be sent (JSON lines in ``LOG_DIR/outbound.jsonl``) and logs it; no network."""

    name = "log"

    def __init__(
        self, log_dir: str | Path, media_reader: Callable[[str], bytes | None] | None = None
    ) -> None:
        self.path = Path(log_dir) / "outbound.jsonl"
        self._lock = threading.Lock()
        #: ``media_url → bytes``: when given, a sent picture is saved as ``LOG_DIR/media/<name>``.
        self.media_reader = media_reader

    def send(self, message: Outbound) -> SendResult:
        sid = f"LOG{uuid.uuid4().hex}"
        record = {
            "sid": sid,
            "at": dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds"),
            "to": message.to_phone,
            "body": rendered_text(message),
            "template": message.template_name,
            "variables": message.template_variables or None,
            "media_url": message.media_url,
        }
        if message.media_url and self.media_reader is not None:
            data = self.media_reader(message.media_url)
            if data is not None:
                saved = self.path.parent / "media" / message.media_url.rsplit("/", 1)[-1]
                saved.parent.mkdir(parents=True, exist_ok=True)
                saved.write_bytes(data)
                record["media_file"] = str(saved)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as file:
                file.write(json.dumps(record, ensure_ascii=False) + "\n")
        log.info("log transport: to %s: %s", message.to_phone, record["body"])
        return SendResult(sid=sid, status="queued")

    def records(self) -> list[dict[str, Any]]:
        """Everything recorded so far, oldest first."""
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as file:
            return [json.loads(line) for line in file if line.strip()]

    def find_sent(
        self, to_phone: str, bodies: Iterable[str], since: dt.datetime, exclude: Collection[str] = ()
    ) -> SendResult | None:
        wanted = set(bodies)
        for record in self.records():
            if (
                record["to"] == to_phone
                and record["body"] in wanted
                and record["sid"] not in exclude
                and dt.datetime.fromisoformat(record["at"]) >= since
            ):
                return SendResult(sid=record["sid"], status="queued")
        return None


class TwilioTransport:
    """Sends WhatsApp messages with the real Twilio client."""

    name = "twilio"

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        from_: str,
        *,
        public_url: str | None = None,
        template_sids: dict[str, str] | None = None,
        http_client: HttpClient | None = None,
    ) -> None:
        self.client = Client(
            account_sid, auth_token, http_client=http_client or TwilioHttpClient(timeout=HTTP_TIMEOUT_SECONDS)
        )
        self.from_ = from_ if from_.startswith("whatsapp:") else whatsapp_address(from_)
        self.status_callback = public_url.rstrip("/") + STATUS_CALLBACK_PATH if public_url else None
        self.template_sids = dict(template_sids or {})

    @classmethod
    def from_settings(cls, settings: Settings, http_client: HttpClient | None = None) -> TwilioTransport:
        missing = [
            name
            for name, value in (
                ("TWILIO_ACCOUNT_SID", settings.TWILIO_ACCOUNT_SID),
                ("TWILIO_AUTH_TOKEN", settings.TWILIO_AUTH_TOKEN),
                ("POSYANDU_WHATSAPP_FROM", settings.WHATSAPP_FROM),
            )
            if not value
        ]
        if missing:
            raise ValueError(f"the twilio transport needs {', '.join(missing)}")
        assert settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN and settings.WHATSAPP_FROM
        return cls(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            settings.WHATSAPP_FROM,
            public_url=settings.PUBLIC_URL,
            template_sids=parse_template_sids(settings.TEMPLATE_SIDS),
            http_client=http_client,
        )

    def send(self, message: Outbound) -> SendResult:
        arguments: dict[str, Any] = {"from_": self.from_, "to": whatsapp_address(message.to_phone)}
        if self.status_callback:
            arguments["status_callback"] = self.status_callback
        if message.is_template:
            content_sid = self.template_sids.get(message.template_name or "")
            if content_sid is None:
                raise PermanentSendError(
                    f"no Content SID configured for template {message.template_name!r} "
                    "(set POSYANDU_TEMPLATE_SIDS)",
                    code="template_not_configured",
                )
            arguments["content_sid"] = content_sid
            arguments["content_variables"] = json.dumps(message.template_variables, ensure_ascii=False)
        else:
            arguments["body"] = message.body or ""
        if message.media_url:
            arguments["media_url"] = [message.media_url]
        try:
            created = self.client.messages.create(**arguments)
        except Exception as exc:
            raise classify(exc) from exc
        return SendResult(sid=str(created.sid), status=str(created.status or "queued"))

    def find_sent(
        self, to_phone: str, bodies: Iterable[str], since: dt.datetime, exclude: Collection[str] = ()
    ) -> SendResult | None:
        """Ask Twilio for a message already sent (matched by recipient, sender, body and creation time).

        Filters on ``date_created`` locally rather than with Twilio's ``DateSent`` filter: a message
        Twilio accepted but has not handed to WhatsApp yet has no ``date_sent``.
        """
        wanted = set(bodies)
        try:
            recent = self.client.messages.list(to=whatsapp_address(to_phone), from_=self.from_, limit=50)
        except Exception as exc:
            raise classify(exc) from exc
        since_aware = since.replace(tzinfo=dt.UTC)
        for message in reversed(recent):  # Twilio lists newest first; take the oldest match
            created = message.date_created
            if (
                message.body in wanted
                and message.sid not in exclude
                and (created is None or created >= since_aware)
            ):
                return SendResult(sid=str(message.sid), status=str(message.status or "queued"))
        return None


def classify(exc: Exception) -> SendError:
    """Map an exception from the Twilio client to retryable, permanent or unknown outcome."""
    if isinstance(exc, SendError):
        return exc
    if isinstance(exc, TwilioRestException | TwilioServiceException):
        status = int(exc.status)
        code = str(exc.code) if exc.code is not None else None
        text = str(getattr(exc, "msg", None) or getattr(exc, "detail", None) or exc)
        if status == 429 or status >= 500 or status in CONFIGURATION_STATUSES:
            return RetryableSendError(f"Twilio answered {status}: {text}", code=code)
        return PermanentSendError(f"Twilio refused the message ({status}): {text}", code=code)
    if isinstance(exc, requests.exceptions.ConnectTimeout) or _never_connected(exc):
        return RetryableSendError(f"could not connect to Twilio: {exc}", code="connect_timeout")
    if isinstance(exc, requests.exceptions.ConnectionError | requests.exceptions.Timeout):
        return UnknownOutcomeError(f"no answer from Twilio: {exc}", code="network")
    if isinstance(exc, TwilioException):
        return UnknownOutcomeError(f"unreadable answer from Twilio: {exc}", code="twilio_client")
    return UnknownOutcomeError(f"{type(exc).__name__}: {exc}", code="unexpected")


def _never_connected(exc: Exception) -> bool:
    """A connection error raised before any byte reached Twilio (refused, DNS failure)."""
    if not isinstance(exc, requests.exceptions.ConnectionError) or not exc.args:
        return False
    reason = getattr(exc.args[0], "reason", exc.args[0])
    return isinstance(reason, urllib3.exceptions.NewConnectionError)


def parse_template_sids(raw: str | None) -> dict[str, str]:
    """``POSYANDU_TEMPLATE_SIDS``: a JSON object ``{"template_name": "HX..."}``."""
    if not raw:
        return {}
    value = json.loads(raw)
    if not isinstance(value, dict):
        raise ValueError("POSYANDU_TEMPLATE_SIDS must be a JSON object of template name to Content SID")
    return {str(name): str(sid) for name, sid in value.items()}


def make_transport(settings: Settings, http_client: HttpClient | None = None) -> Transport:
    if settings.TRANSPORT == "twilio":
        return TwilioTransport.from_settings(settings, http_client=http_client)
    from bot.media import media_reader

    return LogTransport(settings.LOG_DIR, media_reader=media_reader(settings.DATABASE_URL))
