"""``DATA SAYA``: the mother sees her data and changes or deletes parts of it."""

from __future__ import annotations

import datetime as dt

from db.models import Child
from flows.core.children import remind_yes_no
from flows.core.choices import Option, clean_name, is_no, is_yes, match_option, simplify
from flows.core.engine import MENU, REPEAT, Flow, Jump, Next, Step, Turn
from flows.registration import child_questions
from flows.registration import flow as registration
from flows.registration.summary import summary
from messages_id import _

ACTIONS = (
    Option("name", ("ubah nama", "nama", "ganti nama")),
    Option("add_child", ("tambah anak", "tambah", "anak baru")),
    Option("remove_child", ("hapus anak", "hapus data anak", "kurangi anak")),
    Option("posyandu", ("ganti posyandu", "posyandu", "ubah posyandu", "pindah posyandu")),
    Option("erase", ("hapus semua", "hapus semua data", "hapus data")),
)


def ask_overview(turn: Turn) -> None:
    turn.say(summary(turn))
    turn.say(
        _(
            "What would you like to do?\n"
            "1. Change my name\n"
            "2. Add a child\n"
            "3. Remove a child\n"
            "4. Change posyandu\n"
            "5. Erase all my data\n"
            "Type MENU to go back."
        )
    )


def answer_overview(turn: Turn) -> Next:
    action = match_option(turn.text, ACTIONS)
    if action is None:
        turn.say(_("Please type a number from 1 to 5."))
        return REPEAT
    if action == "erase":
        return Jump("erase")
    if action == "remove_child" and not turn.contact.children:
        turn.say(_("There are no children registered."))
        return REPEAT
    if action == "add_child" and len(turn.contact.children) >= child_questions.MAX_CHILDREN:
        turn.say(_("That is as many children as I can register."))
        return REPEAT
    if action == "add_child":
        return "child_name"
    return action


def ask_name(turn: Turn) -> None:
    turn.say(_("What is your name, Bunda?"))


def answer_name(turn: Turn) -> Next:
    name = clean_name(turn.text)
    if name is None:
        turn.say(_("Please type your name with letters only, for example: Siti Aminah."))
        return REPEAT
    turn.contact.name = name
    turn.record("profile_changed", field="name")
    return _done(turn)


def child_added(turn: Turn) -> Next:
    child = turn.data.pop("child")
    turn.contact.children.append(
        Child(name=child["name"], sex=child["sex"], date_of_birth=dt.date.fromisoformat(child["dob"]))
    )
    turn.session.flush()
    turn.record("child_added")
    return _done(turn)


def ask_remove_child(turn: Turn) -> None:
    names = "\n".join(f"{n}. {c.name}" for n, c in enumerate(turn.contact.children, 1))
    turn.say(_("Which child's data should be removed?\n{children}").format(children=names))


def answer_remove_child(turn: Turn) -> Next:
    answer = simplify(turn.text)
    kids = turn.contact.children
    chosen = None
    if answer.isdigit() and 0 < int(answer) <= len(kids):
        chosen = kids[int(answer) - 1]
    else:
        named = [c for c in kids if simplify(c.name) == answer]
        chosen = named[0] if len(named) == 1 else None
    if chosen is None:
        turn.say(_("Please type the number of the child."))
        return REPEAT
    turn.data["child_id"] = chosen.id
    return "remove_child_confirm"


def _chosen_child(turn: Turn) -> Child | None:
    return next((c for c in turn.contact.children if c.id == turn.data.get("child_id")), None)


def ask_remove_child_confirm(turn: Turn) -> None:
    child = _chosen_child(turn)
    turn.say(
        _("Remove {name} and all of {name}'s data?\n1. Yes, remove\n2. No").format(
            name=child.name if child else ""
        )
    )


def answer_remove_child_confirm(turn: Turn) -> Next:
    child = _chosen_child(turn)
    if is_yes(turn.text) and child is not None:
        turn.contact.children.remove(child)
        turn.session.flush()
        turn.record("child_removed")
        return _done(turn)
    if is_no(turn.text) or child is None:
        turn.say(_("Nothing was removed."))
        return _done(turn)
    remind_yes_no(turn)
    return REPEAT


def answer_posyandu(turn: Turn) -> Next:
    posyandu = registration.find_posyandu(turn, turn.text)
    if posyandu is None:
        turn.say(_("I could not find that posyandu."))
        return REPEAT
    turn.contact.posyandu_id = posyandu.id
    turn.session.flush()
    turn.session.refresh(turn.contact, ["posyandu"])
    turn.record("profile_changed", field="posyandu")
    return _done(turn)


def _done(turn: Turn) -> Next:
    turn.say(_("Saved."))
    turn.say(summary(turn))
    return MENU


STEPS = {
    "overview": Step(ask_overview, answer_overview),
    "name": Step(ask_name, answer_name),
    **child_questions.steps(on_done=child_added),
    "remove_child": Step(ask_remove_child, answer_remove_child),
    "remove_child_confirm": Step(ask_remove_child_confirm, answer_remove_child_confirm),
    "posyandu": Step(registration.ask_posyandu, answer_posyandu),
}

PROFILE_FLOW = Flow(name="profile", first="overview", steps=STEPS)
