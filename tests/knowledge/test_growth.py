"""The WHO growth z-scores must be the numbers WHO Anthro prints, and the statuses those of Permenkes 2/2020."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pytest

from flows.knowledge.growth import (
    CurveIndex,
    GrowthInputError,
    ImplausibleMeasurement,
    Measurement,
    Position,
    Sex,
    age_in_days,
    assess,
    check_plausible,
    hfa_status,
    sd_curves,
    wfa_status,
    wfh_status,
)
from flows.knowledge.growth_tables import WHO_DATA_DIR, Table, lms_table

REFERENCE_CSV = Path(__file__).resolve().parents[1] / "data" / "igrowup_MySurvey_z_st.csv"

BOY, GIRL = Sex.BOY, Sex.GIRL
LYING, STANDING = Position.RECUMBENT, Position.STANDING


# --- the tables ---------------------------------------------------------------------------------------


def test_packaged_tables_are_byte_identical_to_who_source() -> None:
    source = (WHO_DATA_DIR / "SOURCE.md").read_text(encoding="utf-8")
    checksums = dict(
        (name, digest) for digest, name in re.findall(r"^([0-9a-f]{64})\s+(\w+\.txt)$", source, re.M)
    )
    assert sorted(checksums) == sorted(table.file_name for table in Table)
    for name, digest in checksums.items():
        assert hashlib.sha256((WHO_DATA_DIR / name).read_bytes()).hexdigest() == digest, name


def test_source_note_carries_who_attribution_and_terms() -> None:
    source = (WHO_DATA_DIR / "SOURCE.md").read_text(encoding="utf-8")
    assert "WHO Multicentre Growth Reference Study Group, 2006" in source
    assert "CC BY-NC-SA 3.0 IGO" in source


@pytest.mark.parametrize(
    ("table", "sex", "day", "lms"),
    [
        (Table.LENGTH_FOR_AGE, BOY, 0, (1.0, 49.8842, 0.03795)),
        (Table.WEIGHT_FOR_AGE, BOY, 365, (0.0645, 9.646, 0.10925)),
    ],
)
def test_domain_reference_rows(table: Table, sex: Sex, day: int, lms: tuple[float, float, float]) -> None:
    row = lms_table(table, sex).at_age(day)
    assert row is not None
    assert (row.l, row.m, row.s) == lms


def test_domain_reference_medians() -> None:
    girls_weight_at_birth = lms_table(Table.WEIGHT_FOR_AGE, GIRL).at_age(0)
    boys_length_730 = lms_table(Table.LENGTH_FOR_AGE, BOY).at_age(730)
    boys_height_731 = lms_table(Table.LENGTH_FOR_AGE, BOY).at_age(731)
    assert girls_weight_at_birth is not None and girls_weight_at_birth.m == 3.2322
    assert boys_length_730 is not None and boys_length_730.m == 87.8018
    assert boys_height_731 is not None and boys_height_731.m == 87.1303


def test_tables_end_at_day_1826_and_are_loaded_once() -> None:
    table = lms_table(Table.WEIGHT_FOR_AGE, GIRL)
    assert table.keys[0] == 0 and table.keys[-1] == 1826
    assert lms_table(Table.WEIGHT_FOR_AGE, GIRL).rows is table.rows


# --- the LMS arithmetic -------------------------------------------------------------------------------


@pytest.mark.parametrize("sex", list(Sex))
@pytest.mark.parametrize("day", [0, 45, 365, 730, 731, 1200, 1826])
def test_medians_score_zero(sex: Sex, day: int) -> None:
    length_median = lms_table(Table.LENGTH_FOR_AGE, sex).rows[day].m
    weight_median = lms_table(Table.WEIGHT_FOR_AGE, sex).rows[day].m
    bmi_median = lms_table(Table.BMI_FOR_AGE, sex).rows[day].m
    assert assess(Measurement(sex, day, length_cm=length_median)).hfa_z == 0
    assert assess(Measurement(sex, day, weight_kg=weight_median)).wfa_z == 0
    # 100 cm makes BMI equal to the weight in kg
    assert assess(Measurement(sex, day, weight_kg=bmi_median, length_cm=100)).bmi_z == 0


@pytest.mark.parametrize("sex", list(Sex))
def test_weight_for_length_and_height_medians_score_zero(sex: Sex) -> None:
    wfl_median = lms_table(Table.WEIGHT_FOR_LENGTH, sex).rows[800].m  # 80.0 cm
    wfh_median = lms_table(Table.WEIGHT_FOR_HEIGHT, sex).rows[1000].m  # 100.0 cm
    assert assess(Measurement(sex, 400, weight_kg=wfl_median, length_cm=80)).wfh_z == 0
    assert assess(Measurement(sex, 1400, weight_kg=wfh_median, length_cm=100)).wfh_z == 0


@pytest.mark.parametrize("sex", list(Sex))
@pytest.mark.parametrize("sd", [-3, -2, 2, 3])
def test_sd_lines_fed_back_score_their_sd(sex: Sex, sd: int) -> None:
    age_indices: tuple[CurveIndex, ...] = ("wfa", "hfa", "bmi")
    for index in age_indices:
        curves = sd_curves(index, sex)
        for i in (0, 200, 730, 731, 1500, 1826):
            assert curves.x[i] == i
            value = curves.lines[sd][i]
            if index == "wfa":
                assert assess(Measurement(sex, i, weight_kg=value)).wfa_z == sd
            elif index == "hfa":
                assert assess(Measurement(sex, i, length_cm=value)).hfa_z == sd
            else:
                assert assess(Measurement(sex, i, weight_kg=value, length_cm=100)).bmi_z == sd
    size_indices: tuple[tuple[CurveIndex, int], ...] = (("wfl", 300), ("wfh", 1000))
    for index, age in size_indices:
        curves = sd_curves(index, sex)
        for i in range(0, len(curves.x), 37):
            size, weight = curves.x[i], curves.lines[sd][i]
            assert assess(Measurement(sex, age, weight_kg=weight, length_cm=size)).wfh_z == sd, size


def test_sd_curves_cover_each_table() -> None:
    wfa = sd_curves("wfa", GIRL)
    assert wfa.x_unit == "days" and (wfa.x[0], wfa.x[-1], len(wfa.x)) == (0, 1826, 1827)
    wfl = sd_curves("wfl", BOY)
    assert wfl.x_unit == "cm" and (wfl.x[0], wfl.x[-1], len(wfl.x)) == (45, 110, 651)
    wfh = sd_curves("wfh", BOY)
    assert (wfh.x[0], wfh.x[-1], len(wfh.x)) == (65, 120, 551)
    for curves in (wfa, wfl, wfh, sd_curves("hfa", BOY), sd_curves("bmi", GIRL)):
        assert sorted(curves.lines) == [-3, -2, -1, 0, 1, 2, 3]
        for i in range(len(curves.x)):
            column = [curves.lines[k][i] for k in range(-3, 4)]
            assert column == sorted(column) and len(set(column)) == 7


def test_restricted_formula_beyond_three_sd_hand_computed() -> None:
    # Boys weight-for-age, day 365: L = 0.0645, M = 9.646, S = 0.10925, SDk = M (1 + L S k)^(1/L):
    # SD3 = 13.3415, SD2 = 11.9833, SD-2 = 7.7407, SD-3 = 6.9260 kg.
    # 15 kg: 3 + (15 - 13.3415) / (13.3415 - 11.9833) = 4.221 (plain LMS would say 4.10)
    # 6 kg: -3 + (6 - 6.9260) / (7.7407 - 6.9260) = -4.137 (plain LMS would say -4.28)
    assert assess(Measurement(BOY, 365, weight_kg=15.0)).wfa_z == 4.22
    assert assess(Measurement(BOY, 365, weight_kg=6.0)).wfa_z == -4.14


def test_length_for_age_stays_plain_lms_beyond_three_sd() -> None:
    row = lms_table(Table.LENGTH_FOR_AGE, BOY).rows[365]
    length = row.m * (1 + 4.5 * row.s)  # L = 1: plain LMS is linear in the length
    assert assess(Measurement(BOY, 365, length_cm=length)).hfa_z == 4.5


# --- WHO's own checks ---------------------------------------------------------------------------------


def test_who_published_check_boy_1001_days() -> None:
    result = assess(Measurement(BOY, 1001, weight_kg=18, length_cm=120, position=STANDING))
    assert (result.hfa_z, result.wfa_z, result.wfh_z, result.bmi_z) == (7.31, 2.20, -2.39, -3.01)
    assert result.flags == ("hfa",)
    assert any("re-measure" in warning for warning in result.warnings)


def test_who_published_check_length_lying_at_987_days_is_corrected() -> None:
    result = assess(Measurement(BOY, 987, length_cm=72.86, position=LYING))
    assert result.size_cm == pytest.approx(72.16)
    assert result.hfa_z == -6.09
    assert result.flags == ("hfa",)


def test_weight_for_height_interpolates_with_the_binary_float_trunc_rule() -> None:
    # 103.1 cm lying at 998 days: 103.1 - 0.7 = 102.39999999999999 in binary floating point. WHO's rule,
    # lower = trunc(10x)/10 and upper = trunc(10x + 1)/10, then picks the 102.3 row (10x = 1023.9999999999999)
    # and the 102.5 row (10x + 1 rounds to 1025.0), with a fraction just under 1: in effect the 102.5 row.
    result = assess(Measurement(BOY, 998, weight_kg=18.2, length_cm=103.1, position=LYING))
    assert result.size_cm == 103.1 - 0.7 < 102.4
    table = lms_table(Table.WEIGHT_FOR_HEIGHT, BOY)
    low, row_102_4, high = table.rows[1023], table.rows[1024], table.rows[1025]
    fraction = (result.size_cm - 102.3) / 0.1
    interpolated = table.at_size(result.size_cm)
    assert interpolated is not None
    assert interpolated.m == low.m + fraction * (high.m - low.m)
    assert result.wfh_z == round(interpolated.z_restricted(18.2), 2) == 1.45
    assert round(row_102_4.z_restricted(18.2), 2) == 1.47  # what a decimal-exact lookup would say


def test_weight_for_height_interpolates_between_tenths() -> None:
    table = lms_table(Table.WEIGHT_FOR_LENGTH, GIRL)
    half_way = table.at_size(60.25)
    assert half_way is not None
    low, high = table.rows[602], table.rows[603]
    assert half_way.m == pytest.approx((low.m + high.m) / 2)
    assert half_way.s == pytest.approx((low.s + high.s) / 2)
    assert table.at_size(60.2) == low


def _reference_rows() -> list[dict[str, str]]:
    with REFERENCE_CSV.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        # the file has two "oedema" columns (input and cleaned): keep the first occurrence of each name
        columns = {name: header.index(name) for name in header}
        return [{name: row[i] for name, i in columns.items()} for row in reader]


def _reference_measurement(row: dict[str, str]) -> Measurement:
    return Measurement(
        sex=Sex(int(row["GENDER"])),
        age_days=float(row["age.days"]),
        weight_kg=float(row["WEIGHT"]) if row["WEIGHT"] else None,
        length_cm=float(row["HEIGHT"]) if row["HEIGHT"] else None,
        position={"l": LYING, "h": STANDING, "": None}[row["measure"]],
        oedema=row["oedema"] == "y",
    )


def test_who_reference_survey_agrees_to_the_hundredth() -> None:
    """WHO's MySurvey example: every child under 60 months, every index, every flag, same as WHO's output."""
    rows = [row for row in _reference_rows() if float(row["agemons"]) < 60]
    assert len(rows) == 494
    compared = 0
    worst = 0.0
    for row in rows:
        result = assess(_reference_measurement(row))
        for ours, column, flag_column, index in (
            (result.hfa_z, "zlen", "flen", "hfa"),
            (result.wfa_z, "zwei", "fwei", "wfa"),
            (result.wfh_z, "zwfl", "fwfl", "wfh"),
            (result.bmi_z, "zbmi", "fbmi", "bmi"),
        ):
            expected = float(row[column]) if row[column] else None
            assert (ours is None) == (expected is None), (row["id"], column)
            if ours is not None and expected is not None:
                compared += 1
                worst = max(worst, abs(ours - expected))
                assert (index in result.flags) == (row[flag_column] == "1"), (row["id"], column)
    assert compared >= 1850
    assert worst <= 0.01


def test_who_reference_children_of_60_months_or_more_get_no_z_score() -> None:
    older = [row for row in _reference_rows() if float(row["agemons"]) >= 60]
    assert len(older) == 4  # igrowup still scored them; WHO Anthro no longer does
    for row in older:
        result = assess(_reference_measurement(row))
        assert (result.wfa_z, result.hfa_z, result.wfh_z, result.bmi_z) == (None, None, None, None)
        assert result.warnings


# --- age, position, oedema, table ranges --------------------------------------------------------------


def test_no_z_score_from_day_1827_but_day_1826_is_scored() -> None:
    last = assess(Measurement(GIRL, 1826, weight_kg=18, length_cm=109))
    assert None not in (last.wfa_z, last.hfa_z, last.wfh_z, last.bmi_z)
    for age in (1827, 1826.3, 2000):
        result = assess(Measurement(GIRL, age, weight_kg=18, length_cm=109))
        assert (result.wfa_z, result.hfa_z, result.wfh_z, result.bmi_z) == (None, None, None, None)
        assert result.wfa_status is None and result.hfa_status is None and result.wfh_status is None
        assert any("60 months" in warning for warning in result.warnings)


def test_age_in_days_is_rounded_half_up() -> None:
    assert assess(Measurement(BOY, 243.5, length_cm=60)).age_days == 244
    assert assess(Measurement(BOY, 243.49, length_cm=60)).age_days == 243
    # 730.5 days rounds to 731: heights table, lying measurement corrected by -0.7 cm
    assert assess(Measurement(BOY, 730.5, length_cm=85, position=LYING)).size_cm == pytest.approx(84.3)


@pytest.mark.parametrize(
    ("age", "position", "size"),
    [
        (730, STANDING, 80.7),
        (730, LYING, 80.0),
        (730, None, 80.0),
        (731, LYING, 79.3),
        (731, STANDING, 80.0),
        (731, None, 80.0),
    ],
)
def test_position_correction(age: int, position: Position | None, size: float) -> None:
    result = assess(Measurement(BOY, age, weight_kg=11, length_cm=80, position=position))
    assert result.size_cm == pytest.approx(size)
    assert result.bmi == pytest.approx(11 / (size / 100) ** 2)


def test_standing_under_nine_months_is_ignored_as_a_position() -> None:
    # WHO anthro's own test: 8 and 9 months (243.5 and 273.94 days), 60 cm standing
    eight_months = assess(Measurement(BOY, 8 * 30.4375, length_cm=60, position=STANDING))
    nine_months = assess(Measurement(BOY, 9 * 30.4375, length_cm=60, position=STANDING))
    assert (eight_months.size_cm, eight_months.hfa_z) == (60, -4.81)
    assert any("standing under 9 months" in warning for warning in eight_months.warnings)
    assert nine_months.size_cm == pytest.approx(60.7)
    assert nine_months.hfa_z == -5.02
    assert nine_months.warnings == ()


def test_weight_for_length_before_731_days_weight_for_height_from_731() -> None:
    before = assess(Measurement(GIRL, 730, weight_kg=10, length_cm=80))
    after = assess(Measurement(GIRL, 731, weight_kg=10, length_cm=80))
    wfl = lms_table(Table.WEIGHT_FOR_LENGTH, GIRL).rows[800]
    wfh = lms_table(Table.WEIGHT_FOR_HEIGHT, GIRL).rows[800]
    assert before.wfh_z == round(wfl.z_restricted(10), 2)
    assert after.wfh_z == round(wfh.z_restricted(10), 2)
    assert before.wfh_z != after.wfh_z


@pytest.mark.parametrize(
    ("age", "length", "position"),
    [(10, 44.9, None), (100, 110.1, None), (800, 64.9, None), (800, 65.5, LYING), (1500, 120.1, None)],
)
def test_size_outside_the_weight_for_length_height_table_gives_no_value(
    age: int, length: float, position: Position | None
) -> None:
    result = assess(Measurement(BOY, age, weight_kg=8, length_cm=length, position=position))
    assert result.wfh_z is None and result.wfh_status is None
    assert result.hfa_z is not None and result.wfa_z is not None
    assert any("outside the weight-for" in warning for warning in result.warnings)


def test_table_edges_are_scored() -> None:
    assert assess(Measurement(BOY, 10, weight_kg=2.4, length_cm=45)).wfh_z is not None
    assert assess(Measurement(GIRL, 1500, weight_kg=22, length_cm=120)).wfh_z is not None


def test_oedema_leaves_weight_based_z_scores_empty() -> None:
    result = assess(Measurement(BOY, 400, weight_kg=8, length_cm=74, position=LYING, oedema=True))
    assert (result.wfa_z, result.wfh_z, result.bmi_z) == (None, None, None)
    assert result.hfa_z is not None and result.hfa_status is not None
    assert result.wfa_status is None and result.wfh_status is None
    assert any("oedema" in warning.lower() for warning in result.warnings)


# --- flags and statuses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("measurement", "flags"),
    [
        (Measurement(BOY, 365, weight_kg=9.6, length_cm=75.7), ()),
        (Measurement(BOY, 365, length_cm=45), ("hfa",)),
        (Measurement(BOY, 365, weight_kg=30), ("wfa",)),
        (Measurement(BOY, 365, weight_kg=3.0), ("wfa",)),
        (Measurement(BOY, 365, weight_kg=18, length_cm=70, position=LYING), ("wfa", "wfh", "bmi")),
    ],
)
def test_plausibility_flags(measurement: Measurement, flags: tuple[str, ...]) -> None:
    result = assess(measurement)
    assert result.flags == flags
    assert sum("re-measure" in warning for warning in result.warnings) == len(flags)


@pytest.mark.parametrize(
    ("z", "status"),
    [(-3.01, "sangat_pendek"), (-3.0, "pendek"), (-2.01, "pendek"), (-2.0, "normal"), (3.0, "normal"),
     (3.01, "tinggi"), (None, None)],
)  # fmt: skip
def test_length_for_age_status_boundaries(z: float | None, status: str | None) -> None:
    assert hfa_status(z) == status


@pytest.mark.parametrize(
    ("z", "status"),
    [(-3.01, "bb_sangat_kurang"), (-3.0, "bb_kurang"), (-2.01, "bb_kurang"), (-2.0, "bb_normal"),
     (1.0, "bb_normal"), (1.01, "risiko_bb_lebih"), (None, None)],
)  # fmt: skip
def test_weight_for_age_status_boundaries(z: float | None, status: str | None) -> None:
    assert wfa_status(z) == status


@pytest.mark.parametrize(
    ("z", "status"),
    [(-3.01, "gizi_buruk"), (-3.0, "gizi_kurang"), (-2.01, "gizi_kurang"), (-2.0, "gizi_baik"),
     (1.0, "gizi_baik"), (1.01, "berisiko_gizi_lebih"), (2.0, "berisiko_gizi_lebih"), (2.01, "gizi_lebih"),
     (3.0, "gizi_lebih"), (3.01, "obesitas"), (None, None)],
)  # fmt: skip
def test_weight_for_length_height_status_boundaries(z: float | None, status: str | None) -> None:
    assert wfh_status(z) == status


def test_status_follows_the_rounded_z_the_operator_sees() -> None:
    row = lms_table(Table.LENGTH_FOR_AGE, GIRL).rows[500]
    just_below = assess(Measurement(GIRL, 500, length_cm=row.value_at(-2.004)))
    assert (just_below.hfa_z, just_below.hfa_status) == (-2.0, "normal")
    further_below = assess(Measurement(GIRL, 500, length_cm=row.value_at(-2.006)))
    assert (further_below.hfa_z, further_below.hfa_status) == (-2.01, "pendek")


# --- input errors and the plausibility check ----------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"sex": "L", "age_days": 100}, "sex"),
        ({"sex": BOY, "age_days": -1}, "negative"),
        ({"sex": BOY, "age_days": float("nan")}, "age"),
        ({"sex": BOY, "age_days": 100, "weight_kg": 0}, "weight"),
        ({"sex": BOY, "age_days": 100, "weight_kg": -2.5}, "weight"),
        ({"sex": BOY, "age_days": 100, "length_cm": 0}, "length"),
        ({"sex": BOY, "age_days": 100, "length_cm": "60"}, "length"),
        ({"sex": BOY, "age_days": 100, "position": "lying"}, "position"),
        ({"sex": BOY, "age_days": 100, "oedema": "no"}, "oedema"),
    ],
)
def test_invalid_input_is_refused_with_a_clear_message(kwargs: dict[str, object], words: str) -> None:
    with pytest.raises(GrowthInputError, match=words):
        Measurement(**kwargs)  # type: ignore[arg-type]


def test_age_from_dates() -> None:
    from datetime import date

    assert age_in_days(date(2024, 1, 15), date(2025, 1, 15)) == 366
    with pytest.raises(GrowthInputError, match="before birth"):
        age_in_days(date(2024, 1, 15), date(2024, 1, 14))


def test_plausibility_check_refuses_what_is_surely_a_mistake() -> None:
    with pytest.raises(ImplausibleMeasurement, match="length/height-for-age"):
        check_plausible(Measurement(BOY, 365, weight_kg=9.6, length_cm=20, position=LYING))
    with pytest.raises(ImplausibleMeasurement, match="60 months"):
        check_plausible(Measurement(GIRL, 61 * 30.4375, weight_kg=18, length_cm=110))
    with pytest.raises(GrowthInputError, match="weight"):
        check_plausible(Measurement(BOY, 365, weight_kg=0, length_cm=75))
    result = check_plausible(Measurement(BOY, 365, weight_kg=9.6, length_cm=75.7, position=LYING))
    assert result.hfa_status == "normal" and result.wfa_status == "bb_normal"
