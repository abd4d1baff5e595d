"""Global keywords: they work at every step of every flow and are never taken as an answer.

A keyword counts only when it is the whole message (typos tolerated), so "saya mau stop menyusui"
does not unsubscribe anybody. ``BIDAN`` may be followed by the question for the bidan. This module
only recognises them (every turn knows its keyword: ``Turn.keyword``); what each one does is
``flows.conversation.keywords``.
"""

from __future__ import annotations

import re

from flows.core.choices import similar, simplify

MENU, HELP, CANCEL, STOP, START, BIDAN, ERASE, PROFILE = (
    "menu",
    "help",
    "cancel",
    "stop",
    "start",
    "bidan",
    "erase",
    "profile",
)

PHRASES: dict[str, tuple[str, ...]] = {
    MENU: ("menu", "0", "menu utama", "kembali ke menu"),
    HELP: ("bantuan", "help", "bantu", "tolong bantu", "petunjuk"),
    CANCEL: ("batal", "batalkan", "cancel", "gak jadi", "ga jadi", "tidak jadi", "nggak jadi", "gk jadi"),
    STOP: ("stop", "berhenti", "unsubscribe", "stop langganan", "berhenti langganan", "jangan kirim lagi"),
    START: ("mulai", "start", "mulai lagi", "langganan lagi"),
    BIDAN: ("bidan", "hubungi bidan", "tanya bidan", "bu bidan", "panggil bidan", "minta bidan"),
    PROFILE: ("data saya", "lihat data", "lihat data saya", "ubah data", "profil saya"),
    ERASE: ("hapus data", "hapus data saya", "hapus semua data", "hapus semua data saya", "hapusdata"),
}
BIDAN_PREFIXES = ("bidan", "tanya bidan", "hubungi bidan", "bu bidan")


def _squeeze(text: str) -> str:
    """Repeated letters once: ``menuu`` → ``menu``, ``stooop`` → ``stop``."""
    return re.sub(r"(.)\1+", r"\1", text)


def detect(text: str) -> str | None:
    """The keyword this message is, or None."""
    message = simplify(text)
    if not message:
        return None
    squeezed = _squeeze(message)
    for keyword, phrases in PHRASES.items():
        if message in phrases or any(squeezed == _squeeze(phrase) for phrase in phrases):
            return keyword
    words = message.split()
    if len(words) == 1:
        for keyword, phrases in PHRASES.items():
            if any(
                " " not in phrase and len(phrase) >= 5 and similar(words[0], phrase) for phrase in phrases
            ):
                return keyword
    if len(words) == 2 and similar(words[0], "hapus") and similar(words[1], "data"):
        return ERASE
    return None


def bidan_question(text: str) -> str:
    """What follows ``BIDAN`` in ``BIDAN anak saya demam`` (empty when nothing follows)."""
    message = simplify(text)
    for prefix in sorted(BIDAN_PREFIXES, key=len, reverse=True):
        if message.startswith(prefix + " "):
            return text.strip()[len(prefix) :].strip(" :,-")
    return ""


def starts_with_bidan(text: str) -> bool:
    return bool(bidan_question(text))
