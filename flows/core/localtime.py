"""Timestamps are stored as naive UTC; mothers, kader and bidan live in WIB, WITA or WIT.

These are the conversions between the two, written once.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def to_local(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """A naive-UTC ``moment`` as an aware local time in ``zone``."""
    return moment.replace(tzinfo=dt.UTC).astimezone(zone)


def local_today(now: dt.datetime, zone: ZoneInfo) -> dt.date:
    """The local date in ``zone`` at the naive-UTC moment ``now``."""
    return to_local(now, zone).date()


def to_utc(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The local wall-clock moment ``day`` ``at`` in ``zone``, as naive UTC."""
    return dt.datetime.combine(day, at, tzinfo=zone).astimezone(dt.UTC).replace(tzinfo=None)
