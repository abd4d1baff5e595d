"""Pictures the bot sends (growth charts): stored with an unguessable token and an expiry.

WhatsApp (Twilio) fetches a media message's picture from a public URL when it sends the message; the
web app serves ``/media/<token>.png`` from this table until the link expires (``bot.media``).
The token is 32 random bytes, so links cannot be guessed or enumerated.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.models import MediaFile

#: Long enough for a message that waits for the morning or is retried, short enough not to linger.
MEDIA_TTL = dt.timedelta(days=3)
ROUTE_PREFIX = "/media/"
PNG = "image/png"


def store(
    session: Session, data: bytes, *, now: dt.datetime, child_id: int | None, content_type: str = PNG
) -> str:
    """Keep ``data`` for ``MEDIA_TTL`` and return its token (expired files are removed on the way)."""
    session.execute(delete(MediaFile).where(MediaFile.expires_at <= now))
    token = secrets.token_urlsafe(32)
    session.add(
        MediaFile(
            token=token,
            child_id=child_id,
            content_type=content_type,
            data=data,
            created_at=now,
            expires_at=now + MEDIA_TTL,
        )
    )
    session.flush()
    return token


def url(token: str, public_url: str | None) -> str:
    """The link WhatsApp fetches: ``POSYANDU_PUBLIC_URL`` + ``/media/<token>.png`` (a bare path without it)."""
    return f"{(public_url or '').rstrip('/')}{ROUTE_PREFIX}{token}.png"


def token_of(link: str) -> str | None:
    """The token in a media link (None when it is not one of ours)."""
    _, found, rest = link.partition(ROUTE_PREFIX)
    if not found or not rest.endswith(".png"):
        return None
    return rest.removesuffix(".png") or None


def fetch(session: Session, token: str, now: dt.datetime) -> MediaFile | None:
    """The file behind a token while its link is valid."""
    return session.scalar(select(MediaFile).where(MediaFile.token == token, MediaFile.expires_at > now))
