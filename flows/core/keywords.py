"""Global keywords: they work at every step of every flow and are never taken as an answer.

A keyword counts only when it is the whole message (typos tolerated), so "saya mau stop menyusui"
does not unsubscribe anybody. ``BIDAN`` may be followed by the question for the bidan.
"""

from __future__ import annotations

import re

from flows.conversation.menu import show_menu
from flows.core.choices import similar, simplify
from flows.core.engine import Turn, ask_again, end_flow, start_flow
from flows.registration import privacy
from flows.services import cases
from messages_id import _

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


def handle(turn: Turn, keyword: str) -> None:
    HANDLERS[keyword](turn)


def _menu(turn: Turn) -> None:
    if turn.contact.registered_at is None and turn.contact.role == "ibu":
        turn.say(_("Let's finish your registration first, then the menu opens."))
        if turn.flow:
            ask_again(turn)
        else:
            from flows.registration import flow as registration

            registration.begin(turn)
        return
    end_flow(turn)
    show_menu(turn)


def _help(turn: Turn) -> None:
    turn.say(
        _(
            "You can type these words at any time:\n"
            "MENU - main menu\n"
            "BATAL - cancel what you are doing\n"
            "BIDAN - talk to the village midwife\n"
            "DATA SAYA - see or change your data\n"
            "HAPUS DATA - erase your data\n"
            "STOP - stop all messages (MULAI to start again)\n"
            "In an emergency go straight to the puskesmas or hospital, or call 119."
        )
    )
    ask_again(turn)


def _cancel(turn: Turn) -> None:
    if turn.flow is None:
        turn.say(_("There is nothing to cancel."))
    else:
        end_flow(turn)
        turn.say(_("Cancelled. Nothing was saved from that."))
    if turn.contact.registered_at is not None or turn.contact.role != "ibu":
        show_menu(turn)
    else:
        turn.say(_("Type MULAI whenever you want to register."))


def _stop(turn: Turn) -> None:
    privacy.opt_out(turn, reason="keyword")


def _start(turn: Turn) -> None:
    if turn.contact.is_opted_out:
        privacy.opt_in(turn)
        return
    if turn.flow:
        ask_again(turn)
        return
    from flows.conversation import route as routing

    routing.idle(turn, greet=True)


def _bidan(turn: Turn) -> None:
    cases.ask_for_bidan(turn, question=bidan_question(turn.text))
    if turn.flow:
        ask_again(turn)


def _erase(turn: Turn) -> None:
    resume = {"flow": turn.flow, "step": turn.step, "data": turn.data} if turn.flow else None
    start_flow(turn, "erase", data={"resume": resume})


def _profile(turn: Turn) -> None:
    if turn.contact.registered_at is None:
        _menu(turn)
        return
    start_flow(turn, "profile")


HANDLERS = {
    PROFILE: _profile,
    MENU: _menu,
    HELP: _help,
    CANCEL: _cancel,
    STOP: _stop,
    START: _start,
    BIDAN: _bidan,
    ERASE: _erase,
}
