"""``/media/<token>.png``: the pictures the bot sends, served while their link is valid (404 otherwise).

Also the reader the log transport uses to save a sent picture next to its JSON lines.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, current_app

from db.models import utcnow
from flows.core import media

blueprint = Blueprint("media", __name__)


@blueprint.get(f"{media.ROUTE_PREFIX}<token>.png")
def serve(token: str) -> Response:
    runtime = current_app.extensions["posyandu"]
    with runtime.sessions() as session:
        found = media.fetch(session, token, utcnow())
        if found is None:
            abort(404)
        response = Response(found.data, mimetype=found.content_type)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def media_reader(database_url: str) -> Callable[[str], bytes | None]:
    """``link → bytes`` from the database (the engine is created on first use, then kept)."""
    from db.session import make_engine, make_session_factory

    factory = None

    def read(link: str) -> bytes | None:
        nonlocal factory
        token = media.token_of(link)
        if token is None:
            return None
        if factory is None:
            factory = make_session_factory(make_engine(database_url))
        with factory() as session:
            found = media.fetch(session, token, utcnow())
            return bytes(found.data) if found is not None else None

    return read
