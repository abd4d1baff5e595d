"""The growth chart picture: a real PNG with the child's points where the WHO curves put them, served
through an expiring, unguessable link, and saved by the log transport."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot import create_app
from bot.runtime import Runtime
from bot.worker import OutboxWorker
from db.models import Child, OutboxMessage
from flows.core import media
from flows.growth.chart import POINT_COLOUR, Point, render
from flows.knowledge.growth import Sex, sd_curves
from flows.knowledge.growth_tables import DAYS_PER_MONTH
from tests.growth.support import mother_with_budi

BORN = dt.date(2026, 3, 10)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _near(image: Image.Image, x: float, y: float, colour: tuple[int, int, int], radius: int = 2) -> bool:
    """Some pixel within ``radius`` of (x, y) has ``colour`` (± a little anti-aliasing)."""
    for dx in range(-radius, radius + 1):
        for dy in range(-radius, radius + 1):
            pixel = image.getpixel((round(x) + dx, round(y) + dy))[:3]
            if all(abs(a - b) <= 12 for a, b in zip(pixel, colour, strict=True)):
                return True
    return False


def _sd_weight(k: int, day: int) -> float:
    curves = sd_curves("wfa", Sex.BOY)
    return curves.lines[k][curves.x.index(float(day))]


def test_the_chart_is_a_real_png_sized_for_a_phone() -> None:
    chart = render(
        name="Budi",
        sex=Sex.BOY,
        born=BORN,
        weights=[Point(61, 5.6), Point(122, 7.0)],
        lengths=[Point(61, 57.0)],
        today=dt.date(2026, 11, 24),
    )
    assert chart.png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(chart.png))
    assert image.format == "PNG"
    assert image.size == (chart.width, chart.height) == (900, 1515)  # portrait, readable on a small screen
    assert [panel.index for panel in chart.panels] == ["wfa", "hfa"]


def test_the_childs_points_are_drawn_where_the_data_puts_them() -> None:
    days = (30, 91, 183, 244)
    weights = [Point(day, _sd_weight(k, day)) for day, k in zip(days, (0, -1, -2, 2), strict=True)]
    chart = render(
        name="Budi", sex=Sex.BOY, born=BORN, weights=weights, lengths=[], today=dt.date(2026, 11, 24)
    )
    image = Image.open(io.BytesIO(chart.png)).convert("RGB")
    [panel] = chart.panels
    # the data that drew the points: age in months and kg
    assert panel.data == tuple((p.age_days / DAYS_PER_MONTH, p.value) for p in weights)
    blue, red, green = _rgb(POINT_COLOUR), _rgb("#d62728"), _rgb("#2ca02c")
    for x, y in panel.pixels:
        assert _near(image, x, y, blue)
    # left to right by age, higher up for a heavier child
    xs = [x for x, _ in panel.pixels]
    assert xs == sorted(xs)
    (_, y_median), (_, y_minus1), (_, y_minus2), _ = panel.pixels
    # the point at -2 SD sits on the red -2 SD curve; the point at the median on the green one: just
    # beside each marker (whose radius is about 8 px) the curve's own colour shows at the same height
    x_minus2 = panel.pixels[2][0]
    assert _near(image, x_minus2 + 14, y_minus2, red, radius=3)
    assert not _near(image, x_minus2 + 14, y_minus2, green, radius=3)
    x_plus2, y_plus2 = panel.pixels[3]
    assert _near(image, x_plus2 + 14, y_plus2, red, radius=3)
    assert y_plus2 == min(y for _, y in panel.pixels)  # the heaviest is highest: image rows grow downwards
    assert y_minus2 < y_minus1 < y_median  # older children weigh more, even 1 or 2 SD below the median
    assert panel.x_limit_months == 12.0


def test_the_media_link_serves_the_png_until_it_expires(runtime: Runtime, config: dict) -> None:
    app = create_app(config)
    client = app.test_client()
    with runtime.sessions() as session, session.begin():
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        fresh = media.store(session, b"\x89PNG\r\n\x1a\nfresh", now=now, child_id=None)
        old = media.store(
            session,
            b"\x89PNG\r\n\x1a\nold",
            now=now - media.MEDIA_TTL - dt.timedelta(minutes=1),
            child_id=None,
        )
    response = client.get(media.url(fresh, None))
    assert response.status_code == 200
    assert response.mimetype == "image/png" and response.data.endswith(b"fresh")
    assert client.get(media.url(old, None)).status_code == 404  # expired
    assert client.get("/media/not-a-real-token.png").status_code == 404
    assert media.url(fresh, "https://bot.example.org/") == f"https://bot.example.org/media/{fresh}.png"


def test_the_chat_sends_the_chart_and_the_log_transport_saves_it(
    sessions: sessionmaker[Session], runtime: Runtime, settings
) -> None:
    chat, _ = mother_with_budi(sessions)
    chat.now = dt.datetime.now(dt.UTC).replace(tzinfo=None)  # the log transport reads the link in real time
    chat.say("6", "1", "1", "8,5", "70", "1")
    with sessions() as session:
        row = session.scalars(select(OutboxMessage).where(OutboxMessage.media_url.is_not(None))).one()
        child = session.scalars(select(Child)).one()
        link, child_id = row.media_url, child.id
        stored = media.fetch(session, media.token_of(link), chat.now)
        assert stored is not None and stored.child_id == child_id
        png = bytes(stored.data)
    worker = OutboxWorker(runtime, rng=lambda: 1.0)
    later = chat.now + dt.timedelta(minutes=1)
    while worker.run_once(later):
        pass
    [record] = [r for r in runtime.transport.records() if r["media_url"]]
    with open(record["media_file"], "rb") as file:
        assert file.read() == png
    assert record["media_file"].startswith(settings.LOG_DIR)
    assert Image.open(io.BytesIO(png)).format == "PNG"


def test_erasing_the_mothers_data_removes_the_pictures(sessions: sessionmaker[Session]) -> None:
    chat, _ = mother_with_budi(sessions)
    chat.say("6", "1", "1", "8,5", "70", "1")
    chat.say("HAPUS DATA")
    chat.say("YA HAPUS")
    with sessions() as session:
        from db.models import GrowthMeasurement, MediaFile

        remaining = session.scalars(select(MediaFile)).all(), session.scalars(select(GrowthMeasurement)).all()
    if remaining != ([], []):
        pytest.fail(f"left after erasure: {remaining}")
