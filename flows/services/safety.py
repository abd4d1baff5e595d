"""Danger signs first: every free-text message of a mother is triaged before any flow reads it.

``screen`` runs in ``flows.conversation.route`` after the global keywords and before the running flow:

- ``darurat``: immediate advice (the triage core's texts: go now, what to bring, 119, each sign's first
  aid; then who was alerted and that this is no diagnosis), a ``triage_darurat`` case opened or joined, the bidan of her posyandu alerted at
  once with the child's details and the message (no bidan on record: the posyandu's backup phone), and
  the question of the flow she was in asked again. The message is not taken as an answer.
- ``segera``: advice to see the bidan within 24 hours, a ``triage_segera`` case opened straight away
  (she is told its number), and the flow's question again. A numbered "open a case? 1/2" offer would
  compete with the running flow's own numbered answers, so the case is opened without asking.
- anything else joins her open cases' transcripts; when a case is already in conversation with a bidan
  (answered, or darurat), free text typed outside any flow is forwarded to that bidan.

The child's age changes the meaning (any fever under 2 months is darurat), so the youngest child's age
is used: with several children that is the safest reading; the message is also read without it, so the
mother's own signs still count (see ``assess``). Pregnancy is passed only when known (a registered
pregnancy, or one given during registration); otherwise the triage core considers both.

Safety exception to opt-out: a mother who typed STOP is otherwise sent nothing, but a ``darurat``
message still gets the advice (sent past the opt-out) and still alerts her bidan; nothing else is sent
to her (no check-back). Without consent no case is opened and nobody is alerted (nothing about her
health is stored), but the advice is given all the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from db.models import Case, Child, Contact, Event, Role
from flows.core import keywords
from flows.core.choices import simplify
from flows.core.engine import Turn, ask_again
from flows.core.messages import Outgoing
from flows.knowledge import faq
from flows.knowledge.triage import advice_for, level_of, rules, triage
from flows.services import case_alerts, cases
from messages_id import _

DARURAT, SEGERA = case_alerts.DARURAT, case_alerts.SEGERA
TOPICS = {DARURAT: "triage_darurat", SEGERA: "triage_segera"}
#: (flow, step) that ask for symptoms and triage the answer themselves (with the child's age): there the
#: message is read as the step reads it, a ``segera`` answer is left to the step (one case, one alert)
#: and only a ``darurat`` one is handled here first.
SELF_TRIAGED_STEPS = frozenset({("asi_checkin", "breast")})


# -- who is she, for the triage ----------------------------------------------------------------


def _registration_children(turn: Turn) -> list[dict[str, str]]:
    if turn.flow != "registration":
        return []
    listed = [c for c in turn.data.get("children", []) if isinstance(c, dict)]
    current = turn.data.get("child")
    return [*listed, current] if isinstance(current, dict) else listed


def youngest_birth_date(turn: Turn) -> dt.date | None:
    """The youngest child's date of birth, from her profile or from the registration under way."""
    dates = [c.date_of_birth for c in turn.contact.children]
    dates += [dt.date.fromisoformat(c["dob"]) for c in _registration_children(turn) if c.get("dob")]
    return max(dates, default=None)


def youngest_child(turn: Turn) -> Child | None:
    return max(turn.contact.children, key=lambda c: c.date_of_birth, default=None)


def is_pregnant(turn: Turn) -> bool:
    if turn.flow == "registration" and turn.data.get("pregnancy") is not None:
        return True
    return any(
        p.ended_at is None and (p.hpl is None or p.hpl >= turn.today) for p in turn.contact.pregnancies
    )


def posyandu_id(turn: Turn) -> int | None:
    if turn.contact.posyandu_id is None and turn.flow == "registration":
        chosen = turn.data.get("posyandu_id")
        return int(chosen) if chosen else None
    return turn.contact.posyandu_id


def mother_name(turn: Turn) -> str | None:
    """Her name, also when it was given during the registration under way."""
    given = turn.data.get("name") if turn.flow == "registration" else None
    return turn.contact.name or (str(given) if given else None)


def about_text(turn: Turn) -> str:
    """The children (and a pregnancy) as the bidan reads them in an alert."""
    parts = [
        case_alerts.child_text(c.name, c.sex, c.date_of_birth, turn.today) for c in turn.contact.children
    ]
    parts += [
        case_alerts.child_text(
            c.get("name", "-"), c.get("sex", "-"), dt.date.fromisoformat(c["dob"]), turn.today
        )
        for c in _registration_children(turn)
        if c.get("dob")
    ]
    if is_pregnant(turn):
        parts.append(_("pregnant"))
    return ", ".join(parts)


# -- the screen --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    level: str
    signs: list[str]
    advice: str
    kind: str = "now"


def assess(turn: Turn, *, both_ways: bool = True) -> Assessment:
    """The triage core's reading of her message, with her youngest child's age and a known pregnancy.

    The age may only add meaning (any fever under 2 months is darurat), never hide what the text says by
    itself: given a child's age the core reads the message as about that child, so the mother's own
    signs (waters breaking, sadness after birth, a painful breast) would be lost. The message is read
    both ways and the signs of both count.
    """
    birth = youngest_birth_date(turn)
    pregnant = True if is_pregnant(turn) else None
    plain = triage(turn.text, age_days=None, pregnant=pregnant)
    if birth is None:
        return Assessment(plain.level, list(plain.signs), plain.advice, plain.kind)
    aged = triage(turn.text, age_days=max(0, (turn.today - birth).days), pregnant=pregnant)
    if not both_ways:
        return Assessment(aged.level, list(aged.signs), aged.advice, aged.kind)
    extra = [sign for sign in plain.signs if sign not in aged.signs]
    if not extra:
        return Assessment(aged.level, list(aged.signs), aged.advice, aged.kind)
    found = {*aged.signs, *extra}
    by_id = {sign.id: sign for sign in rules().signs}
    signs = [
        sign.id for sign in rules().signs if sign.id in found and not (by_id[sign.id].suppressed_by & found)
    ]
    kind = aged.kind if aged.signs else plain.kind
    level = level_of(signs) if kind == "now" else "biasa"
    return Assessment(level, signs, advice_for(level, signs, kind=kind), kind)


def screen(turn: Turn, *, menu_words: Iterable[str], command: bool = False) -> bool:
    """Triage a mother's message; True when it was handled here (the router stops).

    ``command``: the message is a feature's keyword (``SIMPAN ASIP``): it runs, never forwarded as
    free text to the bidan talking with her. A question the FAQ answers is forwarded and answered."""
    if turn.contact.role != Role.IBU:
        return False
    self_triaged = (turn.flow, turn.step) in SELF_TRIAGED_STEPS
    if confirms_danger_now(turn):
        return True
    result = assess(turn, both_ways=not self_triaged)
    if result.level in (DARURAT, SEGERA):
        turn.record("triage", level=result.level, signs=result.signs)
    if result.level == DARURAT:
        _emergency(turn, result)
        return True
    if self_triaged:
        return False
    if result.kind in NOT_NOW and level_of(result.signs) == DARURAT:
        _ask_if_now(turn, result)
        return True
    for_bidan = keywords.starts_with_bidan(turn.text)
    if result.level == SEGERA:
        if for_bidan:  # BIDAN <question>: the advice, then the BIDAN hand-off opens the case
            turn.say(result.advice)
            return False
        _soon(turn, result)
        _resume(turn)
        return True
    if for_bidan or not turn.contact.has_consent:
        return False
    open_cases = _join_open_cases(turn)
    if turn.flow is not None or command or _is_menu_choice(turn.text, menu_words):
        return False
    talking = [c for c in open_cases if c.first_answered_at is not None or c.urgency == DARURAT]
    if talking:
        answered = faq.answer(turn.text)
        question = answered.topic is not None and answered.is_confident and answered.topic not in FAQ_INTENTS
        _forward(turn, talking[0], also_answered=question)
        return not question
    return False


#: FAQ results that are intents, not answers (greetings, "talk to the bidan", the posyandu day).
FAQ_INTENTS = frozenset({"sapaan", "bidan_hubungi", "posyandu_jadwal"})


# -- a question about danger signs, or a past event: is it happening now? ------------------------

NOT_NOW = frozenset({"question", "past"})
PENDING_EVENT = "triage_ask_now"
#: how long "YA" still confirms the danger signs of her question
CONFIRM_WINDOW = dt.timedelta(minutes=30)
QUOTE_CHARS = 300
YES_WORDS = frozenset(
    {"ya", "iya", "y", "yes", "iyah", "yaa", "nggih", "enggih", "muhun", "leres", "betul", "benar"}
)


def _ask_if_now(turn: Turn, result: Assessment) -> None:
    """First aid for the signs she asked about, and "is this happening now? reply YA"."""
    turn.say(result.advice)
    # her words go with it, so that a YA can show the bidan what she reported (cleared on erasure)
    turn.record(PENDING_EVENT, signs=result.signs, meant=result.kind, text=turn.text[:QUOTE_CHARS])


def confirms_danger_now(turn: Turn) -> bool:
    """YA right after a question about danger signs: the emergency, at once, for those signs."""
    if simplify(turn.text) not in YES_WORDS:
        return False
    since = turn.now - CONFIRM_WINDOW
    last = turn.session.scalars(
        select(Event)
        .where(Event.actor_id == turn.contact.id, Event.at >= since)
        .where(Event.kind.in_((PENDING_EVENT, "triage")))
        .order_by(Event.at.desc(), Event.id.desc())
        .limit(1)
    ).first()
    if last is None or last.kind != PENDING_EVENT:
        return False
    signs = [str(s) for s in last.details.get("signs", [])]
    result = Assessment(DARURAT, signs, advice_for(DARURAT, signs), "now")
    turn.record("triage", level=DARURAT, signs=signs, confirmed=True)
    question = str(last.details.get("text") or "").strip()
    message = _("{question} (confirmed: happening now)").format(question=question) if question else None
    _emergency(turn, result, message=message)
    return True


def screen_opted_out(turn: Turn) -> bool:
    """An opted-out mother is heard only for a danger sign (safety first); True when it was one."""
    if turn.contact.role != Role.IBU or not turn.text:
        return False
    result = assess(turn)
    if result.level != DARURAT:
        return False
    turn.record("triage", level=result.level, signs=result.signs, opted_out=True)
    _emergency(turn, result)
    return True


def _is_menu_choice(text: str, menu_words: Iterable[str]) -> bool:
    answer = simplify(text)
    return answer.isdigit() or any(answer == simplify(word) for word in menu_words)


def _say(turn: Turn, body: str) -> None:
    """A reply that reaches her even after STOP (only danger-sign advice is sent this way)."""
    turn.replies.append(Outgoing(body=body, ignore_opt_out=turn.contact.is_opted_out))


def _triage_case(turn: Turn, level: str, summary: str | None = None) -> tuple[Case, bool]:
    case, is_new = cases.open_case(turn, topic=TOPICS[level], urgency=level, summary=summary or turn.text)
    if is_new:
        case.posyandu_id = case.posyandu_id or posyandu_id(turn)
        youngest = youngest_child(turn)
        case.child_id = case.child_id or (youngest.id if youngest else None)
        turn.session.flush()
    return case, is_new


def _why(signs: list[str]) -> str:
    return ", ".join(sign.replace("_", " ") for sign in signs)


def _emergency(turn: Turn, result: Assessment, *, message: str | None = None) -> None:
    """Advice past any opt-out, a darurat case, the bidan alerted (``message``: what she reported)."""
    contact = turn.contact
    # The triage core's text: a danger sign, go now, what to bring, 119; then each sign's first aid.
    _say(
        turn,
        result.advice
        or _("Bunda, this can be a danger sign. Please go to the nearest puskesmas or hospital (IGD) now."),
    )
    footer = _("This is not a diagnosis: only the health workers who examine you can tell.")
    if not contact.has_consent:
        _say(turn, footer)
        _resume(turn)
        return
    case, _is_new = _triage_case(turn, DARURAT, summary=message)
    bidans, backup = case_alerts.alert_new_case(
        turn.session,
        case,
        mother=contact,
        about=about_text(turn),
        why=_why(result.signs),
        message=message or turn.text,
        now=turn.now,
        settings=turn.settings,
        key=f"case-alert:{case.id}:{turn.message.message_sid or turn.now.isoformat()}",
        name=mother_name(turn),
    )
    if bidans:
        alerted = _(
            "I have alerted Bidan {name} ({phone}); she will contact you. Case number: {number}."
        ).format(name=bidans[0].name or "", phone=bidans[0].phone, number=case.id)
    elif backup:
        alerted = _(
            "I have alerted the puskesmas ({phone}); they will contact you. Case number: {number}."
        ).format(phone=backup, number=case.id)
    else:
        alerted = _(
            "There is no bidan registered for your posyandu yet, so do not wait for an answer: go now."
        )
    _say(turn, f"{alerted}\n{footer}")
    _resume(turn)


def _resume(turn: Turn) -> None:
    """Back to the flow she was in: its question again (nothing more after STOP)."""
    if not turn.contact.is_opted_out:
        ask_again(turn)


def _soon(turn: Turn, result: Assessment) -> None:
    """Segera: advice, and a case for the bidan (opened without asking)."""
    turn.say(
        result.advice  # the triage core's text: the bidan or puskesmas within 24 hours, and first aid
        or _(
            "Please see the bidan or the puskesmas within 24 hours. If it gets worse, or a danger sign "
            "appears, go to the nearest health facility at once."
        )
    )
    if not turn.contact.has_consent:
        return
    case, is_new = _triage_case(turn, SEGERA)
    if not is_new:
        turn.say(_("I have added this to your case number {number} for the bidan.").format(number=case.id))
        return
    bidans, backup = case_alerts.alert_new_case(
        turn.session,
        case,
        mother=turn.contact,
        about=about_text(turn),
        why=_why(result.signs),
        message=turn.text,
        now=turn.now,
        settings=turn.settings,
        key=f"case-alert:{case.id}:{turn.message.message_sid or turn.now.isoformat()}",
        name=mother_name(turn),
    )
    if bidans or backup:
        turn.say(
            _("I have passed your message to the bidan (case number {number}); she will reply here.").format(
                number=case.id
            )
        )
    else:
        turn.say(
            _(
                "There is no bidan registered for your posyandu yet, so please contact the puskesmas. "
                "Your message is recorded (case {number})."
            ).format(number=case.id)
        )


# -- open cases --------------------------------------------------------------------------------


def _join_open_cases(turn: Turn) -> list[Case]:
    """Her message joins every open case's transcript; returns the open cases, newest first."""
    open_cases = list(
        turn.session.scalars(
            select(Case)
            .where(Case.mother_id == turn.contact.id, Case.status == "open")
            .order_by(Case.opened_at.desc(), Case.id.desc())
        )
    )
    entry = {"at": turn.now.isoformat(timespec="seconds"), "from": "ibu", "text": turn.text}
    for case in open_cases:
        case.transcript = [*case.transcript, entry]
    return open_cases


def _forward(turn: Turn, case: Case, *, also_answered: bool = False) -> None:
    """Free text while a bidan is talking with her: it goes to that bidan (``also_answered``: the bot
    answers it too, and says so in one line)."""
    contact: Contact = turn.contact
    body = _("Case #{number}, Bunda {name} writes:\n{message}\nReply: BALAS {number} <your message>.").format(
        number=case.id, name=contact.name or contact.phone or "", message=case_alerts.quote(turn.text)
    )
    recipients = case_alerts.case_bidans(turn.session, case)
    for bidan in recipients:
        case_alerts.send_to_staff(
            turn.session,
            bidan,
            case,
            key=f"case-forward:{case.id}:{turn.message.message_sid or turn.now.isoformat()}:{bidan.id}",
            body=body,
            now=turn.now,
            settings=turn.settings,
            urgent=case.urgency == DARURAT,
        )
    backup = None if recipients else case_alerts.backup_phone(case)
    if backup:
        case_alerts.send_to_staff(
            turn.session, backup, case, key=f"case-forward:{case.id}:{turn.message.message_sid or turn.now.isoformat()}:backup",
            body=body, now=turn.now, settings=turn.settings, urgent=case.urgency == DARURAT,
        )  # fmt: skip
    if recipients and also_answered:
        turn.say(
            _("(I have also passed this to Bidan {name}, case {number}.)").format(
                name=recipients[0].name or "", number=case.id
            )
        )
    elif recipients:
        turn.say(
            _("I have passed your message to Bidan {name} (case {number}). Type MENU for the menu.").format(
                name=recipients[0].name or "", number=case.id
            )
        )
    elif backup:
        turn.say(
            _(
                "There is no bidan registered for your posyandu, so I have passed your message to the "
                "puskesmas (case {number}). You can also call them: {phone}. In an emergency call 119."
            ).format(number=case.id, phone=backup)
        )
    else:
        turn.say(
            _(
                "There is no bidan registered for your posyandu, so nobody reads messages here yet. Please "
                "call the puskesmas directly, or 119 in an emergency."
            )
        )
