"""The national immunization schedule: calendar ages, due dates, limits, statuses and the too-early flag."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import yaml

import messages_id
from flows.knowledge.immunization import (
    DoseStatus,
    ScheduleInputError,
    Status,
    TooEarlyReason,
    UnknownVaccine,
    child_schedule,
    next_due,
    vaccine_name,
)
from flows.knowledge.immunization_schedule import (
    SCHEDULE_PATH,
    ScheduleDataError,
    Span,
    add_months,
    national_schedule,
    parse_schedule,
)

CONTRACT_IDS = (
    "hb0 bcg opv1 opv2 opv3 opv4 dpt_hb_hib1 dpt_hb_hib2 dpt_hb_hib3 dpt_hb_hib4 pcv1 pcv2 pcv3 "
    "rv1 rv2 rv3 ipv1 ipv2 mr1 mr2"
).split()

DOB = date(2025, 1, 15)

#: A child born 15 January 2025 with nothing given: (due, until) of every dose, in due-date order.
EXPECTED_FRESH = [
    ("hb0", "2025-01-15", "2025-01-22"),
    ("bcg", "2025-02-15", "2026-01-14"),
    ("opv1", "2025-02-15", "2029-12-14"),
    ("opv2", "2025-03-15", "2029-12-14"),
    ("dpt_hb_hib1", "2025-03-15", "2029-12-14"),
    ("pcv1", "2025-03-15", "2029-12-14"),
    ("rv1", "2025-03-15", "2025-06-14"),
    ("opv3", "2025-04-15", "2029-12-14"),
    ("dpt_hb_hib2", "2025-04-15", "2029-12-14"),
    ("pcv2", "2025-04-15", "2029-12-14"),
    ("rv2", "2025-04-15", "2025-08-14"),
    ("opv4", "2025-05-15", "2029-12-14"),
    ("dpt_hb_hib3", "2025-05-15", "2029-12-14"),
    ("rv3", "2025-05-15", "2025-08-14"),
    ("ipv1", "2025-05-15", "2029-12-14"),
    ("ipv2", "2025-10-15", "2029-12-14"),
    ("mr1", "2025-10-15", "2029-12-14"),
    ("pcv3", "2026-01-15", "2029-12-14"),
    ("dpt_hb_hib4", "2026-07-15", "2029-12-14"),
    ("mr2", "2026-07-15", "2029-12-14"),
]


def d(text: str) -> date:
    return date.fromisoformat(text)


def by_id(results: list[DoseStatus]) -> dict[str, DoseStatus]:
    return {result.vaccine: result for result in results}


def dose_on(vaccine: str, today: date, given: dict[str, date] | None = None, dob: date = DOB) -> DoseStatus:
    return by_id(child_schedule(dob, given or {}, today))[vaccine]


# -- calendar ages -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2025-01-31", 1, "2025-02-28"),  # no 31 February: last day of February
        ("2024-01-31", 1, "2024-02-29"),  # leap year
        ("2024-02-29", 12, "2025-02-28"),  # born on a leap day
        ("2024-02-29", 48, "2028-02-29"),
        ("2025-01-31", 3, "2025-04-30"),
        ("2025-03-31", 11, "2026-02-28"),
        ("2025-11-15", 2, "2026-01-15"),  # across the year
        ("2025-01-15", 0, "2025-01-15"),
    ],
)
def test_months_are_calendar_months(start: str, months: int, expected: str) -> None:
    assert add_months(d(start), months) == d(expected)


def test_weeks_are_seven_days_and_month_minus_one_day_is_the_day_before() -> None:
    assert Span(weeks=6).after(d("2025-01-31")) == d("2025-03-14")
    assert Span(months=1, days=-1).after(d("2025-01-31")) == d("2025-02-27")
    assert Span(months=12, days=-1).after(d("2024-02-29")) == d("2025-02-27")
    assert str(Span(months=59, days=-1)) == "59 months - 1 day"
    assert str(Span(weeks=1)) == "1 week"


def test_month_ends_move_due_dates_to_the_last_day_of_a_short_month() -> None:
    born_2025 = by_id(child_schedule(d("2025-01-31"), {}, d("2025-01-31")))
    assert born_2025["bcg"].due == d("2025-02-28")
    assert born_2025["bcg"].until == d("2026-01-30")
    assert born_2025["rv1"].until == d("2025-06-29")  # 5 months = 30 June
    assert born_2025["opv2"].due == d("2025-03-31")
    born_2024 = by_id(child_schedule(d("2024-01-31"), {}, d("2024-01-31")))
    assert born_2024["bcg"].due == d("2024-02-29")
    assert born_2024["opv1"].due == d("2024-02-29")


def test_a_leap_day_baby_turns_twelve_months_on_28_february() -> None:
    leap = by_id(child_schedule(d("2024-02-29"), {}, d("2024-03-01")))
    assert leap["pcv3"].due == d("2025-02-28")
    assert leap["bcg"].until == d("2025-02-27")
    assert leap["bcg"].due == d("2024-03-29")
    assert leap["dpt_hb_hib4"].due == d("2025-08-29")


# -- the schedule itself --------------------------------------------------------------------------------


def test_the_data_has_exactly_the_contract_ids_in_schedule_order() -> None:
    assert national_schedule().ids == tuple(CONTRACT_IDS)


def test_a_newborn_gets_every_dose_with_its_due_date_and_limit() -> None:
    results = child_schedule(DOB, {}, DOB)
    assert [
        (r.vaccine, r.due.isoformat(), r.until and r.until.isoformat()) for r in results
    ] == EXPECTED_FRESH
    assert results[0].status is Status.DUE  # hb0, at birth
    assert {r.status for r in results[1:]} == {Status.UPCOMING}


def test_on_time_doses_are_all_given() -> None:
    given = {vaccine: d(due) for vaccine, due, _until in EXPECTED_FRESH}
    results = child_schedule(DOB, given, d("2026-08-01"))
    assert all(r.status is Status.GIVEN for r in results)
    assert [r.due for r in results] == [r.given_on for r in results]
    assert all(r.too_early is None and not r.given_after_limit for r in results)


def test_unverified_intervals_are_marked_in_the_data_with_a_source_note() -> None:
    unverified = {dose.id: dose.unverified for dose in national_schedule().doses if dose.unverified}
    assert unverified == {
        "dpt_hb_hib4": frozenset({"min_interval"}),
        "pcv2": frozenset({"min_interval"}),
        "mr2": frozenset({"min_interval"}),
    }
    schedule = national_schedule()
    assert schedule.dose("dpt_hb_hib4").min_interval == Span(months=12)
    assert schedule.dose("mr2").min_interval == Span(months=6)
    assert schedule.dose("pcv2").min_interval == Span(weeks=4)
    assert all(dose.source.startswith("Kemenkes") for dose in schedule.doses)
    assert all("Unverified:" in dose.source for dose in schedule.doses if dose.unverified)


def test_changing_the_data_changes_the_schedule() -> None:
    document = yaml.safe_load(SCHEDULE_PATH.read_text(encoding="utf-8"))
    for entry in document["doses"]:
        if entry["id"] == "mr2":
            entry["min_interval"] = {"months": 12}
    edited = parse_schedule(document)
    given = {"mr1": d("2026-03-01")}  # MR1 late, at 13.5 months
    national = by_id(child_schedule(DOB, given, d("2026-03-01")))
    assert national["mr2"].due == d("2026-09-01")  # 6 months after MR1
    assert by_id(child_schedule(DOB, given, d("2026-03-01"), edited))["mr2"].due == d("2027-03-01")


def test_malformed_data_is_refused_with_the_dose_named() -> None:
    document = yaml.safe_load(SCHEDULE_PATH.read_text(encoding="utf-8"))
    document["doses"][3]["recommended"] = {"moons": 2}
    with pytest.raises(ScheduleDataError, match="opv2"):
        parse_schedule(document)
    document = yaml.safe_load(SCHEDULE_PATH.read_text(encoding="utf-8"))
    del document["doses"][3]  # opv2 missing: opv3 would follow opv1
    with pytest.raises(ScheduleDataError, match="opv3"):
        parse_schedule(document)


# -- late doses ---------------------------------------------------------------------------------------------


def test_a_late_opv2_pushes_opv3_and_opv4_by_the_minimum_interval() -> None:
    given = {"opv1": d("2025-02-15"), "opv2": d("2025-06-01")}
    results = by_id(child_schedule(DOB, given, d("2025-06-01")))
    assert results["opv3"].due == d("2025-06-29")  # 4 weeks after the late OPV2
    assert results["opv4"].due == d("2025-07-27")  # 4 weeks after OPV3's due date, standing in
    assert results["opv3"].status is Status.UPCOMING
    assert results["dpt_hb_hib2"].due == d("2025-04-15")  # other series keep their own dates


def test_a_late_dose_never_pulls_the_next_one_before_its_recommended_age() -> None:
    given = {"opv1": d("2025-02-01"), "opv2": d("2025-03-20")}  # OPV1 early-but-valid, OPV2 a bit late
    results = by_id(child_schedule(DOB, given, d("2025-03-20")))
    assert results["opv2"].due == d("2025-03-15")  # 2 months, not OPV1 + 4 weeks (1 March)
    assert results["opv3"].due == d("2025-04-17")  # OPV2 + 4 weeks is later than 3 months
    assert results["opv4"].due == d("2025-05-15")  # 4 months is later than OPV3's due + 4 weeks


def test_lateness_propagates_through_doses_not_given_yet() -> None:
    results = by_id(child_schedule(DOB, {"opv1": d("2025-04-01")}, d("2025-04-01")))
    assert [results[v].due for v in ("opv2", "opv3", "opv4")] == [
        d("2025-04-29"),
        d("2025-05-27"),
        d("2025-06-24"),
    ]


def test_overdue_doses_stay_overdue_until_their_limit() -> None:
    results = by_id(child_schedule(DOB, {"hb0": DOB}, d("2025-04-20")))
    assert results["bcg"].status is Status.OVERDUE
    assert results["opv2"].status is Status.OVERDUE
    assert results["opv3"].status is Status.OVERDUE  # due 15 April, OPV2's due standing in
    assert results["rv2"].status is Status.OVERDUE
    assert results["opv4"].status is Status.UPCOMING


# -- very late: limits ------------------------------------------------------------------------------------


def test_rotavirus_expires_after_five_months_and_the_series_cannot_start() -> None:
    results = by_id(child_schedule(DOB, {}, d("2025-06-15")))
    assert results["rv1"].status is Status.EXPIRED
    assert results["rv2"].status is Status.EXPIRED
    assert results["rv3"].status is Status.EXPIRED
    assert results["opv2"].status is Status.OVERDUE  # polio has catch-up
    day_before = by_id(child_schedule(DOB, {}, d("2025-06-14")))
    assert day_before["rv1"].status is Status.OVERDUE


def test_rotavirus_started_in_time_may_continue_until_seven_months() -> None:
    given = {"rv1": d("2025-06-01")}
    results = by_id(child_schedule(DOB, given, d("2025-08-14")))
    assert results["rv2"].due == d("2025-06-29")
    assert results["rv2"].status is Status.OVERDUE
    assert results["rv3"].status is Status.OVERDUE
    assert by_id(child_schedule(DOB, given, d("2025-08-15")))["rv2"].status is Status.EXPIRED


def test_a_dose_that_could_only_be_due_after_its_limit_is_expired() -> None:
    given = {"rv1": d("2025-06-10"), "rv2": d("2025-07-25")}  # RV3 due 22 August, limit 14 August
    rv3 = dose_on("rv3", d("2025-07-25"), given)
    assert rv3.due == d("2025-08-22")
    assert rv3.status is Status.EXPIRED


def test_past_59_months_every_missing_dose_is_expired_and_given_ones_stay_given() -> None:
    results = child_schedule(DOB, {"hb0": DOB, "bcg": d("2025-02-10")}, d("2029-12-15"))
    statuses = {r.vaccine: r.status for r in results}
    assert statuses.pop("hb0") is Status.GIVEN
    assert statuses.pop("bcg") is Status.GIVEN
    assert set(statuses.values()) == {Status.EXPIRED}
    assert dose_on("mr2", d("2029-12-14")).status is Status.OVERDUE  # last day of catch-up


def test_hb0_expires_one_week_after_birth_and_bcg_at_twelve_months() -> None:
    assert dose_on("hb0", d("2025-01-22")).status is Status.OVERDUE
    assert dose_on("hb0", d("2025-01-23")).status is Status.EXPIRED
    assert dose_on("bcg", d("2026-01-14")).status is Status.OVERDUE
    assert dose_on("bcg", d("2026-01-15")).status is Status.EXPIRED


def test_a_dose_reported_after_its_limit_is_recorded_as_given() -> None:
    rv1 = dose_on("rv1", d("2025-07-01"), {"rv1": d("2025-07-01")})
    assert rv1.status is Status.GIVEN
    assert rv1.given_after_limit


# -- given too early -----------------------------------------------------------------------------------------


def test_a_dose_before_its_earliest_age_is_flagged_and_not_counted() -> None:
    dpt1 = dose_on("dpt_hb_hib1", d("2025-03-01"), {"dpt_hb_hib1": d("2025-02-19")})  # 5 weeks old
    assert dpt1.status is Status.UPCOMING  # still to give: due 15 March
    assert dpt1.given_on is None
    assert dpt1.recorded_on == d("2025-02-19")
    assert dpt1.too_early is not None
    assert dpt1.too_early.reason is TooEarlyReason.BEFORE_EARLIEST_AGE
    assert dpt1.too_early.counts_from == d("2025-02-26")  # 6 weeks


def test_mr1_before_nine_months_does_not_count() -> None:
    mr1 = dose_on("mr1", d("2025-09-20"), {"mr1": d("2025-09-01")})
    assert mr1.status is Status.UPCOMING  # due at 9 months, 15 October
    assert mr1.given_on is None
    assert mr1.too_early is not None and mr1.too_early.counts_from == d("2025-10-15")


def test_a_dose_too_soon_after_the_previous_one_does_not_count_and_the_next_follows_the_real_one() -> None:
    given = {"opv1": d("2025-03-01"), "opv2": d("2025-03-15")}  # only 2 weeks apart
    results = by_id(child_schedule(DOB, given, d("2025-03-20")))
    opv2 = results["opv2"]
    assert opv2.too_early is not None
    assert opv2.too_early.reason is TooEarlyReason.BEFORE_MIN_INTERVAL
    assert opv2.too_early.counts_from == d("2025-03-29")
    assert opv2.due == d("2025-03-29")
    assert opv2.status is Status.UPCOMING
    # OPV3 counts from OPV2's real due date (29 March + 4 weeks), not from the dose that did not count.
    assert results["opv3"].due == d("2025-04-26")


def test_a_dose_after_a_missing_one_is_judged_against_the_earliest_the_missing_one_could_count() -> None:
    given = {"opv1": d("2025-03-01"), "opv3": d("2025-04-10")}  # OPV2 not recorded
    opv3 = dose_on("opv3", d("2025-04-10"), given)
    assert opv3.too_early is not None  # OPV2 could count from 29 March at the earliest, + 4 weeks
    assert opv3.too_early.counts_from == d("2025-04-26")
    ok = dose_on("opv3", d("2025-04-30"), {"opv1": d("2025-03-01"), "opv3": d("2025-04-30")})
    assert ok.status is Status.GIVEN and ok.too_early is None


# -- status boundaries ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "status"),
    [
        ("2025-02-06", Status.UPCOMING),  # due in 9 days
        ("2025-02-07", Status.UPCOMING),  # due in 8 days
        ("2025-02-08", Status.DUE),  # due in exactly 7 days
        ("2025-02-15", Status.DUE),  # due today
        ("2025-02-16", Status.OVERDUE),
    ],
)
def test_due_means_today_or_within_seven_days(today: str, status: Status) -> None:
    assert dose_on("bcg", d(today)).status is status


def test_results_are_sorted_by_due_date_then_schedule_order() -> None:
    results = child_schedule(DOB, {"opv1": d("2025-04-01")}, d("2025-04-01"))
    keys = [(r.due, CONTRACT_IDS.index(r.vaccine)) for r in results]
    assert keys == sorted(keys)
    assert len(results) == len(CONTRACT_IDS)


# -- bad input -----------------------------------------------------------------------------------------------


def test_bad_input_is_refused_with_a_clear_reason() -> None:
    with pytest.raises(ScheduleInputError, match="before the date of birth"):
        child_schedule(DOB, {"hb0": d("2025-01-14")}, d("2025-02-01"))
    with pytest.raises(UnknownVaccine, match="'bcg2'"):
        child_schedule(DOB, {"bcg2": d("2025-02-01")}, d("2025-02-01"))
    with pytest.raises(ScheduleInputError, match="after today"):
        child_schedule(d("2025-03-01"), {}, d("2025-02-01"))
    with pytest.raises(ScheduleInputError, match="after today"):
        child_schedule(DOB, {"bcg": d("2025-02-02")}, d("2025-02-01"))


# -- reminders ------------------------------------------------------------------------------------------------


def test_next_due_lists_what_to_remind_about_on_a_day() -> None:
    given = {"hb0": DOB, "bcg": d("2025-02-15"), "opv1": d("2025-02-15")}
    reminders = next_due(DOB, given, d("2025-03-08"))
    assert [(r.vaccine, (r.due - d("2025-03-08")).days) for r in reminders] == [
        ("opv2", 7),
        ("dpt_hb_hib1", 7),
        ("pcv1", 7),
        ("rv1", 7),
    ]
    assert next_due(DOB, given, d("2025-03-07")) == []
    overdue = next_due(DOB, {"hb0": DOB}, d("2025-02-20"))
    assert [(r.vaccine, r.status) for r in overdue] == [("bcg", Status.OVERDUE), ("opv1", Status.OVERDUE)]


def test_next_due_leaves_out_expired_doses() -> None:
    late = next_due(DOB, {}, d("2025-06-15"))
    assert "rv1" not in {r.vaccine for r in late}
    assert all(r.due <= d("2025-06-15") + timedelta(days=7) for r in late)


# -- names --------------------------------------------------------------------------------------------------


def test_every_vaccine_has_an_indonesian_name() -> None:
    messages_id.translations.cache_clear()
    names = {vaccine: vaccine_name(vaccine) for vaccine in CONTRACT_IDS}
    assert all(name and name != vaccine for vaccine, name in names.items())
    assert len(set(names.values())) == len(names)
    assert names["hb0"] == "Hepatitis B 0 (HB0)"
    assert names["opv1"] == "Polio tetes 1"
    assert names["dpt_hb_hib1"] == "DPT-HB-Hib 1 (pentavalen)"
    assert names["mr2"] == "MR lanjutan"
    with pytest.raises(UnknownVaccine):
        vaccine_name("hpv1")
