"""Text normalisation: the way mothers type becomes plain standard words for matching."""

from __future__ import annotations

import pytest

from flows.knowledge.textnorm import normalize, tokens


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Anakku PANAS!!! 😭😭", "anak saya panas"),
        ("panaaas bgt", "panas banget"),
        ("maaaf bu, saaat ini", "maaf bu saat ini"),
        ("tolooong sakiiit", "tolong sakit"),
        ("tingggi badan", "tinggi badan"),
        ("kejang2", "kejang kejang"),
        ("kejang-kejang", "kejang kejang"),
        ("ibu2 posyandu", "ibu ibu posyandu"),
        ("dd gk mau nenen", "adik tidak mau nenen"),
        ("ga bs minum", "tidak bisa minum"),
        ("nggak ndak ora tdk enggak", "tidak tidak tidak tidak tidak"),
        ("sy udh ke pkm tp blm", "saya sudah ke puskesmas tapi belum"),
        ("yg dgn krn jg utk", "yang dengan karena juga untuk"),
        ("knp gmn brp", "kenapa bagaimana berapa"),
        ("aq sm adek", "saya sama adik"),
    ],
)
def test_slang_stretching_and_reduplication_become_standard_words(typed: str, expected: str) -> None:
    assert normalize(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("suhu 38,5", "suhu 38.5"),
        ("38.5 derajat", "38.5 derajat"),
        ("tiga puluh delapan koma lima", "38.5"),
        ("dua belas hari", "12 hari"),
        ("seratus dua puluh", "120"),
        ("satu setengah tahun", "1.5 tahun"),
        ("berat lahir 2.500 gram", "berat lahir 2500 gram"),
        ("umur 2bln demam 3hr", "umur 2 bulan demam 3 hari"),
        ("panas 39c", "panas 39 derajat"),
        ("muntah 5x", "muntah 5 kali"),
        ("demam seminggu", "demam 1 minggu"),
        ("tensi 160/110", "tensi 160/110"),
        ("1 th 2 bln", "1 tahun 2 bulan"),
    ],
)
def test_numbers_are_digits_with_a_decimal_point(typed: str, expected: str) -> None:
    assert normalize(typed) == expected


def test_bb_is_berat_badan_only_next_to_weight_words() -> None:
    assert normalize("bb anak sy 8,5kg") == "berat badan anak saya 8.5 kg"
    assert normalize("bb nya naik") == "berat badan nya naik"
    assert normalize("bbnya turun") == "berat badannya turun"
    assert normalize("hp bb lama") == "hp bb lama"


def test_vitamin_c_stays_a_vitamin_but_39_c_is_degrees() -> None:
    assert normalize("vitamin c") == "vitamin c"
    assert normalize("suhu 39 c") == "suhu 39 derajat"


def test_vaccine_codes_are_not_read_as_reduplication() -> None:
    assert normalize("pcv2 dpt3 opv1 hb0") == "pcv2 dpt3 opv1 hb0"


@pytest.mark.parametrize(
    "text",
    [
        "Anakku panaaas bgt 38,5 😭",
        "kejang2 mata mendelik",
        "tiga puluh delapan koma lima",
        "bb anak sy 8kg",
        "maaaaf bu dd gk mau nenen",
        "satu setengah tahun",
        "sehari 3x",
    ],
)
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


def test_tokens_are_the_normalised_words() -> None:
    assert tokens("Dd GK mau nenen!!") == ["adik", "tidak", "mau", "nenen"]
    assert tokens("") == []
    assert tokens("😭😭 !!!") == []
