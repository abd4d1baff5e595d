"""The mother's "Tumbuh kembang" flow: recording, implausible input, N/T/2T with the KBM, and each alarm's case."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from tests.chat import Chat, joined
from tests.desk_support import sent_to
from tests.growth.support import RINA, add_measurement, cases, measurements, mother_with_budi

TODAY = dt.date(2026, 11, 24)  # the chat's local day; Budi is 8 months old


def record(chat: Chat, weight: str, length: str = "LEWATI", position: str | None = "1") -> str:
    """Menu 6 → record → today → weight → length (→ position): the replies to the last answer."""
    chat.say("6", "1", "1")
    replies = chat.say(weight, length)
    if length.upper() != "LEWATI" and position is not None:
        replies = chat.send(position)
    return joined(replies)


def test_the_main_menu_offers_growth_and_development(sessions: sessionmaker[Session]) -> None:
    chat, _ = mother_with_budi(sessions)
    assert "6. Tumbuh kembang anak saya" in joined(chat.send("menu"))
    assert "Tumbuh kembang Budi:" in joined(chat.send("6"))


def test_a_mother_records_weight_and_length_and_reads_the_result_in_plain_words(
    sessions: sessionmaker[Session],
) -> None:
    chat, _ = mother_with_budi(sessions)
    assert "Kapan Budi ditimbang?" in joined(chat.say("6", "1"))
    assert "Berapa berat badan Budi" in joined(chat.send("1"))
    assert "panjang atau tinggi badan Budi" in joined(chat.send("8,5 kg"))
    assert "berbaring atau berdiri" in joined(chat.send("70"))
    text = joined(chat.send("berbaring"))
    assert "Hasil Budi (umur 8 bulan), 24 November 2026: berat 8,5 kg, panjang 70 cm (berbaring)." in text
    assert "- Berat menurut umur: sesuai umurnya (berat badan normal)" in text
    assert "- Panjang/tinggi menurut umur: sesuai umurnya (normal)" in text
    assert "- Berat menurut panjang/tinggi: seimbang dengan panjang badannya (gizi baik)" in text
    assert "Ini timbangan pertama Budi yang tercatat (B)" in text
    assert "Budi tumbuh dengan baik" in text
    assert "MPASI dimulai saat bayi berumur 6 bulan" in text  # feeding advice for 6-11 months
    assert "Timbang berikutnya: di posyandu bulan depan, sekitar 24 Desember 2026" in text
    assert "stunting" not in text.lower().split("mpasi")[0]  # no alarming label in the result itself
    [row] = measurements(sessions)
    assert (row.measured_on, row.weight_kg, row.length_cm, row.position, row.source) == (
        TODAY,
        8.5,
        70.0,
        "recumbent",
        "mother",
    )
    assert (row.wfa_z, row.hfa_z, row.wfh_z) == (-0.28, -0.59, 0.11)
    assert cases(sessions) == []


def test_the_chart_picture_follows_the_result_as_a_media_message(sessions: sessionmaker[Session]) -> None:
    chat, _ = mother_with_budi(sessions)
    record(chat, "8,5", "70")
    [picture] = [row for row in sent_to(sessions, chat.phone) if row.media_url]
    assert picture.media_url.startswith("/media/") and picture.media_url.endswith(".png")
    assert len(picture.media_url) > len("/media/.png") + 40  # 32 random bytes: not guessable
    assert "Grafik pertumbuhan Budi" in (picture.body or "")


def test_weight_and_length_in_one_answer_on_a_past_date(sessions: sessionmaker[Session]) -> None:
    chat, _ = mother_with_budi(sessions)
    chat.say("6", "1", "24-10-2026")
    assert "berbaring atau berdiri" in joined(chat.send("8,4 kg 69 cm"))
    chat.send("2")
    [row] = measurements(sessions)
    assert (row.measured_on, row.weight_kg, row.length_cm, row.position) == (
        dt.date(2026, 10, 24),
        8.4,
        69.0,
        "standing",
    )


def test_a_date_before_birth_is_refused(sessions: sessionmaker[Session]) -> None:
    chat, _ = mother_with_budi(sessions)
    chat.say("6", "1")
    assert "sebelum Budi lahir" in joined(chat.send("1-1-2026"))


def test_a_forty_kg_baby_is_questioned_not_stored(sessions: sessionmaker[Session]) -> None:
    chat, _ = mother_with_budi(sessions)
    chat.say("6", "1", "1")
    text = joined(chat.send("40"))
    assert "40 kg tidak sesuai untuk anak umur 8 bulan" in text  # questioned at once
    assert "Berapa berat badan Budi" in text  # asked again
    assert measurements(sessions) == []
    chat.say("8,5")
    assert "Hasil Budi" in joined(chat.say("70", "1"))
    assert [row.weight_kg for row in measurements(sessions)] == [8.5]


def test_a_length_5_cm_less_than_last_month_is_questioned_not_stored(sessions: sessionmaker[Session]) -> None:
    chat, _ = mother_with_budi(sessions)
    add_measurement(sessions, dt.date(2026, 10, 24), 8.4, 69.0)
    chat.say("6", "1", "1", "8,5")
    text = joined(chat.send("64"))
    assert "64 cm tidak cocok dengan 69 cm yang diukur pada 24 Oktober 2026" in text
    assert "panjang atau tinggi badan Budi" in text  # only the length is asked again
    assert len(measurements(sessions)) == 1
    chat.say("70")
    chat.send("1")
    assert [row.length_cm for row in measurements(sessions)] == [69.0, 70.0]


def test_a_weight_far_below_last_month_is_questioned(sessions: sessionmaker[Session]) -> None:
    chat, _ = mother_with_budi(sessions)
    add_measurement(sessions, dt.date(2026, 10, 24), 8.4, 69.0)
    chat.say("6", "1", "1")
    text = joined(chat.send("6,5"))
    assert "6,5 kg jauh lebih ringan dari 8,4 kg pada 24 Oktober 2026" in text
    assert len(measurements(sessions)) == 1


def test_unreadable_numbers_are_asked_again(sessions: sessionmaker[Session]) -> None:
    chat, _ = mother_with_budi(sessions)
    chat.say("6", "1", "1")
    assert "Mohon ketik berat dalam kg" in joined(chat.send("berat nya lumayan"))
    chat.send("8500 gram")
    assert "Mohon ketik panjang badan dalam cm" in joined(chat.send("panjang"))
    chat.say("70", "1")
    assert [row.weight_kg for row in measurements(sessions)] == [8.5]


def test_gain_at_the_kbm_is_n(sessions: sessionmaker[Session]) -> None:
    chat, _ = mother_with_budi(sessions)
    add_measurement(sessions, dt.date(2026, 10, 24), 8.4, 69.0)
    text = record(chat, "8,7", "70")
    assert "Dibanding 24 Oktober 2026: naik 300 g. Kenaikan minimal (KBM) umur 8 bulan adalah 300 g." in text
    assert "Hasilnya N" in text
    assert cases(sessions) == []


def test_gain_below_the_kbm_is_t_and_opens_a_case_for_the_bidan(sessions: sessionmaker[Session]) -> None:
    chat, _ = mother_with_budi(sessions)
    add_measurement(sessions, dt.date(2026, 10, 24), 8.4, 69.0)
    text = record(chat, "8,5", "70")
    assert "naik 100 g" in text and "Hasilnya T" in text
    assert "Hasil Budi sudah saya teruskan ke Bidan Rina (kasus 1)" in text
    assert "Berat anak dicatat" in text or "N artinya naik" in text  # the not-gaining advice (FAQ)
    [case] = cases(sessions)
    assert (case.topic, case.urgency, case.child_id is not None) == ("growth_not_gaining", "biasa", True)
    assert "24/10/26 8,4 kg 69 cm" in case.summary and "24/11/26 8,5 kg 70 cm" in case.summary
    [alert] = sent_to(sessions, RINA)
    assert "berat badan tidak naik (T/2T)" in alert.body and "BALAS 1" in alert.body


def test_two_months_below_the_kbm_is_2t_and_urgent(sessions: sessionmaker[Session]) -> None:
    chat, _ = mother_with_budi(sessions)
    add_measurement(sessions, dt.date(2026, 9, 24), 8.3)
    add_measurement(sessions, dt.date(2026, 10, 24), 8.35)
    text = record(chat, "8,4", "LEWATI")
    assert "Hasilnya 2T" in text
    [case] = cases(sessions)
    assert (case.topic, case.urgency) == ("growth_not_gaining", "segera")


def test_stunting_opens_a_case_and_tells_the_referral_path_with_bpjs_and_the_facts_about_short_parents(
    sessions: sessionmaker[Session],
) -> None:
    chat, _ = mother_with_budi(sessions)
    text = record(chat, "7,6", "66")
    assert "- Panjang/tinggi menurut umur: lebih pendek dari anak seusianya (pendek)" in text
    assert "bukan diagnosis" in text
    assert "posyandu, lalu puskesmas" in text and "BPJS/JKN" in text
    assert "Buku KIA, KK, NIK, dan kartu BPJS/KIS" in text
    assert "28 hari" in text  # registering a baby in JKN
    assert "Apakah hanya karena orang tuanya pendek?" in text
    assert "penelitian WHO" in text
    [case] = cases(sessions)
    assert (case.topic, case.urgency) == ("growth_stunted", "biasa")
    assert "HAZ -2.38" in case.summary


def test_severe_stunting_is_urgent(sessions: sessionmaker[Session]) -> None:
    chat, _ = mother_with_budi(sessions)
    record(chat, "8,5", "64,5")
    [case] = cases(sessions)
    assert (case.topic, case.urgency) == ("growth_stunted", "segera")


def test_wasting_opens_its_own_case(sessions: sessionmaker[Session]) -> None:
    chat, _ = mother_with_budi(sessions)
    text = record(chat, "7,4", "71,5")
    assert "kurus untuk panjang badannya (gizi kurang)" in text
    [case] = cases(sessions)
    assert (case.topic, case.urgency) == ("growth_wasted", "biasa")


def test_below_the_red_line_opens_its_own_case(sessions: sessionmaker[Session]) -> None:
    chat, _ = mother_with_budi(sessions)
    text = record(chat, "6", "LEWATI")
    assert "di bawah garis merah" in text
    assert "jauh di bawah berat anak seusianya (berat badan sangat kurang)" in text
    [case] = cases(sessions)
    assert (case.topic, case.urgency) == ("growth_bgm", "segera")


def test_a_new_alarm_of_the_same_kind_joins_the_open_case(sessions: sessionmaker[Session]) -> None:
    chat, _ = mother_with_budi(sessions)
    record(chat, "7,6", "66")
    chat.now += dt.timedelta(days=1)
    record(chat, "7,6", "66,2")
    [case] = cases(sessions)
    assert len([entry for entry in case.transcript if "Pengukuran:" in entry["text"]]) == 2
    assert len(sent_to(sessions, RINA)) == 1  # one alert, not two


def test_see_the_chart_from_the_menu(sessions: sessionmaker[Session]) -> None:
    chat, _ = mother_with_budi(sessions)
    assert "Belum ada catatan timbang Budi" in joined(chat.say("6", "2"))
    chat.say("MENU")
    add_measurement(sessions, dt.date(2026, 10, 24), 8.4, 69.0)
    before = sent_to(sessions, chat.phone)[-1].id
    chat.say("6", "2")
    assert [row.media_url is not None for row in sent_to(sessions, chat.phone, before)] == [
        False,
        True,
        False,
    ]


def test_a_mother_without_children_is_told_to_add_one(sessions: sessionmaker[Session]) -> None:
    from tests.desk_support import add_posyandu, register

    add_posyandu(sessions)
    chat = Chat(sessions, "+6281234500177")
    register(chat)
    assert "tambahkan anak dulu di DATA SAYA" in joined(chat.send("6"))


def test_weight_and_length_together_are_checked_again_at_the_end(sessions: sessionmaker[Session]) -> None:
    """Each number alone may fit the age while the pair does not (weight-for-length beyond WHO's limits)."""
    chat, _ = mother_with_budi(sessions)
    chat.say("6", "1", "1")
    assert "berbaring atau berdiri" in joined(chat.send("11,5 kg 60 cm"))
    text = joined(chat.send("1"))
    assert "11,5 kg dengan 60 cm tidak sesuai untuk anak umur 8 bulan" in text
    assert "Berapa berat badan Budi" in text
    assert measurements(sessions) == []
