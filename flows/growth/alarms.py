"""Growth alarms: the measurements the bidan must see, as cases on her desk, and the referral path for the mother.

Alarms (Buku KIA 2023, Permenkes 2/2020): length/height-for-age below −2 SD (stunted; below −3 severely),
weight-for-length/height below −2 SD (wasted; below −3 severely), weight not rising enough (T; 2T), weight
below the red line (BGM). Each kind is its own case (one open case per child and kind; a new alarm of
the same kind joins it) with the child's measurement history; the bidan is alerted the way the case desk
alerts her (``flows.services.case_alerts``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Case, Child, Contact, Event, GrowthMeasurement
from flows.core.settings import FlowSettings
from flows.growth.record import weighings
from flows.growth.words import below_red_line, status_of, technical_line
from flows.knowledge.faq import topic_answer
from flows.knowledge.growth import GrowthResult
from flows.knowledge.growth_trend import T2, T, Trend, month_index, month_trends
from flows.services import case_alerts
from messages_id import _, pgettext

STUNTED, WASTED, NOT_GAINING, RED_LINE = "growth_stunted", "growth_wasted", "growth_not_gaining", "growth_bgm"
TOPICS = (STUNTED, WASTED, NOT_GAINING, RED_LINE)
BIASA, SEGERA = case_alerts.BIASA, case_alerts.SEGERA
HISTORY_IN_CASE = 6


@dataclass(frozen=True)
class Alarm:
    topic: str
    urgency: str


def alarms_of(result: GrowthResult, trend: Trend | None) -> list[Alarm]:
    """What in this measurement needs the bidan."""
    found = []
    height = status_of("hfa", result.hfa_z)
    if height in ("pendek", "sangat_pendek"):
        found.append(Alarm(STUNTED, SEGERA if height == "sangat_pendek" else BIASA))
    thinness = status_of("wfh", result.wfh_z)
    if thinness in ("gizi_kurang", "gizi_buruk"):
        found.append(Alarm(WASTED, SEGERA if thinness == "gizi_buruk" else BIASA))
    if trend is not None and trend.code in (T, T2):
        found.append(Alarm(NOT_GAINING, SEGERA if trend.code == T2 else BIASA))
    if below_red_line(result):
        found.append(Alarm(RED_LINE, SEGERA))
    return found


def history_text(child: Child, rows: list[GrowthMeasurement]) -> str:
    """The child's last measurements, newest last, one short line each (for the bidan)."""
    trends = month_trends(child.date_of_birth, weighings(rows))
    shown = rows[-HISTORY_IN_CASE:]
    return "; ".join(technical_line(row, trends.get(month_index(row.measured_on))) for row in shown)


@dataclass(frozen=True)
class Opened:
    case: Case
    is_new: bool
    bidans: tuple[Contact, ...]
    backup: str | None


def open_child_case(
    session: Session,
    *,
    mother: Contact,
    child: Child,
    topic: str,
    urgency: str,
    why: str,
    message: str,
    now: dt.datetime,
    settings: FlowSettings,
    today: dt.date,
    actor: Contact | None,
    key: str,
) -> Opened:
    """The child's open case on ``topic`` (the new finding joins it), or a new one with the bidan alerted."""
    summary = _("{why}. {message}").format(why=why, message=message)
    case = session.scalar(
        select(Case).where(
            Case.mother_id == mother.id,
            Case.child_id == child.id,
            Case.topic == topic,
            Case.status == "open",
        )
    )
    if case is not None:
        case.transcript = [*case.transcript, {"at": now.isoformat(timespec="seconds"), "text": summary}]
        return Opened(
            case, False, tuple(case_alerts.case_bidans(session, case)), case_alerts.backup_phone(case)
        )
    case = Case(
        mother_id=mother.id,
        posyandu_id=mother.posyandu_id,
        child_id=child.id,
        topic=topic,
        urgency=urgency,
        summary=summary,
        transcript=[{"at": now.isoformat(timespec="seconds"), "text": summary}],
        opened_at=now,
    )
    session.add(case)
    session.flush()
    session.add(
        Event(
            at=now,
            actor_id=actor.id if actor else None,
            actor_role=actor.role if actor else None,
            kind="case_opened",
            details={"case_id": case.id, "topic": topic, "urgency": urgency, "child_id": child.id},
        )
    )
    bidans, backup = case_alerts.alert_new_case(
        session,
        case,
        mother=mother,
        about=case_alerts.child_text(child.name, child.sex, child.date_of_birth, today),
        why=why,
        message=message,
        now=now,
        settings=settings,
        key=f"{key}:{topic}",
    )
    return Opened(case, True, tuple(bidans), backup)


def open_growth_case(
    session: Session,
    *,
    mother: Contact,
    child: Child,
    alarm: Alarm,
    rows: list[GrowthMeasurement],
    now: dt.datetime,
    settings: FlowSettings,
    today: dt.date,
    actor: Contact | None,
    key: str,
) -> Opened:
    """The case of one growth alarm, with the child's measurement history."""
    return open_child_case(
        session,
        mother=mother,
        child=child,
        topic=alarm.topic,
        urgency=alarm.urgency,
        why=pgettext("growth alarm", alarm.topic),
        message=_("Measurements: {history}").format(history=history_text(child, rows)),
        now=now,
        settings=settings,
        today=today,
        actor=actor,
        key=key,
    )


def raise_alarms(
    session: Session,
    *,
    mother: Contact,
    child: Child,
    result: GrowthResult,
    trend: Trend | None,
    rows: list[GrowthMeasurement],
    now: dt.datetime,
    settings: FlowSettings,
    today: dt.date,
    actor: Contact | None,
    key: str,
) -> list[Opened]:
    """A case per alarm of this measurement (nothing when all is well)."""
    return [
        open_growth_case(
            session,
            mother=mother,
            child=child,
            alarm=alarm,
            rows=rows,
            now=now,
            settings=settings,
            today=today,
            actor=actor,
            key=key,
        )
        for alarm in alarms_of(result, trend)
    ]


def handed_over_text(child: Child, opened: list[Opened]) -> str:
    """For the mother: who will contact her about which case numbers."""
    numbers = ", ".join(str(o.case.id) for o in opened)
    bidans = [b for o in opened for b in o.bidans]
    if bidans:
        return _(
            "I have passed the result of {child} to Bidan {bidan} (case {numbers}). She will contact you."
        ).format(child=child.name, bidan=bidans[0].name or "", numbers=numbers)
    if any(o.backup for o in opened):
        return _(
            "I have passed the result of {child} to the puskesmas (case {numbers}). They will contact you."
        ).format(child=child.name, numbers=numbers)
    return _(
        "There is no bidan registered for your posyandu yet, so please bring {child} to the puskesmas. "
        "The result is recorded (case {numbers})."
    ).format(child=child.name, numbers=numbers)


def referral_text() -> str:
    """The referral path with BPJS/JKN, the documents, and registering a baby in JKN."""
    return _(
        "The referral path: posyandu, then the puskesmas (the doctor and the nutrition officer check again), "
        "then, if needed, the hospital or a pediatrician with a referral letter. With BPJS/JKN, visits that "
        "are not an emergency need the referral of the puskesmas (faskes 1) first.\n"
        "Bring: Buku KIA, KK, NIK, and the BPJS/KIS card.\n"
        "Baby not in BPJS yet? A baby of a JKN member must be registered within 28 days of birth, with the KK, "
        "the parent's NIK or JKN number, and the birth certificate or birth letter (at the BPJS office, "
        "the Mobile JKN app or with help from the puskesmas). A baby older than 3 months needs an NIK from "
        "Dukcapil first."
    )


def myth_text() -> str:
    """'Short parents, short child': the facts (FAQ topic)."""
    return _("Is it just because the parents are short?") + "\n" + topic_answer("stunting_mitos_keturunan")
