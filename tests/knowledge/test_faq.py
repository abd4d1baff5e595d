"""FAQ answers: every contract topic has good content, questions find it, and other questions are declined."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.knowledge import faq
from messages_id import MAX_MESSAGE_CHARS

DATA = Path(__file__).resolve().parents[1] / "data"
EXAMPLES = Path(__file__).resolve().parents[2] / "messages_id" / "content" / "faq_examples"
OUT_OF_SCOPE = "-"
TOP1_GOAL = 0.9


def contract_topic_ids() -> list[str]:
    lines = (DATA / "faq_topic_ids.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def tuning_rows() -> list[tuple[str, str]]:
    rows = []
    for line in (EXAMPLES / "team_tuning.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            question, expected = line.rsplit("\t", 1)
            rows.append((question, expected))
    return rows


@pytest.mark.parametrize("topic_id", contract_topic_ids())
def test_every_contract_topic_has_a_short_sourced_answer_and_many_examples(topic_id: str) -> None:
    topic = faq.load_topics()[topic_id]
    assert topic.answer is not None
    assert 0 < len(topic.answer) <= 700 < MAX_MESSAGE_CHARS
    assert topic.sources and all(source.strip() for source in topic.sources)
    assert len(set(topic.examples)) >= 25
    assert 0 < len(topic.title) <= 40
    assert faq.topic_title(topic_id) == topic.title
    assert faq.topic_answer(topic_id) == topic.answer


@pytest.mark.parametrize("topic_id", contract_topic_ids())
def test_answers_send_the_mother_to_a_health_worker_or_the_posyandu(topic_id: str) -> None:
    text = faq.topic_answer(topic_id).lower()
    assert any(place in text for place in ("bidan", "puskesmas", "posyandu", "kader", "konselor"))


def test_intents_are_recognised_like_topics_and_have_a_short_reply() -> None:
    topics = faq.load_topics()
    for intent in faq.INTENT_IDS:
        assert topics[intent].is_intent
        assert len(topics[intent].examples) >= 25
        assert 0 < len(faq.topic_answer(intent)) <= 300
    assert faq.answer("bun kapan posyandu lagi bulan ini").topic == "posyandu_jadwal"
    assert faq.answer("sy mau ngomong langsung sama bu bidan").topic == "bidan_hubungi"
    assert faq.answer("makasih banyak ya bunda").topic == "sapaan"
    assert faq.answer("assalamualaikum bun").topic == "sapaan"


#: One fresh paraphrase per topic, written for this test and absent from the content's examples.
FRESH_QUESTIONS = {
    "imunisasi_jadwal": "anakku baru 2 bulan jadwal vaksinnya apa aja ya",
    "imunisasi_efek_samping": "semalem abis imunisasi dpt badan anak panas dan pahanya bengkak",
    "imunisasi_saat_sakit": "anak lagi batuk pilek besok jadwal suntik, tetep berangkat ga",
    "imunisasi_terlambat": "imunisasi anakku bolong 3 bulan harus diulang dari awal kah",
    "imunisasi_halal": "apa benar vaksin itu haram dan ada babinya",
    "imunisasi_tempat_biaya": "vaksin anak di puskesmas bayar ga bun",
    "asi_eksklusif": "bayi 3 bulan boleh dikasih air putih dikit ga",
    "asi_perah_cara": "cara merah asi pake tangan yg bener gmn",
    "asi_perah_simpan": "asip di freezer kulkas 2 pintu tahan brp bulan",
    "asi_perah_pemberian": "asip beku gimana cara ngangetinnya sebelum dikasih ke bayi",
    "asi_kerja_hak": "kantor wajib kasih cuti melahirkan berapa bulan",
    "asi_produksi_sedikit": "asiku dikit bgt gimana cara biar banyak",
    "asi_payudara_masalah": "puting lecet perih banget tiap nyusuin",
    "mpasi_mulai": "bayi udah 6 bln mulai mpasi pake apa dulu",
    "stunting_pengertian": "stunting itu maksudnya apa sih",
    "stunting_penyebab": "apa aja penyebab anak jadi stunting",
    "stunting_pencegahan": "gimana cara cegah stunting dari hamil",
    "stunting_cek": "cara tau anak stunting apa enggak gimana",
    "stunting_mitos_keturunan": "anak pendek karena bapaknya pendek itu keturunan kan",
    "stunting_rujukan_bpjs": "anak mau dirujuk ke rumah sakit pake bpjs syaratnya apa",
    "gizi_susah_makan": "anak 2 thn gtm ga mau makan nasi sama sekali",
    "berat_badan_tidak_naik": "bb anakku ga naik 2 bulan berturut turut",
    "posyandu_layanan": "di posyandu ada layanan apa aja selain nimbang",
    "hamil_pemeriksaan": "periksa kehamilan harus berapa kali selama hamil",
    "hamil_gizi_ttd": "tablet tambah darah buat bumil diminum kapan",
    "kb_pascapersalinan": "abis lahiran enaknya pasang kb apa yg ga ganggu asi",
    "bab_bayi": "bayi asi eek nya ijo encer gitu wajar ga",
    "demam_anak": "ngukur suhu anak pake termometer ketiak yg bener gmn",
    "batuk_pilek": "anak 1 thn pilek hidung mampet susah tidur diapain ya",
    "tumbuh_gigi": "umur brp sih gigi pertama bayi keluar",
    "perkembangan_anak": "anak 10 bulan belum bisa merangkak telat ga",
    "tidur_bayi": "bayi tidur tengkurap bahaya ga bun",
    "gizi_ibu_menyusui": "ibu menyusui pantang makan ikan laut bener ga",
    "mpasi_menu": "porsi makan anak 9 bulan sekali makan berapa sendok",
}


def test_every_contract_topic_has_a_fresh_paraphrase() -> None:
    assert set(FRESH_QUESTIONS) == set(contract_topic_ids())


@pytest.mark.parametrize(("topic_id", "question"), sorted(FRESH_QUESTIONS.items()))
def test_a_fresh_paraphrase_gets_its_topics_answer(topic_id: str, question: str) -> None:
    assert question not in faq.load_topics()[topic_id].examples
    result = faq.answer(question)
    assert result.topic == topic_id
    assert result.answer == faq.topic_answer(topic_id)
    assert result.matches[0].topic == topic_id
    assert len(result.matches) <= 3
    assert [m.score for m in result.matches] == sorted((m.score for m in result.matches), reverse=True)


def test_a_greeting_before_a_question_does_not_hide_the_question() -> None:
    assert (
        faq.answer("assalamualaikum bun, mau tanya asip di kulkas tahan brp lama").topic == "asi_perah_simpan"
    )
    assert faq.answer("makasih bun. trus kalau mpasi pertama apa ya").topic == "mpasi_mulai"
    assert faq.answer("makasih banyak bun").topic == "sapaan"


def test_typos_and_slang_still_find_the_topic() -> None:
    assert faq.answer("asip dikulkas tahan brp hr").topic == "asi_perah_simpan"
    assert faq.answer("imunsiasi campak umur brp").topic == "imunisasi_jadwal"
    assert faq.answer("bayi sy blm netek trs asi seret").topic == "asi_produksi_sedikit"


@pytest.mark.parametrize(
    "question",
    [
        "harga cabai rawit di pasar berapa",
        "siapa yang menang pilpres",
        "jadwal bus damri ke bandara",
        "hp xiaomi murah yang bagus",
        "skor persija semalam",
        "resep ayam geprek",
        "cara main free fire",
        "pinjol yang aman apa",
        # each shares a word with a topic; the question as a whole is not about health
        "jual motor bekas",
        "cara daftar kartu prakerja",
        "nama bayi islami yang bagus",
        "jual asi booster murah",
        "jadwal vaksin kucing",
    ],
)
def test_questions_outside_mother_and_child_health_are_declined_kindly(question: str) -> None:
    result = faq.answer(question)
    assert result.topic is None
    assert result.matches == []
    assert not result.is_confident
    assert result.answer == faq.out_of_scope_answer()
    assert "kesehatan ibu dan anak" in result.answer


def test_empty_or_stopword_only_questions_are_declined() -> None:
    assert faq.answer("").topic is None
    assert faq.answer("apa ya bun").topic is None


def test_top1_accuracy_on_the_tuning_split_meets_the_goal() -> None:
    in_scope = [(q, t) for q, t in tuning_rows() if t != OUT_OF_SCOPE]
    right = sum(faq.answer(q).topic == t for q, t in in_scope)
    assert right / len(in_scope) >= TOP1_GOAL


def test_out_of_scope_questions_of_the_tuning_split_are_mostly_declined() -> None:
    out_scope = [q for q, t in tuning_rows() if t == OUT_OF_SCOPE]
    declined = sum(faq.answer(q).topic is None for q in out_scope)
    assert declined / len(out_scope) >= 0.75


def test_a_clear_question_is_answered_outright_and_a_vague_one_offers_a_choice() -> None:
    assert faq.answer("asip di kulkas tahan berapa hari").is_confident
    vague = faq.answer("imunisasi bayi")
    assert vague.topic is not None and not vague.is_confident
    assert len(vague.matches) == 3
