"""Notifications: daytime only in local time, template outside the 24-hour window, never to opted-out."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Contact, OutboxMessage, Posyandu
from flows.core.notify import decide, next_daytime, notify, templates

WIB, WITA, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")


@pytest.mark.parametrize(
    ("utc", "zone", "expected_utc"),
    [
        (dt.datetime(2026, 11, 24, 3, 0), WIB, dt.datetime(2026, 11, 24, 3, 0)),  # 10:00 WIB: now
        (
            dt.datetime(2026, 11, 24, 13, 30),
            WIB,
            dt.datetime(2026, 11, 25, 0, 0),
        ),  # 20:30 WIB → 07:00 next day
        (
            dt.datetime(2026, 11, 23, 22, 0),
            WIB,
            dt.datetime(2026, 11, 24, 0, 0),
        ),  # 05:00 WIB → 07:00 same day
        (dt.datetime(2026, 11, 23, 22, 0), WITA, dt.datetime(2026, 11, 23, 23, 0)),  # 06:00 WITA → 07:00 WITA
        (dt.datetime(2026, 11, 23, 22, 0), WIT, dt.datetime(2026, 11, 23, 22, 0)),  # 07:00 WIT: now
        (dt.datetime(2026, 11, 24, 11, 0), WIT, dt.datetime(2026, 11, 24, 22, 0)),  # 20:00 WIT → 07:00 next
    ],
)
def test_nothing_at_night_in_each_zone(utc: dt.datetime, zone: ZoneInfo, expected_utc: dt.datetime) -> None:
    assert next_daytime(utc, zone) == expected_utc


def _mother(session: Session, **changes) -> Contact:
    post = Posyandu(name="Melati", timezone="Asia/Makassar")
    fields = {
        "phone": "+6281234500021",
        "role": "ibu",
        "name": "Siti",
        "posyandu": post,
        "consent_given_at": dt.datetime(2026, 1, 1),
        "last_inbound_at": dt.datetime(2026, 11, 24, 1, 0),
    }
    mother = Contact(**{**fields, **changes})
    session.add(mother)
    session.flush()
    return mother


def test_notify_enqueues_once_with_both_forms(session: Session) -> None:
    mother = _mother(session)
    args = dict(
        key="test:1",
        body="Halo Bunda Siti, besok posyandu.",
        template="pesan_umum",
        variables={"nama": "Siti", "pesan": "besok posyandu."},
        now=dt.datetime(2026, 11, 24, 14, 0),  # 22:00 WITA
        default_timezone="Asia/Jakarta",
        kind="reminder",
    )
    assert notify(session, mother, **args) is True
    assert notify(session, mother, **args) is False
    row = session.scalar(select(OutboxMessage))
    assert row.template_name == "pesan_umum" and row.template_variables == {
        "1": "Siti",
        "2": "besok posyandu.",
    }
    assert row.next_attempt_at == dt.datetime(2026, 11, 24, 23, 0)  # 07:00 WITA
    assert templates()["pesan_umum"].render(row.template_variables).startswith("Halo Bunda Siti")


@pytest.mark.parametrize(
    "changes",
    [
        {"opted_out_at": dt.datetime(2026, 5, 1)},
        {"consent_given_at": None},
        {"erased_at": dt.datetime(2026, 5, 1)},
    ],
)
def test_no_notification_without_consent_or_after_opt_out(session: Session, changes) -> None:
    mother = _mother(session, **changes)
    sent = notify(
        session, mother, key="k", body="x", template="pesan_umum", variables={"nama": "a", "pesan": "b"},
        now=dt.datetime(2026, 11, 24, 3, 0), default_timezone="Asia/Jakarta", kind="reminder",
    )  # fmt: skip
    assert sent is False and session.scalar(select(OutboxMessage)) is None


def test_send_time_decision(session: Session) -> None:
    mother = _mother(session)
    inside = dt.datetime(2026, 11, 24, 3, 0)  # 11:00 WITA, 2 h after she wrote
    outside = dt.datetime(2026, 11, 26, 3, 0)
    night = dt.datetime(2026, 11, 24, 14, 0)
    assert decide("reminder", True, mother, inside, "Asia/Jakarta").action == "text"
    assert decide("reminder", True, mother, outside, "Asia/Jakarta").action == "template"
    assert decide("reminder", False, mother, outside, "Asia/Jakarta").action == "drop"
    later = decide("reminder", True, mother, night, "Asia/Jakarta")
    assert later.action == "later" and later.when == dt.datetime(2026, 11, 24, 23, 0)
    assert decide("reply", False, mother, night, "Asia/Jakarta").action == "text"
