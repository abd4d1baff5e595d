"""What goes into and comes out of a conversation turn."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Incoming:
    """A message from a contact, as the engine sees it (transport-agnostic)."""

    text: str
    num_media: int = 0
    message_sid: str = ""


@dataclass(frozen=True)
class Outgoing:
    """A message the engine wants sent; ``to_phone`` None means back to the sender."""

    body: str
    to_phone: str | None = None
    #: Only the opt-out confirmation may reach a contact who has opted out.
    ignore_opt_out: bool = False
    #: Distinguishes messages to third parties (e.g. "bidan-alert") in idempotency keys.
    tag: str = "reply"
