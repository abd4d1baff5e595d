"""The main menu: its numbered options (declared here, in their order), and what happens to a message
typed while no flow runs: a new mother is registered, anybody else is at the menu.

To add a menu option: one :class:`MenuOption` in ``OPTIONS`` (its number is its place) and its line in
the menu text of :func:`show_menu`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flows.asi import plan as asi
from flows.core.choices import Option, match_option, simplify
from flows.core.engine import Turn, ask_again, start_flow
from flows.growth import flow as growth
from flows.questions import flow as questions
from flows.registration import flow as registration
from messages_id import _


@dataclass(frozen=True)
class MenuOption(Option):
    """A numbered option of the main menu: the words that choose it, and what choosing it starts."""

    start: Callable[[Turn], None]


def _flow(name: str) -> Callable[[Turn], None]:
    return lambda turn: start_flow(turn, name)


OPTIONS = (
    MenuOption(
        "immunization", ("imunisasi", "jadwal imunisasi", "vaksin", "imunisasi anak"), _flow("immunization")
    ),
    MenuOption("question", ("tanya", "pertanyaan", "tanya jawab", "bertanya"), _flow("question")),
    MenuOption("profile", ("data saya", "data", "profil", "data anak"), _flow("profile")),
    MenuOption("bidan", ("hubungi bidan", "bidan"), questions.begin_bidan_question),
    MenuOption("asi", ("asi kerja", "asi bekerja", "asi dan kerja", "asi dan kembali bekerja"), asi.begin),
    MenuOption(
        "growth", ("tumbuh kembang", "catat timbang", "grafik pertumbuhan", "cek perkembangan"), growth.begin
    ),
)
#: Every word that chooses an option (a danger-sign screen leaves these to the menu).
WORDS = tuple(word for option in OPTIONS for word in option.words)

GREETINGS = frozenset(
    "halo hallo helo hai hi hay hey pagi siang sore malam assalamualaikum assalamu alaikum salam "
    "permisi p ping tes test".split()
)
THANKS = frozenset(
    {
        "terima kasih",
        "trima kasih",
        "makasih",
        "makasi",
        "makasih ya",
        "trims",
        "tq",
        "thanks",
        "thank you",
        "matur nuwun",
        "maturnuwun",
        "suwun",
    }
)


def show_menu(turn: Turn) -> None:
    if turn.contact.role != "ibu":
        turn.say(_("You are registered as staff of the posyandu. Type BANTUAN to see what you can do."))
        return
    name = turn.contact.name or ""
    turn.say(
        _(
            "Main menu, Bunda {name}:\n"
            "1. Immunization schedule of my child\n"
            "2. Ask about mother and child health\n"
            "3. My data\n"
            "4. Talk to the bidan\n"
            "5. Breastfeeding and going back to work\n"
            "6. Growth and development of my child\n"
            "Type the number of your choice."
        ).format(name=name)
    )


def _is_greeting(text: str) -> bool:
    words = simplify(text).split()
    return bool(words) and len(words) <= 4 and (words[0] in GREETINGS or " ".join(words[:2]) in THANKS)


#: A message longer than this many words (or a question) chooses an option only by its number or its
#: exact words: "anak sy demam stlh imunisasi normal ga?" is a question, not the schedule.
SHORT_CHOICE_WORDS = 3


def menu_choice(text: str) -> str | None:
    """The option a message typed at the menu chooses, or None (a greeting, a question)."""
    answer = simplify(text)
    if not answer or answer in GREETINGS:
        return None
    words = answer.split()
    if answer.isdigit() or (len(words) <= SHORT_CHOICE_WORDS and "?" not in text):
        return match_option(text, OPTIONS)
    return next((o.value for o in OPTIONS if any(answer == simplify(w) for w in o.words)), None)


def choose(turn: Turn, *, greet: bool = False) -> None:
    """A message typed while no flow runs: a menu choice, a greeting, or a free question."""
    choice = menu_choice(turn.text)
    option = next((option for option in OPTIONS if option.value == choice), None)
    if option is not None:
        option.start(turn)
    elif greet or _is_greeting(turn.text):
        words = simplify(turn.text).split()
        if words and (words[0] in THANKS or " ".join(words[:2]) in THANKS):
            turn.say(_("You're welcome, Bunda. We are glad to help."))
        else:
            turn.say(_("Hello Bunda {name}! Nice to hear from you.").format(name=turn.contact.name or ""))
        show_menu(turn)
    elif "question" in turn.conversation.flows:
        questions.answer_free_text(turn)
    else:
        turn.say(_("Sorry, I did not understand that."))
        show_menu(turn)


def _registering(turn: Turn) -> bool:
    return turn.contact.role == "ibu" and turn.contact.registered_at is None


def registration_or_menu(turn: Turn) -> None:
    """What a contact can do now: a new mother registers, anybody else sees the menu."""
    if _registering(turn):
        registration.begin(turn)
    else:
        show_menu(turn)


def resume(turn: Turn) -> None:
    """After a message the bot could not read: the question again, or what the contact can do."""
    if turn.flow:
        ask_again(turn)
    else:
        registration_or_menu(turn)


def idle(turn: Turn, *, greet: bool = False) -> None:
    """No flow running: register a new mother, otherwise treat the message as a menu choice."""
    if _registering(turn):
        registration.begin(turn)
        return
    choose(turn, greet=greet)
