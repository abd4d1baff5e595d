"""What the global keywords do (``flows.core.keywords`` recognises them): ``MENU``, ``BANTUAN``,
``BATAL``, ``STOP``, ``MULAI``, ``BIDAN``, ``HAPUS DATA``, ``DATA SAYA``. They win at every step of every
flow and are never taken as an answer."""

from __future__ import annotations

from flows.conversation import menu
from flows.core import keywords
from flows.core.engine import Turn, ask_again, end_flow, start_flow
from flows.questions import flow as questions
from flows.registration import flow as registration
from flows.registration import privacy
from flows.services import cases
from messages_id import _


def offer(turn: Turn) -> bool:
    """A keyword: done here (True); anything else is for the next handler."""
    if turn.keyword is None:
        return False
    handle(turn, turn.keyword)
    return True


def handle(turn: Turn, keyword: str) -> None:
    HANDLERS[keyword](turn)


def _menu(turn: Turn) -> None:
    if turn.contact.registered_at is None and turn.contact.role == "ibu":
        turn.say(_("Let's finish your registration first, then the menu opens."))
        if turn.flow:
            ask_again(turn)
        else:
            registration.begin(turn)
        return
    end_flow(turn)
    menu.show_menu(turn)


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
        menu.show_menu(turn)
    else:
        turn.say(_("Type MULAI whenever you want to register."))


def _stop(turn: Turn) -> None:
    privacy.opt_out(turn, reason="keyword")


def _start(turn: Turn) -> None:
    if turn.contact.is_opted_out:
        privacy.opt_in(turn)
        menu.registration_or_menu(turn)
        return
    if turn.flow:
        ask_again(turn)
        return
    menu.idle(turn, greet=True)


def _bidan(turn: Turn) -> None:
    question = keywords.bidan_question(turn.text)
    if not question and turn.contact.has_consent and turn.contact.role == "ibu":
        questions.begin_bidan_question(turn)  # what she wants to ask first: never an empty case
        return
    cases.ask_for_bidan(turn, question=question)
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
    keywords.PROFILE: _profile,
    keywords.MENU: _menu,
    keywords.HELP: _help,
    keywords.CANCEL: _cancel,
    keywords.STOP: _stop,
    keywords.START: _start,
    keywords.BIDAN: _bidan,
    keywords.ERASE: _erase,
}
