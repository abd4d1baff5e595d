"""The main menu: numbered choices, and what happens to free text typed at the menu."""

from __future__ import annotations

from flows.core.choices import Option, match_option, simplify
from flows.core.engine import FLOWS, Turn, start_flow
from flows.services import cases
from messages_id import _

IMMUNIZATION, QUESTION, PROFILE, BIDAN, ASI = "immunization", "question", "profile", "bidan", "asi"
GROWTH = "growth"

OPTIONS = (
    Option(IMMUNIZATION, ("imunisasi", "jadwal imunisasi", "vaksin", "imunisasi anak")),
    Option(QUESTION, ("tanya", "pertanyaan", "tanya jawab", "bertanya")),
    Option(PROFILE, ("data saya", "data", "profil", "data anak")),
    Option(BIDAN, ("hubungi bidan", "bidan")),
    Option(ASI, ("asi kerja", "asi bekerja", "asi dan kerja", "asi dan kembali bekerja")),
    Option(GROWTH, ("tumbuh kembang", "catat timbang", "grafik pertumbuhan", "cek perkembangan")),
)

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


def choose(turn: Turn, *, greet: bool = False) -> None:
    """A message typed while no flow runs: a menu choice, a greeting, or a free question."""
    choice = match_option(turn.text, OPTIONS) if simplify(turn.text) not in GREETINGS else None
    if choice == PROFILE:
        start_flow(turn, "profile")
    elif choice == BIDAN:
        cases.ask_for_bidan(turn, question="")
    elif choice == ASI:
        from flows.asi import plan as asi

        asi.begin(turn)
    elif choice == GROWTH:
        from flows.growth import flow as growth_flow

        growth_flow.begin(turn)
    elif choice == IMMUNIZATION and "immunization" in FLOWS:
        start_flow(turn, "immunization")
    elif choice == QUESTION and "question" in FLOWS:
        start_flow(turn, "question")
    elif greet or _is_greeting(turn.text):
        words = simplify(turn.text).split()
        if words and (words[0] in THANKS or " ".join(words[:2]) in THANKS):
            turn.say(_("You're welcome, Bunda. We are glad to help."))
        else:
            turn.say(_("Hello Bunda {name}! Nice to hear from you.").format(name=turn.contact.name or ""))
        show_menu(turn)
    elif "question" in FLOWS:
        from flows.questions import flow as questions

        questions.answer_free_text(turn)
    else:
        turn.say(_("Sorry, I did not understand that."))
        show_menu(turn)
