"""The Twilio webhooks: signatures, store-then-process, duplicates, failures and status callbacks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from twilio.request_validator import RequestValidator

from bot import create_app, runtime_of
from bot.worker import run_once
from db.models import (
    Contact,
    ConversationState,
    InboundMessage,
    InboundStatus,
    OutboxMessage,
    OutboxStatus,
    utcnow,
)
from db.outbox import enqueue
from db.session import transaction
from flows.core import engine
from tests.twilio_fake import AUTH_TOKEN

PUBLIC_URL = "https://bot.example.org"
PHONE = "+6281234567890"
WHATSAPP_PATH = "/webhooks/twilio/whatsapp"
STATUS_PATH = "/webhooks/twilio/status"


@pytest.fixture
def app(config: dict[str, Any]) -> Iterator[Flask]:
    app = create_app(config | {"TWILIO_AUTH_TOKEN": AUTH_TOKEN, "PUBLIC_URL": PUBLIC_URL})
    yield app
    runtime_of(app).engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def sessions(app: Flask) -> sessionmaker[Session]:
    return runtime_of(app).sessions


def signature(path: str, form: dict[str, str], token: str = AUTH_TOKEN, base: str = PUBLIC_URL) -> str:
    return RequestValidator(token).compute_signature(base + path, form)


def incoming(sid: str = "SM0001", body: str = "halo", **extra: str) -> dict[str, str]:
    return {
        "MessageSid": sid,
        "SmsMessageSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": f"whatsapp:{PHONE}",
        "To": "whatsapp:+14155238886",
        "Body": body,
        "NumMedia": "0",
        "ProfileName": "Siti",
        "WaId": PHONE.removeprefix("+"),
    } | extra


def post_signed(client: FlaskClient, path: str, form: dict[str, str], **kwargs: Any):  # type: ignore[no-untyped-def]
    return client.post(path, data=form, headers={"X-Twilio-Signature": signature(path, form)}, **kwargs)


def count(sessions: sessionmaker[Session], model: Any) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def outbox(sessions: sessionmaker[Session]) -> list[OutboxMessage]:
    with sessions() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


# -- signatures --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"},
        {"X-Twilio-Signature": signature(WHATSAPP_PATH, incoming(), token="someone-elses-token")},
        {"X-Twilio-Signature": signature(WHATSAPP_PATH, incoming(body="something else"))},
        {"X-Twilio-Signature": signature(WHATSAPP_PATH, incoming(), base="http://localhost")},
    ],
    ids=["missing", "garbage", "wrong-token", "tampered-body", "local-url-behind-public-url"],
)
def test_a_forged_or_missing_signature_is_refused_and_nothing_is_stored(
    client: FlaskClient, sessions: sessionmaker[Session], headers: dict[str, str]
) -> None:
    response = client.post(WHATSAPP_PATH, data=incoming(), headers=headers)

    assert response.status_code == 403
    assert count(sessions, InboundMessage) == 0
    assert count(sessions, OutboxMessage) == 0
    assert count(sessions, Contact) == 0


def test_a_forged_status_callback_changes_nothing(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    add_sent(sessions, "SMabc")
    form = {"MessageSid": "SMabc", "MessageStatus": "failed", "ErrorCode": "30008"}
    response = client.post(STATUS_PATH, data=form, headers={"X-Twilio-Signature": "forged"})
    assert response.status_code == 403
    assert outbox(sessions)[0].status == OutboxStatus.QUEUED


def test_forwarded_headers_are_not_trusted_only_the_public_url(client: FlaskClient) -> None:
    form = incoming()
    forged_for_proxy = signature(WHATSAPP_PATH, form, base="https://evil.example.com")
    response = client.post(
        WHATSAPP_PATH,
        data=form,
        headers={
            "X-Twilio-Signature": forged_for_proxy,
            "X-Forwarded-Host": "evil.example.com",
            "X-Forwarded-Proto": "https",
        },
    )
    assert response.status_code == 403


def test_the_query_string_is_part_of_the_signed_url(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    form = incoming()
    path = WHATSAPP_PATH + "?posyandu=melati"
    response = client.post(path, data=form, headers={"X-Twilio-Signature": signature(path, form)})
    assert response.status_code == 200
    unsigned_query = client.post(
        WHATSAPP_PATH + "?posyandu=other",
        data=incoming(sid="SM0002"),
        headers={"X-Twilio-Signature": signature(WHATSAPP_PATH, incoming(sid="SM0002"))},
    )
    assert unsigned_query.status_code == 403
    assert count(sessions, InboundMessage) == 1


def test_without_a_token_only_local_requests_in_the_log_transport_are_accepted(
    config: dict[str, Any],
) -> None:
    for overrides, remote, expected in [
        ({"TRANSPORT": "log"}, "127.0.0.1", 200),
        ({"TRANSPORT": "log"}, "::1", 200),
        ({"TRANSPORT": "log"}, "203.0.113.7", 403),
        ({"TRANSPORT": "twilio", "TWILIO_ACCOUNT_SID": "AC" + "0" * 32}, "127.0.0.1", 403),
    ]:
        app = create_app(config | overrides)
        response = app.test_client().post(
            WHATSAPP_PATH, data=incoming(sid=f"SM{remote}"), environ_base={"REMOTE_ADDR": remote}
        )
        assert response.status_code == expected, (overrides, remote)
        runtime_of(app).engine.dispose()


# -- incoming messages -------------------------------------------------------------------------------
def test_a_valid_message_is_stored_answered_with_empty_twiml_and_the_reply_is_already_in_the_outbox(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    response = post_signed(client, WHATSAPP_PATH, incoming(body="halo"))

    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    assert response.get_data(as_text=True).endswith("<Response/>")
    with sessions() as session:
        [inbound] = session.scalars(select(InboundMessage))
        assert (inbound.message_sid, inbound.from_phone, inbound.body) == ("SM0001", PHONE, "halo")
        assert inbound.status == InboundStatus.PROCESSED
        assert inbound.payload["ProfileName"] == "Siti"
    replies = outbox(sessions)
    assert replies and all(r.to_phone == PHONE and r.status == OutboxStatus.PENDING for r in replies)


def test_the_same_message_sid_twice_is_processed_once(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    first = post_signed(client, WHATSAPP_PATH, incoming(sid="SMdup"))
    replies = len(outbox(sessions))
    again = post_signed(client, WHATSAPP_PATH, incoming(sid="SMdup"))

    assert first.status_code == again.status_code == 200
    assert count(sessions, InboundMessage) == 1
    assert len(outbox(sessions)) == replies > 0


def test_with_inline_processing_off_the_worker_processes_the_message(config: dict[str, Any]) -> None:
    app = create_app(
        config | {"TWILIO_AUTH_TOKEN": AUTH_TOKEN, "PUBLIC_URL": PUBLIC_URL, "PROCESS_INLINE": False}
    )
    runtime = runtime_of(app)
    response = post_signed(app.test_client(), WHATSAPP_PATH, incoming())
    assert response.status_code == 200
    assert outbox(runtime.sessions) == []

    run_once(runtime)

    sent = outbox(runtime.sessions)
    assert sent and all(r.status == OutboxStatus.QUEUED for r in sent)
    runtime.engine.dispose()


def test_a_failure_mid_processing_keeps_the_message_apologises_and_the_worker_retries_once(
    app: Flask, client: FlaskClient, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_handle = engine.handle
    calls: list[str] = []

    def handle_failing_once(session, contact, message, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(message.text)
        replies = real_handle(session, contact, message, **kwargs)  # writes state, then...
        if len(calls) == 1:
            raise RuntimeError("flow crashed half-way")
        return replies

    monkeypatch.setattr(engine, "handle", handle_failing_once)

    response = post_signed(client, WHATSAPP_PATH, incoming(sid="SMboom"))

    assert response.status_code == 200
    with sessions() as session:
        [inbound] = session.scalars(select(InboundMessage))
        assert inbound.status == InboundStatus.FAILED
        assert "flow crashed half-way" in (inbound.error or "")
        # Nothing of the failed turn was kept: no contact, no conversation state, no reply.
        assert session.scalar(select(func.count()).select_from(Contact)) == 0
        assert session.scalar(select(func.count()).select_from(ConversationState)) == 0
        retry_at = inbound.next_attempt_at
    [apology] = outbox(sessions)
    assert apology.idempotency_key == "apology:SMboom" and apology.to_phone == PHONE

    assert retry_at is not None
    run_once(runtime_of(app), retry_at + dt.timedelta(seconds=1))
    run_once(runtime_of(app), retry_at + dt.timedelta(hours=1))  # a later cycle does not process it again

    assert calls == ["halo", "halo"]
    with sessions() as session:
        [inbound] = session.scalars(select(InboundMessage))
        assert inbound.status == InboundStatus.PROCESSED and inbound.error is None
        assert session.scalar(select(func.count()).select_from(Contact)) == 1
    messages = outbox(sessions)
    assert len(messages) > 1
    assert [m.idempotency_key for m in messages].count("apology:SMboom") == 1
    assert all(m.status == OutboxStatus.QUEUED for m in messages)  # the worker sent the apology and reply


@pytest.mark.parametrize(
    "form",
    [
        {"Body": ""},
        {
            "Body": "",
            "NumMedia": "1",
            "MediaUrl0": "https://api.twilio.com/m/ME1",
            "MediaContentType0": "image/jpeg",
        },
        {"Body": "ibu " * 1024},
        {"Body": "🙏🙏😊"},
        {"Body": "halo", "NumMedia": "not-a-number"},
        {"Body": "a\x00b"},
    ],
    ids=["empty", "media-only", "4096-chars", "emoji-only", "bad-num-media", "nul-byte"],
)
def test_odd_messages_are_stored_as_sent_and_never_cause_a_server_error(
    client: FlaskClient, sessions: sessionmaker[Session], form: dict[str, str]
) -> None:
    response = post_signed(client, WHATSAPP_PATH, incoming() | form)

    assert response.status_code == 200
    with sessions() as session:
        [inbound] = session.scalars(select(InboundMessage))
    assert inbound.body == form["Body"].replace("\x00", "")
    assert inbound.status == InboundStatus.PROCESSED
    assert outbox(sessions), "the mother gets an answer"


def test_a_message_without_sid_is_a_bad_request(client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    form = {"From": f"whatsapp:{PHONE}", "Body": "halo"}
    assert post_signed(client, WHATSAPP_PATH, form).status_code == 400
    assert count(sessions, InboundMessage) == 0


# -- status callbacks --------------------------------------------------------------------------------
def add_sent(sessions: sessionmaker[Session], sid: str, status: str = OutboxStatus.QUEUED) -> None:
    with transaction(sessions) as session:
        enqueue(session, to_phone=PHONE, key=f"key-{sid}", body="Halo")
        message = session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == f"key-{sid}"))
        assert message is not None
        message.twilio_sid, message.status, message.sent_at = sid, status, utcnow()


def status_of(sessions: sessionmaker[Session], sid: str) -> tuple[str, str | None]:
    with sessions() as session:
        message = session.scalar(select(OutboxMessage).where(OutboxMessage.twilio_sid == sid))
        assert message is not None
        return message.status, message.error_code


def callback(client: FlaskClient, sid: str, status: str, **extra: str) -> int:
    form = {"MessageSid": sid, "MessageStatus": status, "AccountSid": "AC" + "0" * 32} | extra
    response = post_signed(client, STATUS_PATH, form)
    assert response.mimetype == "text/xml"
    return response.status_code


def test_status_only_moves_forward(client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    add_sent(sessions, "SMok")
    steps = [
        ("sent", OutboxStatus.SENT),
        ("delivered", OutboxStatus.DELIVERED),
        ("sent", OutboxStatus.DELIVERED),  # late and out of order: ignored
        ("queued", OutboxStatus.DELIVERED),
        ("read", OutboxStatus.READ),
        ("delivered", OutboxStatus.READ),
        ("failed", OutboxStatus.READ),  # it was read: a failure report cannot undo that
    ]
    for reported, expected in steps:
        assert callback(client, "SMok", reported) == 200
        assert status_of(sessions, "SMok")[0] == expected, reported


def test_failed_and_undelivered_are_final_with_the_error_code_kept(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    add_sent(sessions, "SMfail")
    add_sent(sessions, "SMundel", status=OutboxStatus.SENT)

    callback(client, "SMfail", "failed", ErrorCode="63024", ErrorMessage="Invalid message recipient")
    callback(client, "SMundel", "undelivered", ErrorCode="63016")
    callback(client, "SMfail", "delivered")
    callback(client, "SMundel", "read")

    assert status_of(sessions, "SMfail") == (OutboxStatus.FAILED, "63024")
    assert status_of(sessions, "SMundel") == (OutboxStatus.UNDELIVERED, "63016")
    with sessions() as session:
        message = session.scalar(select(OutboxMessage).where(OutboxMessage.twilio_sid == "SMfail"))
        assert message is not None and message.error_message == "Invalid message recipient"


def test_a_status_for_an_unknown_message_is_ignored(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    add_sent(sessions, "SMknown")
    assert callback(client, "SMnobody", "delivered") == 200
    assert callback(client, "SMknown", "no-such-status") == 200
    assert status_of(sessions, "SMknown") == (OutboxStatus.QUEUED, None)
