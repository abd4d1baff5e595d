"""Danger-sign triage: no danger message missed, ordinary messages mostly left alone, facts applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.knowledge import safety_net
from flows.knowledge.discourse import kind_of
from flows.knowledge.textnorm import normalize
from flows.knowledge.triage import LEVELS, rules, triage
from messages_id import MAX_MESSAGE_CHARS, pgettext

DATA = Path(__file__).resolve().parents[1] / "data"
EXAMPLES = Path(__file__).resolve().parents[2] / "messages_id" / "content" / "triage_examples"
FALSE_ALARM_BOUND = 0.10


def tsv_rows(name: str) -> list[list[str]]:
    rows = []
    for line in (EXAMPLES / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def danger_cases() -> list[tuple[str, list[str], str, int | None]]:
    cases = []
    for row in tsv_rows("team_danger.tsv"):
        age = int(row[3]) if len(row) > 3 and row[3].strip() else None
        cases.append((row[0], row[1].split(","), row[2], age))
    return cases


def at_least(level: str, expected: str) -> bool:
    return LEVELS.index(level) >= LEVELS.index(expected)


# --- the sign table ------------------------------------------------------------------------------


def test_sign_ids_and_levels_are_exactly_those_of_the_domain_table() -> None:
    table = dict(
        line.split()
        for line in (DATA / "triage_sign_ids.txt").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert {sign.id: sign.level for sign in rules().signs} == table


def test_every_sign_and_level_has_its_own_advice_in_the_catalog() -> None:
    keys = [sign.id for sign in rules().signs] + list(LEVELS) + ["demam_lama"]
    missing = [key for key in keys if pgettext("triage_advice", key) == key]
    assert missing == []


def test_every_sign_has_danger_messages_in_the_test_set() -> None:
    covered = {sign for _, signs, _, _ in danger_cases() for sign in signs}
    assert {sign.id for sign in rules().signs} <= covered


# --- recall and false alarms ---------------------------------------------------------------------


def test_the_danger_set_is_large_enough() -> None:
    assert len(danger_cases()) >= 180
    assert len(tsv_rows("team_ordinary.tsv")) >= 180


@pytest.mark.parametrize(("text", "signs", "level", "age_days"), danger_cases(), ids=lambda v: str(v)[:40])
def test_every_danger_message_gets_its_sign_and_at_least_its_level(text, signs, level, age_days) -> None:
    result = triage(text, age_days=age_days)
    assert at_least(result.level, level), (result.level, result.signs)
    assert set(signs) <= set(result.signs), result.signs


def test_false_alarms_on_ordinary_messages_stay_rare() -> None:
    alarms = [row[0] for row in tsv_rows("team_ordinary.tsv") if triage(row[0]).level != "biasa"]
    assert len(alarms) / len(tsv_rows("team_ordinary.tsv")) <= FALSE_ALARM_BOUND, alarms


# --- negation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "tidak demam",
        "anak saya tidak demam kok",
        "sudah tidak muntah",
        "gak kejang kok bun",
        "bukan kejang cuma kaget",
        "tidak ada demam tidak ada batuk",
        "anak sy ga pernah kejang",
        "bayi tidak sesak",
        "dulu anak saya pernah kejang, sekarang sehat",
        "kemarin anak panas sekarang sudah sembuh",
    ],
)
def test_a_denied_sign_is_not_a_sign(text: str) -> None:
    assert triage(text).level == "biasa"


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("bayi saya tidak bisa minum", "tidak_bisa_minum"),
        ("dd gak mau nenen sama sekali", "tidak_bisa_minum"),
        ("anak saya belum mau menyusu dari pagi", "tidak_bisa_minum"),
        ("kejangnya tidak berhenti berhenti", "kejang"),
        ("anak sy tidak sadar", "lemas_tidak_sadar"),
        ("tidak bisa bernapas anak saya keselek", "tersedak"),
        ("gak panas tapi kejang", "kejang"),
        ("tidak demam tapi bibirnya biru", "kebiruan"),
        ("demam tidak turun turun", "demam"),
    ],
)
def test_negation_words_that_are_part_of_the_sign_keep_it(text: str, sign: str) -> None:
    assert sign in triage(text).signs


# --- age, numbers and durations ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age_days", "level", "sign"),
    [
        (20, "darurat", "demam_bayi_muda"),
        (59, "darurat", "demam_bayi_muda"),
        (60, "segera", "demam"),
        (400, "segera", "demam"),
    ],
)
def test_fever_under_two_months_is_an_emergency(age_days: int, level: str, sign: str) -> None:
    result = triage("anak saya panas", age_days=age_days)
    assert (result.level, result.signs) == (level, [sign])


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("bayi sy umur 3 minggu panas", "demam_bayi_muda"),
        ("bayi baru lahir demam", "demam_bayi_muda"),
        ("habis melahirkan 5 hari, bayi saya panas", "demam_bayi_muda"),
        ("anak umur 8 bulan panas", "demam"),
        ("usia 2 tahun demam", "demam"),
    ],
)
def test_the_age_written_in_the_message_counts(text: str, sign: str) -> None:
    assert triage(text).signs == [sign]


@pytest.mark.parametrize(
    ("text", "age_days", "expected"),
    [
        ("suhu anak 38,5", None, ["demam"]),
        ("anak saya 39 derajat", None, ["demam"]),
        ("suhunya 37,2", None, []),
        ("suhu bayi 35,9", 10, ["hipotermia_bayi"]),
        ("suhu 38 derajat", 30, ["demam_bayi_muda"]),
        ("tiga puluh delapan koma lima suhunya", None, ["demam"]),
    ],
)
def test_temperatures_are_read(text: str, age_days: int | None, expected: list[str]) -> None:
    assert triage(text, age_days=age_days).signs == expected


@pytest.mark.parametrize(
    ("text", "age_days", "fast"),
    [
        ("napasnya 55 kali per menit", 40, False),  # < 2 months: fast from 60
        ("napasnya 62 kali per menit", 40, True),
        ("napasnya 52 kali per menit", 200, True),  # 2-12 months: from 50
        ("napasnya 48 kali per menit", 200, False),
        ("napasnya 42 kali per menit", 800, True),  # 12-59 months: from 40
        ("napasnya 36 kali per menit", 800, False),
    ],
)
def test_fast_breathing_thresholds_depend_on_age(text: str, age_days: int, fast: bool) -> None:
    assert ("sesak_napas" in triage(text, age_days=age_days).signs) is fast


@pytest.mark.parametrize(
    ("text", "sign", "level"),
    [
        ("hamil 7 bulan tensi 165/100", "preeklampsia", "darurat"),
        ("hamil 7 bulan tensi 150/95", "tekanan_darah_tinggi", "segera"),
        ("hamil td 120/80", None, "biasa"),
    ],
)
def test_blood_pressure_in_pregnancy(text: str, sign: str | None, level: str) -> None:
    result = triage(text)
    assert result.level == level
    assert result.signs == ([sign] if sign else [])


def test_fever_of_seven_days_stays_segera_with_a_referral_note() -> None:
    result = triage("anak saya demam sudah 8 hari")
    assert (result.level, result.signs) == ("segera", ["demam"])
    assert pgettext("triage_advice", "demam_lama") in result.advice
    assert pgettext("triage_advice", "demam_lama") not in triage("anak saya demam 2 hari").advice


def test_cough_counts_as_long_from_fourteen_days() -> None:
    assert "batuk_lama" in triage("anak batuk sudah 15 hari").signs
    assert "batuk_lama" in triage("batuk 3 minggu belum sembuh").signs
    assert triage("anak batuk pilek 3 hari").level == "biasa"


def test_the_same_words_mean_the_mother_or_the_child() -> None:
    assert triage("saya hamil 8 bulan demam tinggi").signs == ["demam_tinggi_ibu"]
    assert triage("anak saya demam tinggi").signs == ["demam"]
    assert triage("habis lahiran saya sesak napas").signs == ["sesak_nyeri_dada_ibu"]
    assert triage("anak saya sesak napas").signs == ["sesak_napas"]
    assert triage("hamil 3 bulan muntah terus tidak bisa makan").signs == ["muntah_berat_hamil"]


def test_a_breastfeeding_mothers_fever_with_a_red_breast_is_mastitis_not_an_emergency() -> None:
    result = triage("payudara kanan merah, bengkak, panas dan nyeri, badan saya demam")
    assert (result.level, result.signs) == ("segera", ["mastitis"])
    assert triage("saya demam menggigil", pregnant=True).signs == ["demam_tinggi_ibu"]
    assert triage("habis melahirkan saya demam 39").level == "darurat"


def test_after_negation_only_closes_the_sentence() -> None:
    assert triage("muntahnya sudah tidak ada").level == "biasa"
    assert "muntah_berat_hamil" in triage("hamil muntah terus tidak ada makanan yang masuk").signs


def test_level_is_the_highest_of_the_signs_found() -> None:
    result = triage("anak diare dan kejang")
    assert {"diare", "kejang"} <= set(result.signs)
    assert result.level == "darurat"


def test_typos_on_long_words_are_tolerated_but_real_words_are_not_bent() -> None:
    assert "kejang" in triage("anak saya kjeang").signs
    assert "sesak_napas" in triage("bayi sy sesag").signs
    assert triage("lemak di makanan bayi").level == "biasa"  # lemak is a word, not a typo of lemas
    assert triage("harganya pantas").level == "biasa"  # pantas is a word, not panas


# --- advice --------------------------------------------------------------------------------------


def test_advice_starts_with_the_level_text_and_adds_first_aid() -> None:
    result = triage("anak saya keselek koin tidak bisa napas")
    assert result.advice.startswith(pgettext("triage_advice", "darurat"))
    assert pgettext("triage_advice", "tersedak") in result.advice
    assert "119" in result.advice
    assert triage("kapan jadwal imunisasi").advice == pgettext("triage_advice", "biasa")


def test_advice_always_fits_one_message() -> None:
    worst = triage(
        "anak kejang sesak biru lemas tidak mau nenen muntah terus keselek koin kena air panas minum minyak tanah"
    )
    assert len(worst.signs) >= 6
    assert len(worst.advice) <= MAX_MESSAGE_CHARS


# --- who is in danger, how it is meant, and no false reassurance ---------------------------------


def test_no_message_is_ever_told_that_no_danger_was_found() -> None:
    for text in ("halo bun", "anak saya batuk dikit", "habis lahiran keluar darah", "cuaca panas banget"):
        assert "tidak menemukan tanda bahaya" not in triage(text).advice


def test_a_childs_emergency_keeps_the_child_warm_and_fed_but_not_a_choking_one() -> None:
    assert "tetap susui" in triage("bayi sy 3 bulan bibirnya biru").advice
    choking = triage("anak sy keselek kacang ga bisa napas")
    assert "tersedak" in choking.signs and "susui" not in choking.advice


def test_not_breathing_drowning_and_electric_shock_are_emergencies_of_their_own() -> None:
    assert triage("bayi sy ga napas").signs[:1] == ["tidak_bernapas"]
    assert "tenggelam" in triage("anak sy kecebur sumur tadi").signs
    assert "tersengat_listrik" in triage("anak saya kesetrum stop kontak").signs
    assert triage("hp saya kecebur ember").level == "biasa"
    assert triage("listrik padam dari pagi").level == "biasa"


def test_bleeding_after_birth_without_an_amount_is_darurat_and_asks_how_much() -> None:
    result = triage("habis lahiran keluar darah")
    assert (result.level, result.signs, result.unclear) == (
        "darurat",
        ["perdarahan_nifas"],
        ("perdarahan_nifas",),
    )
    assert "pembalut penuh dalam 1 jam" in result.advice
    assert triage("darah nifas sampai kapan keluarnya normal").level == "biasa"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("kalau anak kejang harus apa", "question"),
        ("bun mau tanya kalo bayi biru bibirnya itu bahaya ya", "question"),
        ("apa aja tanda bahaya masa nifas", "question"),
        ("anak saya kejang gimana ini", "now"),
        ("anak sy kejang, kalo ke puskesmas jauh bgt", "now"),
        ("bayi baru lahir lemas bergerak kalau disentuh saja", "now"),
        ("minggu lalu sempat step, sekarang udah sehat", "past"),
        ("anak sy pernah kejang boleh imunisasi ga", "past"),
        ("kemarin kejang skrg masih lemes", "now"),
    ],
)
def test_a_report_is_told_from_a_question_or_a_past_event(text: str, kind: str) -> None:
    assert kind_of(normalize(text).split()) == kind


def test_a_message_only_about_another_adult_raises_no_sign_but_the_mothers_own_words_do() -> None:
    assert triage("tensi nenek sy 160/100 td pagi, makanan apa yg bagus").signs == []
    assert triage("suami sy jarinya biru lebam kejepit pintu").signs == []
    assert triage("nenek sy bilang anak sy kejang dari tadi").level == "darurat"
    assert triage("mertua bilang saya pendarahan banyak habis lahiran").level == "darurat"


def test_regional_words_are_read_as_their_indonesian_meaning() -> None:
    assert triage("budak abdi teu daek nyusu pisan ti isuk").signs == ["tidak_bisa_minum"]
    assert triage("bubar babaran getihe metu akeh banget nganti tembus jarik").level == "darurat"
    assert triage("anakku dolanan banyu nang ember pas adus").level == "biasa"


def test_the_learned_net_sees_an_emergency_the_rules_cannot_read_and_not_an_ordinary_day() -> None:
    model = safety_net.net()
    # Javanese "meneng wae ora obah": still, not moving — words no pattern lists
    unseen = normalize("bayiku kok meneng wae ora obah ora nangis, raine abu abu")
    assert model.probability(unseen) >= model.threshold
    assert model.probability(normalize("anak saya main bola di lapangan")) < model.threshold
    assert 0.3 <= model.threshold < 1 and model.cv_recall >= 0.9
