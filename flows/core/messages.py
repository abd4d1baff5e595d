"""What goes into and comes out of a conversation turn."""

from __future__ import annotations

from dataclasses import dataclass

#: Every message stays within this length; a longer composed text is split into several messages.
MAX_CHARS = 1000


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
    #: A picture sent with the (first part of the) message.
    media_url: str | None = None


def split_long(body: str, limit: int = MAX_CHARS) -> list[str]:
    """Split ``body`` at blank lines (then lines, then words) so that each part fits ``limit``."""
    parts: list[str] = []
    current = ""
    for paragraph in body.split("\n\n"):
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        current = paragraph
        while len(current) > limit:
            cut = current.rfind("\n", 0, limit)
            cut = cut if cut > 0 else current.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            parts.append(current[:cut].rstrip())
            current = current[cut:].lstrip()
    if current or not parts:
        parts.append(current)
    return parts
