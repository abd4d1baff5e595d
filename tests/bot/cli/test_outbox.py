"""``posyandu-bot outbox list`` and the long-running process commands."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.main import cli
from db.models import OutboxMessage, OutboxStatus
from db.outbox import enqueue
from db.session import transaction

KEYS = ["id", "to", "body", "status", "error_code", "created_at", "sent_at"]
SITI, ANI = "+6281234567890", "+6285700001111"


@pytest.fixture
def env(db_url: str, tmp_path: Path) -> dict[str, str]:
    return {"POSYANDU_DATABASE_URL": db_url, "POSYANDU_LOG_DIR": str(tmp_path / "outbound")}


@pytest.fixture
def filled(raw_sessions: sessionmaker[Session]) -> None:
    with transaction(raw_sessions) as session:
        enqueue(session, to_phone=SITI, key="a", body="Halo Bunda Siti")
        enqueue(session, to_phone=ANI, key="b", body="Halo Bunda Ani\nbaris kedua")
        enqueue(
            session,
            to_phone=SITI,
            key="c",
            template_name="pesan_umum",
            template_variables={"1": "Siti", "2": "Besok posyandu."},
        )
    with transaction(raw_sessions) as session:
        first = session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == "a"))
        assert first is not None
        first.status, first.twilio_sid = OutboxStatus.DELIVERED, "SM1"
        first.sent_at = dt.datetime(2026, 11, 24, 3, 0, 5)
        second = session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == "b"))
        assert second is not None
        second.status, second.error_code = OutboxStatus.FAILED, "63024"


def run(env: dict[str, str], *args: str) -> Any:
    return CliRunner().invoke(cli, ["outbox", "list", *args], env=env)


def test_json_lines_have_the_contract_keys_in_order(env: dict[str, str], filled: None) -> None:
    result = run(env, "--json")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [list(r) for r in records] == [KEYS] * 3
    first, second, third = records
    assert (first["to"], first["body"], first["status"]) == (SITI, "Halo Bunda Siti", "delivered")
    assert first["sent_at"] == "2026-11-24T03:00:05+00:00"
    assert dt.datetime.fromisoformat(first["created_at"]).tzinfo is not None
    assert (second["status"], second["error_code"], second["sent_at"]) == ("failed", "63024", None)
    assert third["status"] == "pending" and "Siti" in third["body"]  # a template row shows its text
    assert [r["id"] for r in records] == sorted(r["id"] for r in records)


def test_to_filters_by_phone_given_in_e164_or_local_form(env: dict[str, str], filled: None) -> None:
    for phone in (SITI, "0812-3456-7890"):
        result = run(env, "--json", "--to", phone)
        assert result.exit_code == 0, result.output
        assert {json.loads(line)["to"] for line in result.output.splitlines()} == {SITI}


def test_an_unreadable_phone_is_a_usage_error(env: dict[str, str]) -> None:
    result = run(env, "--to", "not-a-phone")
    assert result.exit_code == 2
    assert "E.164" in result.output


def test_the_plain_table_shows_one_line_per_message(env: dict[str, str], filled: None) -> None:
    result = run(env)
    assert result.exit_code == 0
    header, *rows = result.output.splitlines()
    assert header.split()[:4] == ["id", "to", "status", "error"]
    assert len(rows) == 3
    assert "63024" in rows[1] and "Halo Bunda Ani baris kedua" in rows[1]


def test_an_empty_outbox_lists_nothing_as_json(env: dict[str, str]) -> None:
    result = run(env, "--json")
    assert result.exit_code == 0 and result.output == ""


def test_serve_answers_sends_the_outbox_and_stops_cleanly_on_sigterm(
    env: dict[str, str], tmp_path: Path
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", "from bot.cli.main import cli; cli()", "serve", "--port", "0"],
        env=os.environ | env | {"PYTHONUNBUFFERED": "1"},
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines: list[str] = []
        while not any("Chat with the bot" in line for line in lines) and len(lines) < 100:
            lines.append(process.stdout.readline())
        banner = [line for line in lines if " INFO " not in line]
        port = re.search(r"serving on http://127\.0\.0\.1:(\d+)", "".join(banner))
        assert port, lines
        assert "posyandu-bot chat --phone +62" in "".join(banner)
        assert f"127.0.0.1:{port[1]}/webhooks/twilio/whatsapp" in "".join(banner)
        with urllib.request.urlopen(f"http://127.0.0.1:{port[1]}/healthz", timeout=5) as response:
            assert json.load(response) == {"status": "ok"}
        # The background worker sends what is in the outbox (log transport: a JSON line).
        CliRunner().invoke(cli, ["chat", "--phone", SITI, "--json"], input="halo\n", env=env)
        sent = tmp_path / "outbound" / "outbound.jsonl"
        deadline = time.monotonic() + 15
        while not sent.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sent.exists() and json.loads(sent.read_text().splitlines()[0])["to"] == SITI
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "posyandu-bot stopped." in output


def test_worker_sends_and_stops_cleanly_on_sigterm(
    env: dict[str, str], tmp_path: Path, raw_sessions: sessionmaker[Session]
) -> None:
    with transaction(raw_sessions) as session:
        enqueue(session, to_phone=SITI, key="w", body="Halo dari worker")
    process = subprocess.Popen(
        [sys.executable, "-c", "from bot.cli.main import cli; cli()", "worker", "--idle-seconds", "0.1"],
        env=os.environ | env | {"PYTHONUNBUFFERED": "1"},
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        sent = tmp_path / "outbound" / "outbound.jsonl"
        deadline = time.monotonic() + 15
        while not sent.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "stopped" in output
    assert json.loads(sent.read_text().splitlines()[0])["body"] == "Halo dari worker"
