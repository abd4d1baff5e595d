"""The outbox worker, sending through the real ``twilio`` client with only its HTTP layer faked."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import urllib3
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import load_settings
from bot.runtime import Runtime, build_runtime
from bot.transport import LogTransport, TwilioTransport
from bot.worker import OutboxWorker, run_once
from db.models import Contact, OutboxMessage, OutboxStatus, utcnow
from db.outbox import enqueue
from db.session import transaction
from flows.core.notify import notify
from tests.twilio_fake import ACCOUNT_SID, AUTH_TOKEN, WHATSAPP_FROM, FakeClock, FakeTwilio

PHONE = "+6281234567890"
NOW = dt.datetime(2026, 11, 24, 3, 0)  # 10:00 in Jakarta: daytime for notifications


@pytest.fixture
def twilio_config(config: dict[str, Any]) -> dict[str, Any]:
    return config | {
        "TRANSPORT": "twilio",
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "WHATSAPP_FROM": WHATSAPP_FROM,
        "PUBLIC_URL": "https://bot.example.org",
        "TEMPLATE_SIDS": json.dumps({"pesan_umum": "HX" + "1" * 32}),
        "SEND_RATE": 1000.0,
    }


def make_runtime(overrides: dict[str, Any]) -> Iterator[Runtime]:
    runtime = build_runtime(load_settings(overrides, environ={}))
    yield runtime
    runtime.engine.dispose()


@pytest.fixture
def twilio_runtime(twilio_config: dict[str, Any]) -> Iterator[Runtime]:
    yield from make_runtime(twilio_config)


@pytest.fixture
def fake() -> FakeTwilio:
    return FakeTwilio()


def worker_for(runtime: Runtime, fake: FakeTwilio, owner: str = "worker-1", **options: Any) -> OutboxWorker:
    transport = TwilioTransport.from_settings(runtime.settings, http_client=fake)
    return OutboxWorker(runtime, transport=transport, owner=owner, rng=lambda: 1.0, **options)


def add(sessions: sessionmaker[Session], key: str, body: str = "Halo Bunda", **extra: Any) -> int:
    with transaction(sessions) as session:
        extra.setdefault("not_before", NOW)
        enqueue(session, to_phone=extra.pop("to_phone", PHONE), key=key, body=body, **extra)
        return session.scalar(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)) or 0


def row(sessions: sessionmaker[Session], row_id: int) -> OutboxMessage:
    with sessions() as session:
        message = session.get(OutboxMessage, row_id)
        assert message is not None
        return message


def test_a_message_is_sent_with_the_form_fields_twilio_expects(
    twilio_runtime: Runtime, fake: FakeTwilio
) -> None:
    row_id = add(twilio_runtime.sessions, "k1", body="Halo Bunda Siti 🙂", media_url="https://x.org/kms.png")
    worker = worker_for(twilio_runtime, fake)

    assert worker.run_once(NOW) == 1

    [request] = fake.requests
    assert request.method == "POST"
    assert request.url == f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert request.data["From"] == WHATSAPP_FROM
    assert request.data["To"] == f"whatsapp:{PHONE}"
    assert request.data["Body"] == "Halo Bunda Siti 🙂"
    assert request.data["StatusCallback"] == "https://bot.example.org/webhooks/twilio/status"
    assert request.data["MediaUrl"] == ["https://x.org/kms.png"]
    sent = row(twilio_runtime.sessions, row_id)
    assert sent.status == OutboxStatus.QUEUED
    assert sent.twilio_sid == fake.messages[0]["sid"]
    assert sent.sent_at == NOW and sent.lease_owner is None
    # Nothing is sent twice.
    assert worker.run_once(NOW + dt.timedelta(hours=1)) == 0
    assert len(fake.creates) == 1


def test_a_notification_outside_the_24_hour_window_goes_as_the_approved_template(
    twilio_runtime: Runtime, fake: FakeTwilio
) -> None:
    with transaction(twilio_runtime.sessions) as session:
        mother = Contact(phone=PHONE, consent_given_at=NOW, last_inbound_at=NOW - dt.timedelta(days=3))
        session.add(mother)
        session.flush()
        notify(
            session,
            mother,
            key="reminder:1",
            body="Besok imunisasi.",
            template="pesan_umum",
            variables={"nama": "Siti", "pesan": "Besok imunisasi."},
            now=NOW,
            default_timezone="Asia/Jakarta",
            kind="reminder",
        )

    worker_for(twilio_runtime, fake).run_once(NOW)

    [request] = fake.creates
    assert "Body" not in request.data
    assert request.data["ContentSid"] == "HX" + "1" * 32
    assert json.loads(request.data["ContentVariables"]) == {"1": "Siti", "2": "Besok imunisasi."}


def test_too_many_requests_and_server_errors_are_retried_with_backoff_then_sent(
    twilio_runtime: Runtime, fake: FakeTwilio
) -> None:
    row_id = add(twilio_runtime.sessions, "k1")
    fake.fail_next(429, code=20429)
    fake.fail_next(503)
    worker = worker_for(twilio_runtime, fake)

    worker.run_once(NOW)
    first = row(twilio_runtime.sessions, row_id)
    assert (first.status, first.attempts, first.error_code) == (OutboxStatus.PENDING, 1, "20429")
    assert first.next_attempt_at == NOW + dt.timedelta(seconds=5)
    assert worker.run_once(NOW + dt.timedelta(seconds=4)) == 0  # not due yet: no request

    worker.run_once(NOW + dt.timedelta(seconds=5))
    second = row(twilio_runtime.sessions, row_id)
    assert (second.status, second.attempts, second.error_code) == (OutboxStatus.PENDING, 2, "503")
    assert second.next_attempt_at == NOW + dt.timedelta(seconds=5 + 10)  # the delay doubled

    worker.run_once(NOW + dt.timedelta(seconds=15))
    done = row(twilio_runtime.sessions, row_id)
    assert done.status == OutboxStatus.QUEUED and done.error_code is None
    assert len(fake.creates) == 3 and len(fake.messages) == 1


def test_an_unsubscribed_recipient_fails_at_once_with_the_code_kept(
    twilio_runtime: Runtime, fake: FakeTwilio
) -> None:
    row_id = add(twilio_runtime.sessions, "k1")
    fake.fail_next(400, code=21610)
    worker = worker_for(twilio_runtime, fake)

    worker.run_once(NOW)
    worker.run_once(NOW + dt.timedelta(days=1))

    failed = row(twilio_runtime.sessions, row_id)
    assert (failed.status, failed.error_code) == (OutboxStatus.FAILED, "21610")
    assert len(fake.creates) == 1


def test_a_message_fails_after_the_maximum_number_of_attempts(
    twilio_config: dict[str, Any], fake: FakeTwilio
) -> None:
    for runtime in make_runtime(twilio_config | {"MAX_SEND_ATTEMPTS": 3}):
        row_id = add(runtime.sessions, "k1")
        for _ in range(5):
            fake.fail_next(500)
        worker = worker_for(runtime, fake)
        for hour in range(5):
            worker.run_once(NOW + dt.timedelta(hours=hour))
        failed = row(runtime.sessions, row_id)
        assert failed.status == OutboxStatus.FAILED
        assert failed.error_code == "500" and "gave up after 3 attempts" in (failed.error_message or "")
        assert len(fake.creates) == 3


def test_a_crash_after_twilio_accepted_is_reconciled_not_sent_twice(
    twilio_runtime: Runtime, fake: FakeTwilio
) -> None:
    row_id = add(twilio_runtime.sessions, "k1", body="Jadwal imunisasi BCG")
    first = worker_for(twilio_runtime, fake, owner="dies")
    real_send = first.transport.send

    def send_then_die(message):  # type: ignore[no-untyped-def]
        real_send(message)
        raise RuntimeError("worker process killed before the commit")

    first.transport.send = send_then_die  # type: ignore[method-assign]
    first.run_once(NOW)
    stuck = row(twilio_runtime.sessions, row_id)
    assert stuck.status == OutboxStatus.SENDING and stuck.twilio_sid is None
    assert len(fake.messages) == 1

    second = worker_for(twilio_runtime, fake, owner="survivor")
    assert second.run_once(NOW + dt.timedelta(seconds=60)) == 0  # the lease still protects the row
    second.run_once(NOW + dt.timedelta(seconds=twilio_runtime.settings.LEASE_SECONDS + 1))

    reconciled = row(twilio_runtime.sessions, row_id)
    assert reconciled.twilio_sid == fake.messages[0]["sid"]
    assert reconciled.status == OutboxStatus.QUEUED and not reconciled.needs_reconcile
    assert len(fake.creates) == 1 and len(fake.lists) == 1
    assert len(fake.messages) == 1  # the mother got it once


def test_a_lost_answer_is_checked_with_twilio_before_sending_again(
    twilio_runtime: Runtime, fake: FakeTwilio
) -> None:
    accepted = add(twilio_runtime.sessions, "k1", body="first")
    never_arrived = add(twilio_runtime.sessions, "k2", body="second")
    fake.raise_next(requests.exceptions.ReadTimeout("read timed out"), after_accepting=True)
    fake.raise_next(requests.exceptions.ConnectionError("connection reset by peer"))
    worker = worker_for(twilio_runtime, fake)

    worker.run_once(NOW)
    for row_id in (accepted, never_arrived):
        unknown = row(twilio_runtime.sessions, row_id)
        assert unknown.status == OutboxStatus.PENDING and unknown.needs_reconcile
    worker.run_once(NOW + dt.timedelta(minutes=5))

    bodies = sorted(message["body"] for message in fake.messages)
    assert bodies == ["first", "second"]  # each reached Twilio exactly once
    assert len(fake.creates) == 3  # two unknown outcomes, then only "second" again
    for row_id in (accepted, never_arrived):
        assert row(twilio_runtime.sessions, row_id).status == OutboxStatus.QUEUED


def test_two_workers_never_claim_the_same_row(twilio_runtime: Runtime, fake: FakeTwilio) -> None:
    ids = [add(twilio_runtime.sessions, f"k{n}", body=f"pesan {n}") for n in range(40)]
    first = worker_for(twilio_runtime, fake, owner="a", batch_size=5)
    second = worker_for(twilio_runtime, fake, owner="b", batch_size=5)
    assert set(first.claim(NOW)).isdisjoint(second.claim(NOW))

    later = NOW + dt.timedelta(hours=1)  # the first claims' leases have expired by then
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def drain(worker: OutboxWorker) -> None:
        try:
            barrier.wait()
            while worker.run_once(later):
                pass
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=drain, args=(w,)) for w in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    bodies = [message["body"] for message in fake.messages]
    assert sorted(bodies) == sorted(f"pesan {n}" for n in range(40))  # every message once, none twice
    with twilio_runtime.sessions() as session:
        statuses = set(session.scalars(select(OutboxMessage.status).where(OutboxMessage.id.in_(ids))))
        owners = session.scalar(select(func.count()).where(OutboxMessage.lease_owner.is_not(None)))
    assert statuses == {OutboxStatus.QUEUED} and owners == 0


def test_an_opted_out_mother_is_not_sent_anything_but_the_opt_out_confirmation(
    twilio_runtime: Runtime, fake: FakeTwilio
) -> None:
    with transaction(twilio_runtime.sessions) as session:
        mother = Contact(phone=PHONE, opted_out_at=NOW - dt.timedelta(minutes=1))
        session.add(mother)
        session.flush()
        mother_id = mother.id
    reminder = add(twilio_runtime.sessions, "k1", body="Jangan lupa posyandu", contact_id=mother_id)
    confirmation = add(twilio_runtime.sessions, "k2", body="Anda berhenti", ignore_opt_out=True)

    worker_for(twilio_runtime, fake).run_once(NOW)

    refused = row(twilio_runtime.sessions, reminder)
    assert (refused.status, refused.error_code) == (OutboxStatus.FAILED, "opted_out")
    assert row(twilio_runtime.sessions, confirmation).status == OutboxStatus.QUEUED
    assert [r.data["Body"] for r in fake.creates] == ["Anda berhenti"]


def test_sending_is_paced_to_the_configured_rate(twilio_config: dict[str, Any], fake: FakeTwilio) -> None:
    clock = FakeClock()
    fake.clock = clock
    for runtime in make_runtime(twilio_config | {"SEND_RATE": 2.0}):
        for n in range(5):
            add(runtime.sessions, f"k{n}", body=f"pesan {n}")
        worker = worker_for(runtime, fake, monotonic=clock.monotonic, sleep=clock.sleep)
        assert worker.run_once(NOW) == 5
    times = [request.at for request in fake.creates]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]  # type: ignore[operator]
    assert gaps == [0.5, 0.5, 0.5, 0.5]
    assert sum(clock.slept) == 2.0


def test_the_log_transport_records_json_lines_and_never_uses_the_network(
    runtime: Runtime, settings: Any
) -> None:
    row_id = add(runtime.sessions, "k1", body="Halo Bunda")
    assert isinstance(runtime.transport, LogTransport)

    assert run_once(runtime, NOW) == 1

    lines = (Path(settings.LOG_DIR) / "outbound.jsonl").read_text(encoding="utf-8").splitlines()
    [record] = [json.loads(line) for line in lines]
    assert record["to"] == PHONE and record["body"] == "Halo Bunda"
    sent = row(runtime.sessions, row_id)
    assert sent.status == OutboxStatus.QUEUED and sent.twilio_sid == record["sid"]
    assert record["sid"].startswith("LOG")


def test_a_notification_at_night_waits_for_the_morning(twilio_runtime: Runtime, fake: FakeTwilio) -> None:
    night = dt.datetime(2026, 11, 24, 15, 0)  # 22:00 in Jakarta
    with transaction(twilio_runtime.sessions) as session:
        mother = Contact(phone=PHONE, consent_given_at=NOW, last_inbound_at=night)
        session.add(mother)
        session.flush()
        mother_id = mother.id
    row_id = add(twilio_runtime.sessions, "k1", kind="reminder", contact_id=mother_id)

    worker_for(twilio_runtime, fake).run_once(night)

    waiting = row(twilio_runtime.sessions, row_id)
    assert waiting.status == OutboxStatus.PENDING and waiting.attempts == 0
    assert waiting.next_attempt_at == dt.datetime(2026, 11, 25, 0, 0)  # 07:00 WIB
    assert fake.creates == []


def test_run_once_uses_the_clock_when_not_given_one(runtime: Runtime) -> None:
    add(runtime.sessions, "k1")
    assert run_once(runtime) == 1
    assert row(runtime.sessions, 1).sent_at is not None
    assert row(runtime.sessions, 1).sent_at <= utcnow()  # type: ignore[operator]


def test_a_refused_connection_or_bad_credentials_are_retried_without_reconciling(
    twilio_config: dict[str, Any], fake: FakeTwilio
) -> None:
    refused = urllib3.exceptions.MaxRetryError(
        None,  # type: ignore[arg-type]
        "/Messages.json",
        urllib3.exceptions.NewConnectionError(None, "Connection refused"),  # type: ignore[arg-type]
    )
    for runtime in make_runtime(twilio_config | {"TWILIO_AUTH_TOKEN": "a-wrong-token"}):
        row_id = add(runtime.sessions, "k1")
        worker_for(runtime, fake).run_once(NOW)
        rejected = row(runtime.sessions, row_id)
        assert (rejected.status, rejected.error_code) == (OutboxStatus.PENDING, "20003")
    for runtime in make_runtime(twilio_config):  # the same database, now with the right token
        row_id = add(runtime.sessions, "k2")
        fake.raise_next(requests.exceptions.ConnectionError(refused))
        worker_for(runtime, fake).run_once(NOW)
        waiting = row(runtime.sessions, row_id)
        assert waiting.status == OutboxStatus.PENDING and not waiting.needs_reconcile
        worker_for(runtime, fake).run_once(NOW + dt.timedelta(minutes=1))
        assert row(runtime.sessions, row_id).status == OutboxStatus.QUEUED
    assert fake.lists == []  # nothing could have reached Twilio: no need to ask
