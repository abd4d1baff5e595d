"""LAPORAN: the delivery report of announcements, fed by the worker and signed Twilio status callbacks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from twilio.request_validator import RequestValidator

from bot import create_app, runtime_of
from bot.worker import run_once
from db.models import OutboxMessage, OutboxStatus
from tests.announcements.support import NOW, PHONES, announcement_rows, kader_chat, village
from tests.chat import Chat, joined
from tests.twilio_fake import AUTH_TOKEN

PUBLIC_URL = "https://bot.example.org"
STATUS_PATH = "/webhooks/twilio/status"


@pytest.fixture
def app(config: dict[str, Any]) -> Iterator[Flask]:
    app = create_app(config | {"TWILIO_AUTH_TOKEN": AUTH_TOKEN, "PUBLIC_URL": PUBLIC_URL})
    yield app
    runtime_of(app).engine.dispose()


@pytest.fixture
def sessions(app: Flask) -> sessionmaker[Session]:
    return runtime_of(app).sessions


def status_callback(client: FlaskClient, sid: str, status: str, **extra: str) -> None:
    form = {"MessageSid": sid, "MessageStatus": status, "AccountSid": "AC" + "0" * 32} | extra
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + STATUS_PATH, form)
    response = client.post(STATUS_PATH, data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200


def sid_of(sessions: sessionmaker[Session], phone: str) -> str:
    with sessions() as session:
        sid = session.scalar(
            select(OutboxMessage.twilio_sid).where(
                OutboxMessage.to_phone == phone, OutboxMessage.ref == "announcement:1"
            )
        )
        assert sid is not None
        return sid


def test_the_report_counts_statuses_from_the_worker_and_the_callbacks(
    app: Flask, sessions: sessionmaker[Session]
) -> None:
    village(sessions)
    kader = kader_chat(sessions)
    assert "Belum ada pengumuman" in joined(kader.send("LAPORAN"))
    kader.say("UMUMKAN", "Posyandu besok pukul 08.00 di balai desa.", "1", "1", "1")
    # Dewi stops messages after it was enqueued: the worker checks again and does not send hers.
    Chat(sessions, PHONES["dewi"], now=NOW + dt.timedelta(minutes=5)).send("STOP")
    before = joined(kader.send("LAPORAN"))
    assert "4 pesan: menunggu 4, di WhatsApp 0" in before
    runtime = runtime_of(app)
    while run_once(runtime, now=NOW + dt.timedelta(minutes=10)):
        pass
    rows = {row.to_phone: row for row in announcement_rows(sessions)}
    assert rows[PHONES["dewi"]].status == OutboxStatus.FAILED
    assert rows[PHONES["ani"]].status == OutboxStatus.QUEUED
    client = app.test_client()
    status_callback(client, sid_of(sessions, PHONES["ani"]), "delivered")
    status_callback(client, sid_of(sessions, PHONES["bela"]), "delivered")
    status_callback(client, sid_of(sessions, PHONES["bela"]), "read")
    status_callback(client, sid_of(sessions, PHONES["bela"]), "delivered")  # late and out of order: ignored
    status_callback(client, sid_of(sessions, PHONES["citra"]), "failed", ErrorCode="63024")
    report = joined(kader.send("LAPORAN"))
    assert "semua ibu di posyandu (dikirim)" in report
    assert '"Posyandu besok pukul 08.00 di balai desa."' in report
    assert (
        "4 pesan: menunggu 0, di WhatsApp 0, terkirim 0, diterima 1, dibaca 1, gagal 2 "
        "(1 bukan nomor WhatsApp yang benar; 1 sudah berhenti menerima pesan)"
    ) in report
    # The template went out (nobody had written in the last 24 hours), ending with how to reply.
    sent = runtime.transport.records()  # type: ignore[attr-defined]
    to_ani = [record for record in sent if record["to"] == PHONES["ani"]]
    assert to_ani and to_ani[0]["template"] == "pengumuman_posyandu"
    assert "Balas saja pesan ini" in to_ani[0]["body"] and "STOP" in to_ani[0]["body"]


def test_the_report_shows_scheduled_and_monthly_ones(sessions: sessionmaker[Session]) -> None:
    village(sessions)
    kader = kader_chat(sessions)
    kader.say("UMUMKAN", "Jangan lupa posyandu lusa.", "3", "3", "2", "1")
    kader.say("UMUMKAN", "Ada kelas ibu hamil.", "3", "2", "30-11-2026 10.00", "1")
    report = joined(kader.send("LAPORAN"))
    assert "#2 Senin, 30 November 2026 10.00 - ibu hamil (terjadwal)" in report
    assert "#1 setiap bulan, 2 hari sebelum hari posyandu, pukul 08.00" in report
    assert "(berikutnya: Minggu, 6 Desember 2026 pukul 08.00) - ibu hamil (terjadwal)" in report
    assert report.index("#2") < report.index("#1")
