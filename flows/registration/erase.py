"""``HAPUS DATA``: confirm, then erase (or go back to where the mother was)."""

from __future__ import annotations

from flows.core.choices import simplify
from flows.core.engine import END, MENU, REPEAT, Flow, Jump, Next, Step, Turn
from flows.registration import privacy
from messages_id import _

CONFIRM_WORDS = {"ya hapus", "hapus", "ya", "iya hapus", "ya hapus data", "hapus data", "yes hapus"}
KEEP_WORDS = {"tidak", "tdk", "gak", "ga", "nggak", "jangan", "batal", "tidak jadi", "no", "2"}


def ask_confirm(turn: Turn) -> None:
    turn.say(
        _(
            "Are you sure? All your data and your children's data (immunizations, growth, questions) will "
            "be erased and cannot be restored.\n"
            "Type YA HAPUS to erase, or TIDAK to keep your data."
        )
    )


def answer_confirm(turn: Turn) -> Next:
    answer = simplify(turn.text)
    if answer in CONFIRM_WORDS:
        privacy.erase(turn)
        return END
    if answer in KEEP_WORDS:
        turn.say(_("Your data is kept."))
        resume = turn.data.get("resume")
        if resume:
            return Jump(resume["flow"], resume["step"], resume["data"])
        return MENU if turn.contact.registered_at else END
    turn.say(_("Please type YA HAPUS to erase, or TIDAK to keep your data."))
    return REPEAT


ERASE_FLOW = Flow(name="erase", first="confirm", steps={"confirm": Step(ask_confirm, answer_confirm)})
