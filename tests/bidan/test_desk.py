"""The bidan's desk on WhatsApp: KASUS, AMBIL, BALAS, SELESAI, and replies that reach the mother."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.config import load_settings
from bot.runtime import Runtime, build_runtime
from bot.transport import TwilioTransport
from bot.worker import OutboxWorker
from db.models import OutboxStatus
from tests.chat import Chat, joined
from tests.desk_support import (
    MOTHER,
    RINA,
    SARI,
    add_posyandu,
    last_outbox_id,
    only_case,
    register,
    sent_to,
)
from tests.twilio_fake import ACCOUNT_SID, AUTH_TOKEN, WHATSAPP_FROM, FakeTwilio

BALASAN_SID, KASUS_SID = "HX" + "2" * 32, "HX" + "3" * 32


def _mother_asks(sessions: sessionmaker[Session]) -> Chat:
    mother = Chat(sessions, MOTHER)
    register(mother, child_dob="1-5-2026")
    mother.send("BIDAN anak saya susah makan sudah seminggu")
    return mother


def test_two_bidan_one_takes_the_case_the_other_is_told_and_cannot_answer(
    sessions: sessionmaker[Session],
) -> None:
    add_posyandu(sessions, (("Rina", RINA), ("Sari", SARI)))
    mother = _mother_asks(sessions)
    case = only_case(sessions)
    # Both bidan got the numbered alert.
    for phone in (RINA, SARI):
        [alert] = sent_to(sessions, phone)
        assert (
            f"#{case.id}" in alert.body and f"BALAS {case.id}" in alert.body and "susah makan" in alert.body
        )
    before = last_outbox_id(sessions)
    rina, sari = Chat(sessions, RINA, now=mother.now), Chat(sessions, SARI, now=mother.now)
    assert f"Kasus {case.id} sekarang Anda pegang" in joined(rina.send(f"AMBIL {case.id}"))
    [told] = sent_to(sessions, SARI, after=before)
    assert f"#{case.id}" in told.body and "Bidan Rina" in told.body
    assert "sudah diambil Bidan Rina" in joined(sari.send(f"BALAS {case.id} coba beri makan sedikit-sedikit"))
    assert "sudah diambil Bidan Rina" in joined(sari.send(f"SELESAI {case.id}"))
    assert sent_to(sessions, MOTHER, after=before) == []
    assert only_case(sessions).bidan_id is not None and only_case(sessions).first_answered_at is None


def test_balas_reaches_the_mother_her_answer_reaches_the_bidan_and_selesai_closes(
    sessions: sessionmaker[Session],
) -> None:
    add_posyandu(sessions)
    mother = _mother_asks(sessions)
    case = only_case(sessions)
    rina = Chat(sessions, RINA, now=mother.now + dt.timedelta(minutes=9))
    before = last_outbox_id(sessions)
    confirm = joined(rina.send(f"BALAS {case.id} Bunda, coba beri makan porsi kecil tapi sering ya"))
    assert "Terkirim ke Bunda Siti" in confirm
    [reply] = sent_to(sessions, MOTHER, after=before)
    assert reply.kind == "case_reply" and reply.template_name == "balasan_bidan"
    assert "Bidan Rina" in reply.body and "porsi kecil" in reply.body
    assert reply.template_variables["4"] == "Bunda, coba beri makan porsi kecil tapi sering ya"
    answered = only_case(sessions)
    assert answered.first_answered_at == rina.now - dt.timedelta(minutes=1)
    assert answered.first_answered_at - answered.opened_at == dt.timedelta(minutes=10)

    # Her answer, typed outside any flow, goes to the bidan who answered.
    mother.now = rina.now
    before = last_outbox_id(sessions)
    assert "teruskan ke Bidan Rina" in joined(mother.send("baik bu, terima kasih banyak"))
    [forwarded] = sent_to(sessions, RINA, after=before)
    assert "terima kasih banyak" in forwarded.body and f"BALAS {case.id}" in forwarded.body
    # The menu still works for her.
    assert "Menu utama" in joined(mother.send("menu"))

    before = last_outbox_id(sessions)
    assert f"Kasus {case.id} sudah ditutup" in joined(rina.send(f"SELESAI {case.id}"))
    [closed] = sent_to(sessions, MOTHER, after=before)
    assert "menutup kasus" in closed.body
    done = only_case(sessions)
    assert done.status == "closed" and done.closed_at is not None
    assert "Tidak ada kasus terbuka" in joined(rina.send("KASUS"))
    assert "sudah ditutup" in joined(rina.send(f"BALAS {case.id} satu lagi"))
    texts = [entry.get("text") for entry in done.transcript]
    assert (
        "Bunda, coba beri makan porsi kecil tapi sering ya" in texts
        and "baik bu, terima kasih banyak" in texts
    )


def test_a_bidan_sees_only_her_posyandu_and_mothers_cannot_use_the_commands(
    sessions: sessionmaker[Session],
) -> None:
    add_posyandu(sessions)
    mother = _mother_asks(sessions)
    case = only_case(sessions)
    assert "perintah khusus bidan" in joined(mother.send(f"BALAS {case.id} saya bidan"))
    assert "perintah khusus bidan" in joined(mother.send("KASUS"))
    assert "tidak ada kasus 999" in joined(Chat(sessions, RINA).send("SELESAI 999")).lower()
    assert only_case(sessions).status == "open"


# -- outside the 24-hour window, through the worker and the fake Twilio ----------------------------


@pytest.fixture
def twilio_runtime(config: dict[str, Any]) -> Iterator[Runtime]:
    overrides = config | {
        "TRANSPORT": "twilio",
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "WHATSAPP_FROM": WHATSAPP_FROM,
        "PUBLIC_URL": "https://bot.example.org",
        "TEMPLATE_SIDS": json.dumps({"balasan_bidan": BALASAN_SID, "kasus_bidan": KASUS_SID}),
        "SEND_RATE": 1000.0,
    }
    runtime = build_runtime(load_settings(overrides, environ={}))
    yield runtime
    runtime.engine.dispose()


def test_a_reply_three_days_later_goes_to_the_mother_as_the_approved_template(
    twilio_runtime: Runtime,
) -> None:
    sessions = twilio_runtime.sessions
    add_posyandu(sessions)
    mother = _mother_asks(sessions)
    case = only_case(sessions)
    later = mother.now + dt.timedelta(days=3)
    fake = FakeTwilio()
    worker = OutboxWorker(
        twilio_runtime,
        transport=TwilioTransport.from_settings(twilio_runtime.settings, http_client=fake),
        owner="w1",
        rng=lambda: 1.0,
    )
    while worker.run_once(later):  # the conversation so far goes out
        pass
    fake.requests.clear()

    Chat(sessions, RINA, now=later).send(f"BALAS {case.id} Maaf baru sempat, bagaimana makannya sekarang?")
    [row] = [r for r in sent_to(sessions, MOTHER) if r.kind == "case_reply"]
    assert row.template_name == "balasan_bidan"
    worker.run_once(later)

    [to_mother] = [r for r in fake.creates if r.data["To"] == f"whatsapp:{MOTHER}"]
    assert "Body" not in to_mother.data and to_mother.data["ContentSid"] == BALASAN_SID
    assert json.loads(to_mother.data["ContentVariables"]) == {
        "1": "Siti",
        "2": "Rina",
        "3": str(case.id),
        "4": "Maaf baru sempat, bagaimana makannya sekarang?",
    }
    # The bidan just wrote, so her confirmation is plain text.
    [to_bidan] = [r for r in fake.creates if r.data["To"] == f"whatsapp:{RINA}"]
    assert "Terkirim" in to_bidan.data["Body"]
    with sessions() as session:
        from db.models import OutboxMessage

        sent = session.get(OutboxMessage, row.id)
        assert sent is not None and sent.status == OutboxStatus.QUEUED
