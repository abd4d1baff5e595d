"""The few settings the flows need, handed in by whoever runs them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FlowSettings:
    timezone: str = "Asia/Jakarta"
    conversation_ttl_minutes: int = 24 * 60
    max_process_attempts: int = 5
    #: A darurat case nobody answered within this many minutes goes to the posyandu's backup contact.
    case_escalation_minutes: int = 15
    #: Unanswered cases are reminded to the bidan every this many minutes (daytime only).
    case_reminder_minutes: int = 120
    #: The mother is asked how she and the child are this many minutes after a darurat message.
    darurat_checkback_minutes: int = 60
    #: Unique recipients the sender number may message per rolling 24 hours (``DAILY_RECIPIENT_LIMIT``).
    daily_recipient_limit: int = 1000
    #: Base of links the bot sends (``POSYANDU_PUBLIC_URL``), e.g. growth chart pictures.
    public_url: str | None = None
