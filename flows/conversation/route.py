"""The conversation: which flows exist, and the order in which a message is offered to the handlers.

Every message goes down ``ROUTE``; the first handler that takes it (returns True) answers it and the
rest never see it. The order is the design: the opt-out gate first, unreadable messages next, the
staff's commands before the global keywords (a bidan's messages are never a mother's), the keywords
before the danger-sign screen (``MENU`` always works), the screen before the running flow (a danger
sign is never taken as an answer), and the menu last.

To add a kader command: one :class:`~flows.core.commands.Command` in ``KADER_COMMANDS`` (declared by the
feature that runs it). A new kind of message (a keyword of a feature, a reply to something the
scheduler sent) is one ``Handler`` in ``ROUTE``, in its place; a new flow is one entry in ``FLOWS``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from db.models import Contact
from flows.announcements import commands as announcements
from flows.announcements import compose as announcement_compose
from flows.asi import calculators as asi_calculators
from flows.asi import checkin as asi_checkin
from flows.asi import plan as asi_plan
from flows.bidan import desk as bidan_desk
from flows.conversation import keywords, menu
from flows.core import engine
from flows.core.choices import simplify
from flows.core.commands import Command
from flows.core.engine import LONG_MESSAGE_CHARS, Conversation, Flow, Turn, answer_current_step
from flows.core.keywords import BIDAN, START, starts_with_bidan
from flows.core.messages import Incoming, Outgoing
from flows.core.settings import FlowSettings
from flows.growth import development
from flows.growth import flow as growth
from flows.growth import kader as growth_kader
from flows.immunization import flow as immunization
from flows.kader import desk as kader_desk
from flows.kader import schedule as posyandu_schedule
from flows.questions import flow as questions
from flows.registration import erase, profile
from flows.registration import flow as registration
from flows.services import safety
from messages_id import _

#: Every flow, by the name stored in ``conversation_state`` (never rename one without a migration).
FLOWS: dict[str, Flow] = {
    flow.name: flow
    for flow in (
        registration.REGISTRATION_FLOW,
        profile.PROFILE_FLOW,
        erase.ERASE_FLOW,
        immunization.IMMUNIZATION_FLOW,
        questions.QUESTION_FLOW,
        asi_plan.ASI_FLOW,
        asi_calculators.COUNT_FLOW,
        asi_calculators.STORE_FLOW,
        asi_checkin.CHECKIN_FLOW,
        growth.GROWTH_FLOW,
        development.DEVELOPMENT_FLOW,
        announcement_compose.ANNOUNCEMENT_FLOW,
    )
}

#: The kader's commands, in the order their words are tried (``flows.kader.desk`` dispatches them).
KADER_COMMANDS: tuple[Command, ...] = (
    announcements.UMUMKAN,
    announcements.LAPORAN,
    announcements.BATALKAN,
    kader_desk.SASARAN,
)


@dataclass(frozen=True)
class Handler:
    """One place in the route: ``handle`` answers the message and returns True, or leaves it (False)."""

    name: str
    handle: Callable[[Turn], bool]


# -- the conversation's own handlers --------------------------------------------------------------


def opted_out(turn: Turn) -> bool:
    """Nothing is sent to an opted-out contact except the answer to MULAI (and danger-sign advice)."""
    if not turn.contact.is_opted_out:
        return False
    if turn.keyword == START:
        keywords.handle(turn, START)
    elif turn.keyword is None:
        safety.screen_opted_out(turn)  # a danger sign is answered even after STOP
    return True


def welcome_back(turn: Turn) -> bool:
    """Her conversation had expired: say so, and let the message go on."""
    if turn.expired and turn.flow is None and turn.contact.registered_at is not None:
        turn.say(_("It has been a while since we last talked, so let's start from the menu."))
    return False


def no_text(turn: Turn) -> bool:
    if turn.text:
        return False
    if turn.message.num_media:
        turn.say(_("Thank you. I can only read text messages, not pictures, voice notes or files."))
    else:
        turn.say(_("Your message was empty."))
    menu.resume(turn)
    return True


def danger_signs(turn: Turn) -> bool:
    """The danger-sign screen of a mother's message (``flows.services.safety``)."""
    command = turn.contact.registered_at is not None and asi_calculators.command(turn.text) is not None
    return safety.screen(turn, menu_words=menu.WORDS, command=command)


def too_long(turn: Turn) -> bool:
    if len(turn.text) <= LONG_MESSAGE_CHARS:
        return False
    if not danger_signs(turn):  # a danger sign is heard even in a long message
        turn.say(_("Your message is very long. Please write it shorter, in one or two sentences."))
        menu.resume(turn)
    return True


def no_words(turn: Turn) -> bool:
    if simplify(turn.text):
        return False
    turn.say(_("I can only read words and numbers, not emoji."))
    menu.resume(turn)
    return True


def kader_commands(turn: Turn) -> bool:
    return kader_desk.offer(turn, KADER_COMMANDS)


def running_flow(turn: Turn) -> bool:
    """The answer to the question of the flow she is in."""
    if not turn.flow:
        return False
    answer_current_step(turn)
    return True


def bidan_with_question(turn: Turn) -> bool:
    """``BIDAN anak saya demam`` outside any flow: the keyword with her question."""
    if not starts_with_bidan(turn.text):
        return False
    keywords.handle(turn, BIDAN)
    return True


def at_the_menu(turn: Turn) -> bool:
    menu.idle(turn)
    return True


ROUTE: tuple[Handler, ...] = (
    Handler("opted out: only MULAI, and a danger sign", opted_out),
    Handler("back after a long pause (said, then on)", welcome_back),
    Handler("no text: a picture, a voice note, nothing", no_text),
    Handler("too long (a danger sign is still heard)", too_long),
    Handler("emoji only", no_words),
    Handler("kader commands (refused to anybody else)", kader_commands),
    Handler("the text of the announcement a kader is writing", announcements.offer_text),
    Handler("TIMBANG (refused to anybody but a kader)", growth_kader.offer),
    Handler("the bidan's desk: all her messages", bidan_desk.offer),
    Handler("global keywords", keywords.offer),
    Handler("JADWAL", posyandu_schedule.offer),
    Handler("danger signs", danger_signs),
    Handler("a bidan's command typed by somebody else", bidan_desk.refuse),
    Handler("HITUNG ASIP, SIMPAN ASIP, ASI KERJA", asi_calculators.offer),
    Handler("the answer to an ASI check-in", asi_checkin.claim_reply),
    Handler("YA to a development check invitation", development.claim_reply),
    Handler("the running flow", running_flow),
    Handler("BIDAN <question>", bidan_with_question),
    Handler("the menu, or registration for a new mother", at_the_menu),
)


def route(turn: Turn) -> None:
    for handler in ROUTE:
        if handler.handle(turn):
            return


CONVERSATION = Conversation(flows=FLOWS, route=route, home=menu.show_menu, idle=menu.idle)


def handle(
    session: Session, contact: Contact, message: Incoming, *, now: dt.datetime, settings: FlowSettings
) -> list[Outgoing]:
    """Handle one message from ``contact``; returns the messages to send (the inbox enqueues them)."""
    return engine.handle(session, contact, message, now=now, settings=settings, conversation=CONVERSATION)
