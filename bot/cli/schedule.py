"""``posyandu-bot schedule``: a child's national immunization schedule as a JSON list."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from bot.config import load_settings
from flows.knowledge.immunization import DoseStatus, ScheduleInputError, UnknownVaccine, child_schedule
from flows.knowledge.immunization_schedule import national_schedule

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_iso_date(value: str, what: str) -> date:
    """A date written YYYY-MM-DD, or a click.BadParameter saying what is wrong with it."""
    if not _ISO_DATE.fullmatch(value):
        raise click.BadParameter(f"{what} must be a date written YYYY-MM-DD, got {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a real date ({exc})") from exc


def _dob(ctx: click.Context, param: click.Parameter, value: str) -> date:
    return parse_iso_date(value, "the date of birth")


def _today(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    return None if value is None else parse_iso_date(value, "today")


def _given(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, date]:
    known = national_schedule().ids
    doses: dict[str, date] = {}
    for value in values:
        vaccine_id, sep, when = value.partition("=")
        vaccine_id = vaccine_id.strip()
        if not sep or not vaccine_id:
            raise click.BadParameter(f"{value!r} must be written ID=YYYY-MM-DD, e.g. hb0=2026-01-31")
        if vaccine_id not in known:
            raise click.BadParameter(f"unknown vaccine id {vaccine_id!r}; known ids: {' '.join(known)}")
        given_on = parse_iso_date(when.strip(), f"the date of {vaccine_id}")
        if doses.get(vaccine_id, given_on) != given_on:
            raise click.BadParameter(f"{vaccine_id} is given twice with different dates")
        doses[vaccine_id] = given_on
    return doses


def local_today() -> date:
    """Today in the configured time zone (POSYANDU_TIMEZONE, default Asia/Jakarta)."""
    zone_name = load_settings().TIMEZONE
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise click.UsageError(f"POSYANDU_TIMEZONE {zone_name!r} is not a known time zone") from exc
    return datetime.now(zone).date()


def _optional_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def dose_to_json(result: DoseStatus) -> dict[str, Any]:
    """The contract's object for one dose."""
    return {
        "vaccine": result.vaccine,
        "due": result.due.isoformat(),
        "until": _optional_date(result.until),
        "status": result.status.value,
        "given_on": _optional_date(result.given_on),
    }


@click.command()
@click.option("--dob", required=True, callback=_dob, help="The child's date of birth, YYYY-MM-DD.")
@click.option(
    "--today",
    callback=_today,
    help="The day to judge the schedule on, YYYY-MM-DD (default: today, local date of POSYANDU_TIMEZONE).",
)
@click.option(
    "--given",
    multiple=True,
    callback=_given,
    metavar="ID=YYYY-MM-DD",
    help="A dose already given and its date; repeat for each dose, e.g. --given hb0=2026-01-31.",
)
@click.pass_context
def schedule(ctx: click.Context, dob: date, today: date | None, given: dict[str, date]) -> None:
    """Show a child's immunization schedule (Kemenkes national programme, 0-24 months).

    Prints one JSON list, in order of due date. For each dose: the vaccine id, the date it is due,
    the last day it may still be given ("until", null when there is no limit), its status and the date
    it was given (null when not given):

    \b
      given     recorded (a dose recorded too early does not count and must be given again)
      due       due today or within the next 7 days
      upcoming  due later
      overdue   past its due date, can still be given
      expired   past its last day, no longer given

    \b
    Vaccine ids: hb0 bcg opv1-opv4 dpt_hb_hib1-dpt_hb_hib4 pcv1-pcv3 rv1-rv3 ipv1 ipv2 mr1 mr2.
    Example:
      posyandu-bot schedule --dob 2026-01-31 --given hb0=2026-01-31 --given bcg=2026-02-20
    """
    try:
        results = child_schedule(dob, given, today or local_today())
    except (ScheduleInputError, UnknownVaccine) as exc:
        raise click.UsageError(str(exc), ctx=ctx) from exc
    click.echo(json.dumps([dose_to_json(result) for result in results], ensure_ascii=False))
