"""Registration with explicit consent: consent → name → posyandu → children → pregnancy → saved.

Health data is specific personal data (UU 27/2022 PDP), so nothing but the phone number and the
consent decision is stored before the mother has said yes, and her profile is written in one go at
the end: an interrupted registration leaves nothing half-saved.

    consent ─no──▶ (refusal recorded, END)
       │yes
    name → posyandu* → has_child ─yes─▶ child_name → child_sex → child_dob → child_dob_confirm
                           │no                                                     │
                           ▼                         ◀──────── more_children ◀─────┘
                       pregnant ─yes─▶ pregnancy_kind → pregnancy_date
                           │no                              │
                           ▼                                ▼
                         finish ◀────────────────────────────┘
    (* skipped when no posyandu is configured)
"""

from __future__ import annotations

import datetime as dt
from difflib import get_close_matches

from sqlalchemy import func, select

from db.models import Child, Posyandu, Pregnancy
from flows.core.children import explain_date_error, remind_yes_no
from flows.core.choices import Option, clean_name, is_no, is_yes, match_option, simplify
from flows.core.dates import DateError, parse_date
from flows.core.engine import END, MENU, REPEAT, Flow, Next, Step, Turn, start_flow
from flows.registration import child_questions
from flows.registration.privacy import scrub_messages
from flows.registration.summary import summary
from messages_id import _, format_date

MAX_LISTED_POSYANDU = 9
PREGNANCY_DAYS = 300  # a little over 42 weeks


def begin(turn: Turn) -> None:
    """Start (or resume) registration: the consent question, or the name once consent is given."""
    if turn.contact.has_consent:
        start_flow(turn, "registration", step="name")
    else:
        start_flow(turn, "registration")


# -- consent ------------------------------------------------------------------------------------


def ask_consent(turn: Turn) -> None:
    turn.say(
        _(
            "Hello, welcome to posyandu-bot! I help mothers with immunization schedules and reminders, "
            "breastfeeding, child growth and health questions, and I pass urgent questions to the bidan.\n\n"
            "To help you I need to keep your name, your children's data (name, sex, date of birth, "
            "immunizations, weight and height) and your pregnancy. This is health data, protected by "
            "UU 27/2022 on personal data protection. Only the bidan and kader of your posyandu see it, it "
            "is used only for your family's health services, and you can see, change or erase it at any "
            "time (DATA SAYA, HAPUS DATA). Type STOP to stop all messages.\n\n"
            "Do you agree?\n1. Yes, I agree\n2. No"
        )
    )


def answer_consent(turn: Turn) -> Next:
    if is_yes(turn.text) or simplify(turn.text) in {"setuju", "saya setuju", "ya setuju"}:
        turn.contact.consent_given_at = turn.now
        turn.contact.consent_withdrawn_at = None
        turn.contact.consent_refused_at = None
        turn.record("consent_given")
        turn.say(_("Thank you, Bunda."))
        return "name"
    if is_no(turn.text):
        turn.contact.consent_refused_at = turn.now
        turn.record("consent_refused")
        scrub_messages(turn.session, turn.contact.phone or "")
        turn.say(
            _(
                "All right, Bunda. We have stored nothing except your number and your answer. "
                "If you change your mind, type MULAI. In an emergency go straight to the puskesmas or "
                "hospital, or call 119."
            )
        )
        return END
    remind_yes_no(turn)
    return REPEAT


# -- name and posyandu --------------------------------------------------------------------------


def ask_name(turn: Turn) -> None:
    turn.say(_("What is your name, Bunda?"))


def answer_name(turn: Turn) -> Next:
    name = clean_name(turn.text)
    if name is None:
        turn.say(_("Please type your name with letters only, for example: Siti Aminah."))
        return REPEAT
    turn.data["name"] = name
    return "posyandu" if _posyandu_count(turn) else "has_child"


def _posyandu_count(turn: Turn) -> int:
    return turn.session.scalar(select(func.count()).select_from(Posyandu)) or 0


def _posyandu_list(turn: Turn) -> list[Posyandu]:
    return list(turn.session.scalars(select(Posyandu).order_by(Posyandu.name)))


def ask_posyandu(turn: Turn) -> None:
    posyandus = _posyandu_list(turn)
    if len(posyandus) <= MAX_LISTED_POSYANDU:
        lines = "\n".join(
            f"{i}. {p.name}" + (f" ({p.desa})" if p.desa else "") for i, p in enumerate(posyandus, 1)
        )
        turn.say(
            _(
                "Which posyandu do you go to?\n{choices}\nType the number, or TIDAK TAHU if you are not sure."
            ).format(choices=lines)
        )
    else:
        turn.say(_("Which posyandu do you go to? Type its name, or TIDAK TAHU if you are not sure."))


def find_posyandu(turn: Turn, text: str) -> Posyandu | None:
    posyandus = _posyandu_list(turn)
    answer = simplify(text)
    if answer.isdigit() and len(posyandus) <= MAX_LISTED_POSYANDU and 0 < int(answer) <= len(posyandus):
        return posyandus[int(answer) - 1]
    by_name = {simplify(p.name): p for p in posyandus}
    bare = answer.removeprefix("posyandu ").strip()
    for key, posyandu in by_name.items():
        if answer == key or bare == key.removeprefix("posyandu ").strip():
            return posyandu
    close = get_close_matches(answer, list(by_name), n=2, cutoff=0.75)
    if len(close) == 1:
        return by_name[close[0]]
    containing = [p for key, p in by_name.items() if bare and len(bare) >= 4 and bare in key]
    return containing[0] if len(containing) == 1 else None


def answer_posyandu(turn: Turn) -> Next:
    if simplify(turn.text) in {
        "tidak tahu",
        "tdk tahu",
        "gak tahu",
        "ga tau",
        "gak tau",
        "tidak tau",
        "lewati",
    }:
        turn.data["posyandu_id"] = None
        return "has_child"
    posyandu = find_posyandu(turn, turn.text)
    if posyandu is None:
        turn.say(_("I could not find that posyandu."))
        return REPEAT
    turn.data["posyandu_id"] = posyandu.id
    return "has_child"


# -- children -----------------------------------------------------------------------------------


def ask_has_child(turn: Turn) -> None:
    turn.say(_("Do you have a child under 5 years old?\n1. Yes\n2. No"))


def answer_has_child(turn: Turn) -> Next:
    if is_yes(turn.text):
        turn.data.setdefault("children", [])
        return "child_name"
    if is_no(turn.text):
        return "pregnant"
    remind_yes_no(turn)
    return REPEAT


def ask_more_children(turn: Turn) -> None:
    turn.say(_("Do you have another child under 5 years old?\n1. Yes\n2. No"))


def answer_more_children(turn: Turn) -> Next:
    if is_yes(turn.text):
        if len(turn.data.get("children", [])) >= child_questions.MAX_CHILDREN:
            turn.say(
                _("That is as many children as I can register at once. You can add more later in DATA SAYA.")
            )
            return "pregnant"
        return "child_name"
    if is_no(turn.text):
        return "pregnant"
    remind_yes_no(turn)
    return REPEAT


def child_added(turn: Turn) -> Next:
    turn.data.setdefault("children", []).append(turn.data.pop("child"))
    return "more_children"


# -- pregnancy ----------------------------------------------------------------------------------


def ask_pregnant(turn: Turn) -> None:
    turn.say(_("Are you pregnant now?\n1. Yes\n2. No"))


def answer_pregnant(turn: Turn) -> Next:
    if is_yes(turn.text):
        return "pregnancy_kind"
    if is_no(turn.text):
        return finish(turn)
    remind_yes_no(turn)
    return REPEAT


PREGNANCY_KINDS = (
    Option("hpht", ("hpht", "haid terakhir", "hari pertama haid terakhir", "haid")),
    Option("hpl", ("hpl", "perkiraan lahir", "hari perkiraan lahir", "perkiraan")),
    Option("unknown", ("tidak tahu", "tdk tahu", "gak tahu", "ga tau", "gak tau", "tidak tau", "lupa")),
)


def ask_pregnancy_kind(turn: Turn) -> None:
    turn.say(
        _(
            "Which date do you know?\n"
            "1. HPHT, the first day of your last period\n"
            "2. HPL, the expected day of birth (from the bidan or doctor)\n"
            "3. I don't know"
        )
    )


def answer_pregnancy_kind(turn: Turn) -> Next:
    kind = match_option(turn.text, PREGNANCY_KINDS)
    if kind is None:
        turn.say(_("Please type 1, 2 or 3."))
        return REPEAT
    if kind == "unknown":
        turn.data["pregnancy"] = {}
        turn.say(_("No problem. Ask the bidan to estimate it at your next check-up."))
        return finish(turn)
    turn.data["pregnancy_kind"] = kind
    return "pregnancy_date"


def ask_pregnancy_date(turn: Turn) -> None:
    if turn.data.get("pregnancy_kind") == "hpht":
        turn.say(_("What was the first day of your last period? For example: 12-3-2026 or 12 Maret 2026."))
    else:
        turn.say(_("What is the expected day of birth? For example: 12-3-2027 or 12 Maret 2027."))


def answer_pregnancy_date(turn: Turn) -> Next:
    kind = turn.data.get("pregnancy_kind", "hpht")
    try:
        value = parse_date(turn.text, turn.today).value
    except DateError as error:
        explain_date_error(turn, error)
        return REPEAT
    window = dt.timedelta(days=PREGNANCY_DAYS)
    if kind == "hpht" and not (turn.today - window <= value <= turn.today):
        turn.say(
            _("The first day of your last period must be within the last 10 months. Please check the date.")
        )
        return REPEAT
    if kind == "hpl" and not (turn.today - dt.timedelta(days=14) <= value <= turn.today + window):
        turn.say(_("The expected day of birth must be within the next 10 months. Please check the date."))
        return REPEAT
    turn.data["pregnancy"] = {kind: value.isoformat()}
    return finish(turn)


# -- saving -------------------------------------------------------------------------------------


def finish(turn: Turn) -> Next:
    """Write the whole profile at once and show the summary."""
    contact = turn.contact
    contact.name = turn.data.get("name") or contact.name
    if "posyandu_id" in turn.data:
        posyandu_id = turn.data["posyandu_id"]
        contact.posyandu = turn.session.get(Posyandu, posyandu_id) if posyandu_id is not None else None
    for child in turn.data.get("children", []):
        contact.children.append(
            Child(name=child["name"], sex=child["sex"], date_of_birth=dt.date.fromisoformat(child["dob"]))
        )
    pregnancy = turn.data.get("pregnancy")
    if pregnancy is not None:
        contact.pregnancies.append(
            Pregnancy(
                hpht=dt.date.fromisoformat(pregnancy["hpht"]) if "hpht" in pregnancy else None,
                hpl=dt.date.fromisoformat(pregnancy["hpl"]) if "hpl" in pregnancy else None,
            )
        )
    contact.registered_at = turn.now
    turn.session.flush()
    turn.record("registered", children=len(turn.data.get("children", [])), pregnant=pregnancy is not None)
    turn.say(_("Registration is complete. Thank you, Bunda {name}!").format(name=contact.name))
    turn.say(summary(turn))
    return MENU


STEPS = {
    "consent": Step(ask_consent, answer_consent),
    "name": Step(ask_name, answer_name),
    "posyandu": Step(ask_posyandu, answer_posyandu),
    "has_child": Step(ask_has_child, answer_has_child),
    **child_questions.steps(on_done=child_added),
    "more_children": Step(ask_more_children, answer_more_children),
    "pregnant": Step(ask_pregnant, answer_pregnant),
    "pregnancy_kind": Step(ask_pregnancy_kind, answer_pregnancy_kind),
    "pregnancy_date": Step(ask_pregnancy_date, answer_pregnancy_date),
}

REGISTRATION_FLOW = Flow(name="registration", first="consent", steps=STEPS)

__all__ = ["begin", "format_date"]
