"""The development check: short yes/no milestone questions for the child's age band (KPSP-style).

Bands and questions are content (``messages_id/content/milestones.yaml``). The check is offered at each
band's age (3, 6, 9 ... months) by the scheduler (``scheduler.development``: an invitation the mother
answers with "ya"), and any time from the "Tumbuh kembang" menu. A "not yet" on any milestone gives the
band's stimulation advice and opens a case for the bidan, who does the real screening.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import yaml
from sqlalchemy import select

from db.models import Child, DevelopmentCheck
from flows.core.choices import is_no, is_yes, simplify
from flows.core.engine import END, REPEAT, Flow, Next, Step, Turn, Wait, start_flow
from flows.growth import alarms as growth_alarms
from flows.knowledge.growth_trend import completed_months
from messages_id import CONTENT_DIR, _

FLOW = "development"
TOPIC = "development_check"
#: An invitation can be taken up with "ya" for this long.
INVITATION_VALID = dt.timedelta(days=7)
START_WORDS = ("cek", "cek perkembangan", "perkembangan", "mulai cek", "siap")


@dataclass(frozen=True)
class Milestone:
    id: str
    text: str


@dataclass(frozen=True)
class Band:
    months: int
    questions: tuple[Milestone, ...]
    stimulation: str


@cache
def bands() -> dict[int, Band]:
    with (CONTENT_DIR / "milestones.yaml").open(encoding="utf-8") as file:
        data = yaml.safe_load(file)["bands"]
    return {
        int(months): Band(
            months=int(months),
            questions=tuple(Milestone(q["id"], q["text"]) for q in spec["questions"]),
            stimulation=spec["stimulation"],
        )
        for months, spec in data.items()
    }


def band_for(born: dt.date, today: dt.date) -> Band | None:
    """The latest band the child has reached (None before the first one)."""
    age = completed_months(born, today)
    reached = [months for months in bands() if months <= age < 60]
    return bands()[max(reached)] if reached else None


def next_band(months: int) -> int | None:
    later = [m for m in bands() if m > months]
    return min(later) if later else None


def begin_for(turn: Turn, child: Child) -> Next:
    """Start the check for ``child`` (from another flow): the first question, or why there is none."""
    band = band_for(child.date_of_birth, turn.today)
    if band is None:
        turn.say(
            _(
                "The first development check is at 3 months. I will remind you when {name} is 3 months old."
            ).format(name=child.name)
            if completed_months(child.date_of_birth, turn.today) < 3
            else _("The development check covers children under 5 years.")
        )
        return END
    start_flow(turn, FLOW, data={"child_id": child.id, "band": band.months, "answers": {}})
    return Wait("question")


def _child(turn: Turn) -> Child:
    child = turn.session.get(Child, turn.data["child_id"])
    assert child is not None
    return child


def _band(turn: Turn) -> Band:
    return bands()[int(turn.data["band"])]


def ask_question(turn: Turn) -> None:
    band, answers = _band(turn), turn.data.get("answers", {})
    number = len(answers)
    child = _child(turn)
    intro = ""
    if number == 0:
        intro = (
            _("Development check for {name} ({months} months): {count} short questions.").format(
                name=child.name, months=band.months, count=len(band.questions)
            )
            + "\n\n"
        )
    question = band.questions[number].text.format(name=child.name)
    turn.say(
        intro
        + _("Question {number} of {count}: {question}\n1. Yes, already\n2. Not yet").format(
            number=number + 1, count=len(band.questions), question=question
        )
    )


def answer_question(turn: Turn) -> Next:
    band = _band(turn)
    answers: dict[str, bool] = dict(turn.data.get("answers", {}))
    if is_yes(turn.text) or simplify(turn.text) in ("sudah", "sudah bisa", "bisa"):
        value = True
    elif is_no(turn.text):
        value = False
    else:
        turn.say(
            _("Please type 1 if {name} can do it already, or 2 if not yet.").format(name=_child(turn).name)
        )
        return REPEAT
    answers[band.questions[len(answers)].id] = value
    turn.data["answers"] = answers
    if len(answers) < len(band.questions):
        return "question"
    return _finish(turn, band, answers)


def _finish(turn: Turn, band: Band, answers: dict[str, bool]) -> Next:
    child = _child(turn)
    check = turn.session.scalar(
        select(DevelopmentCheck).where(
            DevelopmentCheck.child_id == child.id, DevelopmentCheck.band_months == band.months
        )
    )
    if check is None:
        check = DevelopmentCheck(child_id=child.id, band_months=band.months)
        turn.session.add(check)
    check.answers = answers
    check.answered_at = turn.now
    not_yet = [q for q in band.questions if not answers.get(q.id)]
    turn.record("development_checked", child_id=child.id, band=band.months, not_yet=[q.id for q in not_yet])
    if not_yet:
        turn.say(
            _(
                "Thank you, Bunda. {name} cannot do everything yet that most children do at {months} months. "
                "Every child has its own pace; the bidan can check {name} fully (KPSP) at the posyandu or the "
                "puskesmas."
            ).format(name=child.name, months=band.months)
        )
        turn.say(_("What helps at home:") + "\n" + band.stimulation)
        _open_case(turn, child, band, not_yet)
    else:
        turn.say(
            _("Wonderful! {name} does what most children do at {months} months.").format(
                name=child.name, months=band.months
            )
        )
        turn.say(_("To keep it going:") + "\n" + band.stimulation)
    following = next_band(band.months)
    if following is not None:
        turn.say(
            _(
                "The next development check is at {months} months; I will remind you. Type MENU for the main menu."
            ).format(months=following)
        )
    return END


def _open_case(turn: Turn, child: Child, band: Band, not_yet: list[Milestone]) -> None:
    opened = growth_alarms.open_child_case(
        turn.session,
        mother=turn.contact,
        child=child,
        topic=TOPIC,
        urgency=growth_alarms.BIASA,
        why=_("development check at {months} months: not yet").format(months=band.months),
        message="; ".join(q.text.format(name=child.name) for q in not_yet),
        now=turn.now,
        settings=turn.settings,
        today=turn.today,
        actor=turn.contact,
        key=f"development:{child.id}:{band.months}:{turn.message.message_sid or turn.now.isoformat()}",
    )
    turn.say(growth_alarms.handed_over_text(child, [opened]))


# -- the invitation the scheduler sends ---------------------------------------------------------------


def open_invitation(turn: Turn) -> DevelopmentCheck | None:
    """Her latest unanswered invitation of the last week."""
    child_ids = [c.id for c in turn.contact.children]
    if not child_ids:
        return None
    return turn.session.scalar(
        select(DevelopmentCheck)
        .where(
            DevelopmentCheck.child_id.in_(child_ids),
            DevelopmentCheck.answered_at.is_(None),
            DevelopmentCheck.invited_at > turn.now - INVITATION_VALID,
        )
        .order_by(DevelopmentCheck.invited_at.desc())
        .limit(1)
    )


def claim_reply(turn: Turn) -> bool:
    """ "Ya" (or "cek") after an invitation starts the check; False when the message is not that."""
    if turn.flow is not None or turn.contact.registered_at is None:
        return False
    if not (is_yes(turn.text) or simplify(turn.text) in START_WORDS):
        return False
    invitation = open_invitation(turn)
    if invitation is None or invitation.band_months not in bands():
        return False
    start_flow(
        turn, FLOW, data={"child_id": invitation.child_id, "band": invitation.band_months, "answers": {}}
    )
    return True


def invitation_message(name: str, child: str, months: int) -> tuple[str, dict[str, str]]:
    """The invitation's free text and its template variables."""
    body = _(
        "Hello Bunda {name}, {child} is {months} months old now: time for a short development check "
        "(3 questions). Reply YA to start. Type STOP to stop receiving messages."
    ).format(name=name, child=child, months=months)
    return body, {"nama": name, "anak": child, "umur": str(months)}


DEVELOPMENT_FLOW = Flow(name=FLOW, first="question", steps={"question": Step(ask_question, answer_question)})
