"""Free questions: a confident answer with "was this helpful?", else the 3 closest topics, else the bidan.

    ask ──▶ answer ──confident──▶ feedback ──no──▶ offer_bidan ──yes──▶ (case for the bidan)
              │                      │yes
              ├──unsure──▶ pick (1-3 topics, 4 = the bidan)
              └──out of scope──▶ kind decline + menu

Any other text typed at ``feedback``, ``offer_bidan`` or ``pick`` is taken as a new question, but a
number that is not one of the choices asks for the choice again (``6`` is not a search for MPASI).

``BIDAN`` with nothing after it (or menu option 4) asks first what she wants to ask (``for_bidan``): the
bidan gets her question, never an empty case; then the flow she was in goes on.
"""

from __future__ import annotations

from flows.core.choices import is_no, is_yes, simplify
from flows.core.engine import END, MENU, REPEAT, Flow, Jump, Next, Step, Turn, Wait, follow, start_flow
from flows.knowledge import faq
from flows.services import cases
from flows.services.posyandu_days import describe, load_days
from messages_id import _

GREETING, BIDAN, POSYANDU_DAY = "sapaan", "bidan_hubungi", "posyandu_jadwal"
INTENTS = {GREETING, BIDAN, POSYANDU_DAY}


def answer_free_text(turn: Turn) -> None:
    """Free text typed at the menu: answer it as a question."""
    turn.flow, turn.step, turn.data = "question", "ask", {}
    follow(turn, _answer(turn))


def _show_topic(turn: Turn, topic: str, question: str) -> Next:
    turn.say(faq.topic_answer(topic))
    turn.say(_("Was this answer helpful?\n1. Yes\n2. No\nOr type BIDAN to ask the bidan."))
    turn.record("faq_answered", topic=topic)
    turn.data = {"topic": topic, "question": question}
    return Wait("feedback")


def _to_bidan(turn: Turn, question: str) -> Next:
    cases.ask_for_bidan(turn, question=question)
    return END


def _posyandu_day(turn: Turn) -> Next:
    posyandu = turn.contact.posyandu
    days = load_days(turn.session, posyandu.id) if posyandu is not None else None
    if posyandu is not None and days is not None and days.known:
        turn.say(describe(days, posyandu, turn.today))
    elif posyandu is not None and posyandu.meeting_day:
        turn.say(
            _("Posyandu {name} meets: {rule}. Ask your kader if the date changes.").format(
                name=posyandu.name, rule=posyandu.meeting_day
            )
        )
    else:
        turn.say(_("I do not know your posyandu's schedule yet. Please ask your kader or the bidan."))
    return MENU


def _answer(turn: Turn) -> Next:
    question = turn.text
    result = faq.answer(question)
    if result.topic == GREETING:
        turn.say(_("Hello Bunda {name}! Nice to hear from you.").format(name=turn.contact.name or ""))
        return MENU
    if result.topic == BIDAN:
        return _to_bidan(turn, question)
    if result.topic == POSYANDU_DAY:
        return _posyandu_day(turn)
    if result.topic is not None and result.is_confident:
        return _show_topic(turn, result.topic, question)
    topics = [m.topic for m in result.matches if m.topic not in INTENTS][:3]
    if result.topic is None and not topics:
        turn.say(result.answer)
        return MENU
    lines = "\n".join(f"{n}. {faq.topic_title(t)}" for n, t in enumerate(topics, 1))
    turn.say(
        _("Did you mean one of these?\n{topics}\n{bidan}. Ask the bidan\nType the number.").format(
            topics=lines, bidan=len(topics) + 1
        )
    )
    turn.data = {"topics": topics, "question": question}
    return Wait("pick")


def ask_question(turn: Turn) -> None:
    turn.say(
        _("Please write your question, Bunda. For example: how long does expressed milk keep in the fridge?")
    )


def ask_nothing(turn: Turn) -> None:
    """These steps' questions are sent by the step that leads to them."""


def begin_bidan_question(turn: Turn) -> None:
    """``BIDAN`` alone or menu option 4: ask her question; the flow she is in goes on afterwards."""
    resume = {"flow": turn.flow, "step": turn.step, "data": turn.data} if turn.flow else None
    start_flow(turn, "question", "for_bidan", {"resume": resume})


def ask_bidan_question(turn: Turn) -> None:
    turn.say(
        _(
            "What would you like to ask or tell the bidan? Write it in one message, for example: "
            "my child has had a cough for 3 days. Type BATAL to cancel."
        )
    )


def answer_bidan_question(turn: Turn) -> Next:
    resume = turn.data.get("resume")
    cases.ask_for_bidan(turn, question=turn.text.strip())
    if resume:
        return Jump(resume["flow"], resume["step"], resume["data"])
    return MENU if turn.contact.registered_at else END


def _wrong_number(turn: Turn, choices: int) -> Next | None:
    """A number that is none of the ``choices`` (1..choices): ask again."""
    answer = simplify(turn.text)
    if not answer.isdigit() or 0 < int(answer) <= choices:
        return None
    turn.say(_("Please type a number from 1 to {last}, or write your question.").format(last=choices))
    return REPEAT


def answer_question(turn: Turn) -> Next:
    return _answer(turn)


def answer_feedback(turn: Turn) -> Next:
    if is_yes(turn.text):
        turn.record("faq_feedback", topic=turn.data.get("topic"), helpful=True)
        turn.say(_("Glad it helped, Bunda."))
        return MENU
    if is_no(turn.text):
        turn.record("faq_feedback", topic=turn.data.get("topic"), helpful=False)
        turn.say(_("Sorry it did not help. Shall I pass your question to the bidan?\n1. Yes\n2. No"))
        return Wait("offer_bidan")
    return _wrong_number(turn, 2) or _answer(turn)


def answer_offer_bidan(turn: Turn) -> Next:
    if is_yes(turn.text):
        return _to_bidan(turn, turn.data.get("question", ""))
    if is_no(turn.text):
        return MENU
    return _wrong_number(turn, 2) or _answer(turn)


def answer_pick(turn: Turn) -> Next:
    topics: list[str] = turn.data.get("topics", [])
    question = turn.data.get("question", "")
    answer = simplify(turn.text)
    if answer.isdigit() and 0 < int(answer) <= len(topics):
        return _show_topic(turn, topics[int(answer) - 1], question)
    if answer.isdigit() and int(answer) == len(topics) + 1:
        return _to_bidan(turn, question)
    return _wrong_number(turn, len(topics) + 1) or _answer(turn)


QUESTION_FLOW = Flow(
    name="question",
    first="ask",
    steps={
        "ask": Step(ask_question, answer_question),
        "feedback": Step(ask_nothing, answer_feedback),
        "offer_bidan": Step(ask_nothing, answer_offer_bidan),
        "pick": Step(ask_nothing, answer_pick),
        "for_bidan": Step(ask_bidan_question, answer_bidan_question),
    },
)
