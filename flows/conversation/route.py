"""Where a message goes: opt-out gate, unreadable input, the bidan's desk, keywords, danger-sign
triage (``flows.safety``), the running flow, or the menu."""

from __future__ import annotations

from db.models import Role
from flows.bidan import desk as bidan_desk
from flows.conversation import menu
from flows.core import keywords
from flows.core.choices import simplify
from flows.core.engine import LONG_MESSAGE_CHARS, Turn, answer_current_step, ask_again
from flows.kader import desk as kader_desk
from flows.registration import flow as registration
from flows.services import safety
from messages_id import _

# Flows register themselves with the engine when imported.
from flows.asi import plan as asi, calculators as asi_calc, checkin as asi_checkin  # noqa: F401  isort: skip
from flows.registration import erase, profile  # noqa: F401  isort: skip
from flows.questions import flow as questions  # noqa: F401  isort: skip
from flows.growth import development, flow as growth_flow, kader as growth_kader  # noqa: F401  isort: skip
from flows.immunization import flow as immunization_flow  # noqa: F401  isort: skip
from flows.kader import schedule as posyandu_jadwal  # isort: skip


def route(turn: Turn, *, expired: bool) -> None:
    contact = turn.contact
    keyword = keywords.detect(turn.text)
    if contact.is_opted_out:
        # Nothing is sent to an opted-out contact except the answer to MULAI.
        if keyword == keywords.START:
            keywords.handle(turn, keyword)
        elif keyword is None:
            safety.screen_opted_out(turn)  # a danger sign is answered even after STOP
        return
    if expired and turn.flow is None and contact.registered_at is not None:
        turn.say(_("It has been a while since we last talked, so let's start from the menu."))
    if not turn.text:
        if turn.message.num_media:
            turn.say(_("Thank you. I can only read text messages, not pictures, voice notes or files."))
        else:
            turn.say(_("Your message was empty."))
        _continue(turn)
        return
    if len(turn.text) > LONG_MESSAGE_CHARS:
        if not safety.screen(turn):  # a danger sign is heard even in a long message
            turn.say(_("Your message is very long. Please write it shorter, in one or two sentences."))
            _continue(turn)
        return
    if not simplify(turn.text):
        turn.say(_("I can only read words and numbers, not emoji."))
        _continue(turn)
        return
    if kader_desk.intercept(turn, keyword):  # kader commands; refused to anybody else
        return
    if growth_kader.is_weigh_command(turn.text) and keyword is None:
        growth_kader.handle(turn)
        return
    if contact.role == Role.BIDAN and bidan_desk.handle(turn, keyword):
        return
    if keyword:
        keywords.handle(turn, keyword)
    elif posyandu_jadwal.is_command(turn.text):
        posyandu_jadwal.handle(turn)
    elif safety.screen(turn) or bidan_desk.refuse(turn):
        pass  # a danger sign (or a desk command from a non-bidan) was answered
    elif contact.registered_at is not None and (asi_command := asi_calc.command(turn.text)):
        asi_calc.handle(turn, asi_command)
    elif asi_checkin.claim_reply(turn) or development.claim_reply(turn):
        pass
    elif turn.flow:
        answer_current_step(turn)
    elif keywords.starts_with_bidan(turn.text):
        keywords.handle(turn, keywords.BIDAN)
    else:
        idle(turn)


def _continue(turn: Turn) -> None:
    """After an unreadable message: repeat the question, or say what the user can do."""
    if turn.flow:
        ask_again(turn)
    elif turn.contact.registered_at is None and turn.contact.role == "ibu":
        registration.begin(turn)
    else:
        menu.show_menu(turn)


def idle(turn: Turn, *, greet: bool = False) -> None:
    """No flow running: register a new mother, otherwise treat the message as a menu choice."""
    contact = turn.contact
    if contact.role == "ibu" and contact.registered_at is None:
        registration.begin(turn)
        return
    menu.choose(turn, greet=greet)
