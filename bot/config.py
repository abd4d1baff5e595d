"""Configuration from the environment (``POSYANDU_*``, ``TWILIO_*``) with explicit overrides."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from db.session import DEFAULT_DATABASE_URL

# Keys read from the environment without the POSYANDU_ prefix.
UNPREFIXED = {"TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"}


@dataclass(frozen=True)
class Settings:
    DATABASE_URL: str = DEFAULT_DATABASE_URL
    TRANSPORT: str = "log"  # "log" or "twilio"
    TWILIO_ACCOUNT_SID: str | None = None
    TWILIO_AUTH_TOKEN: str | None = None
    WHATSAPP_FROM: str | None = None
    PUBLIC_URL: str | None = None
    #: JSON object {"template_name": "HX..."}: approved WhatsApp Content SIDs for the twilio transport.
    TEMPLATE_SIDS: str | None = None
    SECRET_KEY: str = field(default_factory=lambda: secrets.token_hex(32))
    TIMEZONE: str = "Asia/Jakarta"
    #: Outbound messages per second, per worker process.
    SEND_RATE: float = 10.0
    #: Unique recipients the sender number may message per rolling 24 hours (WhatsApp's messaging limit
    #: tier: 250, 1,000, 10,000 ...); a broadcast's recipients beyond it wait for the next day.
    DAILY_RECIPIENT_LIMIT: int = 1000
    #: How long a claimed outbox row belongs to one worker before another may reconcile it.
    LEASE_SECONDS: int = 120
    #: Sending attempts before a retryable failure becomes final.
    MAX_SEND_ATTEMPTS: int = 8
    #: Processing attempts for an inbound message that raised, before it is parked as dead.
    MAX_PROCESS_ATTEMPTS: int = 5
    #: Idle conversations expire after this many minutes (the mother is told politely next time).
    CONVERSATION_TTL_MINUTES: int = 24 * 60
    #: A darurat case nobody answered within this many minutes goes to the posyandu's backup contact.
    CASE_ESCALATION_MINUTES: int = 15
    #: Unanswered cases are reminded to the bidan every this many minutes (daytime only).
    CASE_REMINDER_MINUTES: int = 120
    #: The mother is asked how she and the child are this many minutes after a darurat message.
    DARURAT_CHECKBACK_MINUTES: int = 60
    #: Process inbound messages inside the webhook request (False: leave them to the worker).
    PROCESS_INLINE: bool = True
    #: Where the log transport writes media files and the JSON lines of what it "sent".
    LOG_DIR: str = "instance/outbound"
    TESTING: bool = False

    @property
    def transport(self) -> str:
        return self.TRANSPORT


def _coerce(kind: Any, raw: Any) -> Any:
    if raw is None or not isinstance(raw, str):
        return raw
    if kind in (bool, "bool"):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if kind in (int, "int"):
        return int(raw)
    if kind in (float, "float"):
        return float(raw)
    return raw


def load_settings(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Settings from ``environ`` (default ``os.environ``); ``overrides`` win (keys without ``POSYANDU_``)."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for f in fields(Settings):
        env_name = f.name if f.name in UNPREFIXED else f"POSYANDU_{f.name}"
        if env_name in environ and environ[env_name] != "":
            values[f.name] = _coerce(f.type, environ[env_name])
    if "TRANSPORT" not in values:
        values["TRANSPORT"] = "twilio" if values.get("TWILIO_ACCOUNT_SID") else "log"
    known = {f.name for f in fields(Settings)}
    for key, value in (overrides or {}).items():
        key = key.removeprefix("POSYANDU_")
        if key not in known:
            raise KeyError(f"unknown setting {key!r}")
        values[key] = value
    if values.get("TRANSPORT") not in {"log", "twilio"}:
        raise ValueError("POSYANDU_TRANSPORT must be 'log' or 'twilio'")
    return Settings(**values)
