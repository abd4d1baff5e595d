"""The ASI check-ins: the one numbered question the scheduler sends, and what the answer leads to.

    answer ─1 going well──────────────▶ (exclusive recorded) END
       ├─2 milk decreasing ─▶ FAQ answer ─▶ feeding (ASI only? → exclusive / partial)
       ├─3 breast problem ──▶ breast (triage: a case for the bidan, or the FAQ answer) ─▶ feeding
       ├─4 refuses the cup ─▶ counselling ─▶ feeding
       ├─5 formula added ───▶ (partial recorded) counselling END
       └─6 stopped ─────────▶ reason (stopped + reason recorded, check-ins end) ─▶ offer_bidan

A reply counts as the answer when it is a valid choice, the check-in was sent in the last
``ANSWER_WINDOW`` and nothing was asked after it. Statuses go to ``asi_status`` by local calendar month.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from db.models import AsiCheckin, AsiPlan, AsiStatus, Child, Contact, ConversationState
from flows.core.choices import Option, is_no, is_yes, match_option
from flows.core.engine import END, REPEAT, Flow, Next, Step, Turn, answer_current_step
from flows.knowledge import asi_figures as figures
from flows.knowledge import faq
from flows.knowledge.triage import triage
from flows.services import case_alerts, cases
from messages_id import _, pgettext

ANSWER_WINDOW = dt.timedelta(days=3)
EXCLUSIVE, PARTIAL, STOPPED, CONTINUED = "exclusive", "partial", "stopped", "continued"

ANSWERS = (
    Option("well", ("lancar", "baik", "asi saja", "lancar asi saja", "lancar hanya asi")),
    Option("less", ("berkurang", "asi berkurang", "asi sedikit", "makin sedikit")),
    Option("breast", ("payudara", "payudara sakit", "bengkak", "payudara bengkak", "puting lecet")),
    Option("cup", ("menolak", "tidak mau cangkir", "menolak cangkir", "menolak sendok")),
    Option("mixed", ("formula", "sufor", "susu formula", "ditambah formula", "ditambah sufor")),
    Option("stopped", ("sudah berhenti", "berhenti menyusui", "stop menyusui", "tidak menyusui lagi")),
)
REASONS = (
    Option("work", ("kerja", "bekerja", "tidak sempat", "sibuk")),
    Option("not_enough", ("asi sedikit", "tidak cukup", "kurang", "asi kurang")),
    Option("baby_refused", ("bayi menolak", "menolak", "tidak mau")),
    Option("mother_sick", ("sakit", "obat", "ibu sakit")),
    Option("advised_formula", ("disarankan", "disuruh", "saran")),
    Option("other", ("lain", "lainnya", "lain lain")),
)
REASON_KEYS = tuple(option.value for option in REASONS)


# -- the message the scheduler sends ---------------------------------------------------------------


def context_line(kind: str, child: Child) -> str:
    """The opening sentence of a check-in, by kind (``week_2``, ``month_4``...)."""
    base, _sep, number = kind.partition("_")
    if base == "week":
        return pgettext("asi checkin", "week").format(weeks=number, name=child.name)
    if base == "month":
        key = "month_6" if int(number) >= figures.EXCLUSIVE_MONTHS else "month"
        return pgettext("asi checkin", key).format(months=number, name=child.name)
    return pgettext("asi checkin", kind).format(name=child.name)


def checkin_message(contact: Contact, child: Child, kind: str) -> tuple[str, dict[str, Any]]:
    """The free-text body and the template variables of one check-in."""
    context = context_line(kind, child)
    variables = {"nama": contact.name or "", "bayi": child.name, "konteks": context}
    body = _(
        "Hello Bunda {mother}, this is your ASI check-in from posyandu-bot. {context}\n"
        "How is breastfeeding {name} going?\n"
        "1. Going well, ASI only\n"
        "2. My milk is decreasing\n"
        "3. Breast problem (pain, swelling)\n"
        "4. Baby refuses the cup or spoon\n"
        "5. Formula or other food added\n"
        "6. I have stopped breastfeeding\n"
        "Reply with the number. STOP stops all messages."
    ).format(mother=contact.name or "", context=context, name=child.name)
    return body, variables


# -- taking the reply ------------------------------------------------------------------------------


def open_checkin(turn: Turn) -> AsiCheckin | None:
    """The check-in she may be answering: sent to her lately, not answered yet."""
    checkin = turn.session.scalar(
        select(AsiCheckin)
        .join(AsiPlan, AsiCheckin.plan_id == AsiPlan.id)
        .where(
            AsiPlan.mother_id == turn.contact.id,
            AsiCheckin.sent_at.is_not(None),
            AsiCheckin.sent_at <= turn.now,
            AsiCheckin.sent_at > turn.now - ANSWER_WINDOW,
            AsiCheckin.answered_at.is_(None),
        )
        .order_by(AsiCheckin.sent_at.desc())
        .limit(1)
    )
    if checkin is None or checkin.sent_at is None:
        return None
    if turn.flow is not None:
        state = turn.session.get(ConversationState, turn.contact.id)
        if state is not None and state.updated_at >= checkin.sent_at:
            return None  # something was asked after the check-in: the flow gets the answer
    return checkin


def claim_reply(turn: Turn) -> bool:
    """Handle the message as the answer to her open check-in; False when it is not one."""
    if turn.contact.registered_at is None or match_option(turn.text, ANSWERS) is None:
        return False
    checkin = open_checkin(turn)
    if checkin is None:
        return False
    turn.flow, turn.step = "asi_checkin", "answer"
    turn.data = {"checkin_id": checkin.id, "child_id": checkin.plan.child_id}
    answer_current_step(turn)
    return True


def _child(turn: Turn) -> Child:
    child = turn.session.get(Child, turn.data["child_id"])
    assert child is not None
    return child


def record_status(turn: Turn, status: str, reason: str | None = None) -> None:
    """This month's breastfeeding status of the baby (the latest answer of the month wins)."""
    child = _child(turn)
    age = figures.age_in_months(child.date_of_birth, turn.today)
    if status == EXCLUSIVE and age >= figures.EXCLUSIVE_MONTHS:
        status = CONTINUED  # from 6 months ASI goes on together with MPASI
    period = turn.today.replace(day=1)
    row = turn.session.scalar(
        select(AsiStatus).where(AsiStatus.child_id == child.id, AsiStatus.period == period)
    )
    if row is None:
        row = AsiStatus(child_id=child.id, period=period)
        turn.session.add(row)
    row.posyandu_id = turn.contact.posyandu_id
    row.age_months = age
    row.status = status
    row.reason = reason
    row.recorded_at = turn.now
    turn.record("asi_status", child_id=child.id, status=status, reason=reason, age_months=age)


def _alert_bidan(turn: Turn, *, topic: str, urgency: str, summary: str) -> None:
    """A case for the bidan, alerted the way every case is (numbered, BALAS/AMBIL/SELESAI)."""
    case = cases.open_case(turn, topic=topic, urgency=urgency, summary=summary)[0]
    child = _child(turn)
    bidans, backup = case_alerts.alert_new_case(
        turn.session,
        case,
        mother=turn.contact,
        about=case_alerts.child_text(child.name, child.sex, child.date_of_birth, turn.today),
        why=_("breastfeeding check-in"),
        message=summary,
        now=turn.now,
        settings=turn.settings,
        key=f"case-alert:{case.id}:{turn.message.message_sid or turn.now.isoformat()}",
    )
    if bidans or backup:
        turn.say(
            _("I have passed this to the bidan of your posyandu (case {number}).").format(number=case.id)
        )
    else:
        turn.say(
            _(
                "There is no bidan registered for your posyandu yet, so please contact the puskesmas. "
                "Your message is recorded (case {number})."
            ).format(number=case.id)
        )


# -- the steps ---------------------------------------------------------------------------------------


def ask_answer(turn: Turn) -> None:
    turn.say(
        _(
            "How is breastfeeding {name} going?\n"
            "1. Going well, ASI only\n"
            "2. My milk is decreasing\n"
            "3. Breast problem (pain, swelling)\n"
            "4. Baby refuses the cup or spoon\n"
            "5. Formula or other food added\n"
            "6. I have stopped breastfeeding"
        ).format(name=_child(turn).name)
    )


def answer_answer(turn: Turn) -> Next:
    choice = match_option(turn.text, ANSWERS)
    if choice is None:
        turn.say(_("Please type a number from 1 to 6."))
        return REPEAT
    checkin = turn.session.get(AsiCheckin, turn.data["checkin_id"])
    if checkin is not None:
        checkin.answered_at, checkin.answer = turn.now, choice
    name = _child(turn).name
    if choice == "well":
        record_status(turn, EXCLUSIVE)
        turn.say(
            _(
                "Wonderful, Bunda! Keep it up: breastfeed often when you are together, express about every "
                "3 hours at work, and let the caregiver give your milk by cup or spoon. Type MENU for the menu."
            )
        )
        return END
    if choice == "less":
        turn.say(faq.topic_answer("asi_produksi_sedikit"))
        return "feeding"
    if choice == "breast":
        return "breast"
    if choice == "cup":
        turn.say(
            _(
                "Many babies need a few days to learn the cup or spoon. Tips for the caregiver: hold {name} "
                "upright, let {name} sip small amounts and swallow at their own pace, try when {name} is a "
                "little hungry but not crying, and let someone other than you give it. Do not switch to a "
                "bottle with a dot (teat): it makes breastfeeding harder."
            ).format(name=name)
        )
        return "feeding"
    if choice == "mixed":
        record_status(turn, PARTIAL)
        turn.say(
            _(
                "Every drop of your milk still protects {name}. To give more ASI again: breastfeed often at "
                "home and at night, express about every 3 hours at work, and ask the bidan for help. Formula "
                "is only for when ASI is not possible. Type BIDAN to talk to the bidan."
            ).format(name=name)
        )
        return END
    return "reason"


def ask_feeding(turn: Turn) -> None:
    turn.say(
        _(
            "One more question for the posyandu's record: is {name} getting only your milk now, nothing else "
            "(no formula, water or food)?\n1. Yes, only ASI\n2. No, also something else"
        ).format(name=_child(turn).name)
    )


def answer_feeding(turn: Turn) -> Next:
    if is_yes(turn.text):
        record_status(turn, EXCLUSIVE)
    elif is_no(turn.text):
        record_status(turn, PARTIAL)
    else:
        turn.say(_("Please answer 1 for yes or 2 for no."))
        return REPEAT
    turn.say(_("Thank you, Bunda. It is noted. Type MENU for the menu or BIDAN to talk to the bidan."))
    return END


def ask_breast(turn: Turn) -> None:
    turn.say(
        _(
            "I am sorry it hurts. Please tell me in a few words what you feel, for example: payudara merah, "
            "bengkak, panas, puting lecet, demam."
        )
    )


def answer_breast(turn: Turn) -> Next:
    child = _child(turn)
    result = triage(turn.text, age_days=(turn.today - child.date_of_birth).days)
    if result.level == "darurat":
        _alert_bidan(turn, topic="asi_breast", urgency="darurat", summary=turn.text)
        turn.say(
            _(
                "These are danger signs. Please go to the nearest puskesmas or hospital now, or call 119. "
                "Bring your Buku KIA."
            )
        )
    elif result.level == "segera" or "mastitis" in result.signs:
        _alert_bidan(turn, topic="asi_breast", urgency="segera", summary=turn.text)
        turn.say(
            _(
                "A red, hot, painful breast with fever needs the bidan or puskesmas within 24 hours. Until "
                "then keep breastfeeding or expressing from that breast often, rest and drink enough."
            )
        )
    else:
        turn.say(faq.topic_answer("asi_payudara_masalah"))
    return "feeding"


def ask_reason(turn: Turn) -> None:
    turn.say(
        _(
            "Thank you for telling me. What was the main reason?\n"
            "1. Back at work, no time or place to express\n"
            "2. Not enough milk\n"
            "3. Baby refused the breast\n"
            "4. I was sick or on medicine\n"
            "5. Someone advised formula\n"
            "6. Another reason"
        )
    )


def answer_reason(turn: Turn) -> Next:
    reason = match_option(turn.text, REASONS)
    if reason is None:
        turn.say(_("Please type a number from 1 to 6."))
        return REPEAT
    record_status(turn, STOPPED, reason)
    checkin = turn.session.get(AsiCheckin, turn.data["checkin_id"])
    if checkin is not None and checkin.plan.stopped_at is None:
        checkin.plan.stopped_at, checkin.plan.stop_reason = turn.now, "stopped_breastfeeding"
    turn.say(
        _(
            "It is noted. It is often possible to start breastfeeding again (relactation) with some help, "
            "and the bidan can guide you."
        )
    )
    return "offer_bidan"


def ask_offer_bidan(turn: Turn) -> None:
    turn.say(_("Would you like the bidan to contact you?\n1. Yes\n2. No"))


def answer_offer_bidan(turn: Turn) -> Next:
    if is_yes(turn.text):
        reason = turn.session.scalar(
            select(AsiStatus.reason)
            .where(AsiStatus.child_id == turn.data["child_id"])
            .order_by(AsiStatus.period.desc())
            .limit(1)
        )
        _alert_bidan(
            turn,
            topic="asi_support",
            urgency="biasa",
            summary=_("Stopped breastfeeding ({reason}); would like help to start again.").format(
                reason=pgettext("asi stop reason", reason or "other")
            ),
        )
        return END
    if is_no(turn.text):
        turn.say(
            _(
                "All right, Bunda. The check-ins stop here. You can make a new plan any time from the menu. "
                "Type MENU for the menu."
            )
        )
        return END
    turn.say(_("Please answer 1 for yes or 2 for no."))
    return REPEAT


STEPS = {
    "answer": Step(ask_answer, answer_answer),
    "feeding": Step(ask_feeding, answer_feeding),
    "breast": Step(ask_breast, answer_breast),
    "reason": Step(ask_reason, answer_reason),
    "offer_bidan": Step(ask_offer_bidan, answer_offer_bidan),
}

CHECKIN_FLOW = Flow(name="asi_checkin", first="answer", steps=STEPS)
