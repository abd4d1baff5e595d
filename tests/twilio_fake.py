"""A stand-in for Twilio's HTTP API under the real ``twilio`` library (only the HTTP layer is swapped).

``FakeTwilio`` is a ``twilio.http.HttpClient``: the real ``twilio.rest.Client`` builds the requests and
parses the answers. It records every request, answers ``POST .../Messages.json`` with a 201 message
resource (a fresh ``SM...`` SID), keeps the messages it accepted for ``GET .../Messages.json`` (used by
reconciliation) and plays scripted trouble first: an HTTP error with a Twilio error code, a raised
network error, or "accepted, but the answer never arrived".
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
import threading
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from twilio.http import HttpClient
from twilio.http.response import Response

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token"
WHATSAPP_FROM = "whatsapp:+14155238886"


@dataclass
class Recorded:
    method: str
    url: str
    params: dict[str, Any]
    data: dict[str, Any]
    at: float | None = None  # the test clock's time, when one is attached


@dataclass
class _Trouble:
    status: int | None = None
    code: int | None = None
    raise_: BaseException | None = None
    accept_first: bool = False


@dataclass
class FakeTwilio(HttpClient):
    requests: list[Recorded] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    clock: Any = None  # anything with .monotonic(), to timestamp requests

    def __post_init__(self) -> None:
        super().__init__(logger=logging.getLogger("tests.twilio_fake"), is_async=False)
        self._script: deque[_Trouble] = deque()
        self._lock = threading.Lock()

    # -- scripting -------------------------------------------------------------------------------
    def fail_next(self, status: int, code: int | None = None) -> None:
        """The next create answers ``status`` with Twilio's error JSON (``code`` defaults to it)."""
        self._script.append(_Trouble(status=status, code=code or status))

    def raise_next(self, error: BaseException, *, after_accepting: bool = False) -> None:
        """The next create raises ``error``; ``after_accepting``: Twilio got it, the answer was lost."""
        self._script.append(_Trouble(raise_=error, accept_first=after_accepting))

    # -- what tests look at ----------------------------------------------------------------------
    @property
    def creates(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST" and r.url.endswith("/Messages.json")]

    @property
    def lists(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "GET" and r.url.endswith("/Messages.json")]

    # -- the HTTP layer --------------------------------------------------------------------------
    def request(
        self,
        method: str,
        uri: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        with self._lock:
            at = self.clock.monotonic() if self.clock is not None else None
            self.requests.append(Recorded(method, uri, dict(params or {}), dict(data or {}), at))
            if auth != (ACCOUNT_SID, AUTH_TOKEN):
                return _json(401, {"code": 20003, "message": "Authenticate", "status": 401})
            if uri.endswith("/Messages.json") and method == "POST":
                return self._create(dict(data or {}))
            if uri.endswith("/Messages.json") and method == "GET":
                return self._list(dict(params or {}))
            return _json(404, {"code": 20404, "message": "not found", "status": 404})

    def _create(self, data: dict[str, Any]) -> Response:
        trouble = self._script.popleft() if self._script else None
        if trouble is not None and trouble.status is not None:
            return _json(
                trouble.status,
                {"code": trouble.code, "message": f"scripted error {trouble.code}", "status": trouble.status},
            )
        message = self._accept(data)
        if trouble is not None and trouble.raise_ is not None:
            if not trouble.accept_first:
                self.messages.remove(message)
            raise trouble.raise_
        return _json(201, message)

    def _accept(self, data: dict[str, Any]) -> dict[str, Any]:
        now = email.utils.format_datetime(dt.datetime.now(dt.UTC), usegmt=True)
        sid = "SM" + uuid.uuid4().hex
        body = data.get("Body")
        if body is None and data.get("ContentSid"):
            body = f"content {data['ContentSid']} {data.get('ContentVariables', '')}"
        message = {
            "sid": sid,
            "account_sid": ACCOUNT_SID,
            "from": data.get("From"),
            "to": data.get("To"),
            "body": body,
            "status": "queued",
            "direction": "outbound-api",
            "num_segments": "1",
            "num_media": str(len(data["MediaUrl"])) if isinstance(data.get("MediaUrl"), list) else "0",
            "date_created": now,
            "date_updated": now,
            "date_sent": None,
            "error_code": None,
            "error_message": None,
            "api_version": "2010-04-01",
            "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
        }
        self.messages.append(message)
        return message

    def _list(self, params: dict[str, Any]) -> Response:
        found = [
            m
            for m in reversed(self.messages)  # newest first, as Twilio lists
            if params.get("To") in (None, m["to"]) and params.get("From") in (None, m["from"])
        ]
        page_size = int(params.get("PageSize", 50))
        return _json(
            200,
            {
                "messages": found[:page_size],
                "page": 0,
                "page_size": page_size,
                "start": 0,
                "end": max(0, min(len(found), page_size) - 1),
                "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json",
                "first_page_uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json?Page=0",
                "previous_page_uri": None,
                "next_page_uri": None,
            },
        )


def _json(status: int, payload: dict[str, Any]) -> Response:
    return Response(status, json.dumps(payload), headers={"Content-Type": "application/json"})


class FakeClock:
    """A monotonic clock whose ``sleep`` only moves time forward (no test ever really sleeps)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
