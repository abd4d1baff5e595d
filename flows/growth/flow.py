"""The mother's "Tumbuh kembang" flow: record weight and length, see the growth chart, check development.

Recording asks the date (1 = today), the weight, the length/height and whether the child lay or stood;
the weight answer may carry both (``7,5 kg 68 cm``). A value WHO or the child's history finds implausible
is explained and asked again, never stored. After a measurement: the result in plain words, the chart
picture, the bidan's case and the referral path when an alarm rang, the feeding advice, the next weighing.
"""

from __future__ import annotations

import datetime as dt

from db.models import Child, Contact, GrowthMeasurement
from flows.core.children import age_text, choice_lines, chosen_child, explain_date_error
from flows.core.choices import Option, match_option, simplify
from flows.core.dates import DateError, parse_past_date
from flows.core.engine import END, MENU, REPEAT, Flow, Next, Step, Turn, follow, start_flow
from flows.core.messages import Outgoing
from flows.growth import alarms as growth_alarms
from flows.growth import development
from flows.growth import record as growth_record
from flows.growth import words as growth_words
from flows.growth.parse import is_skip, parse_both, parse_length, parse_position, parse_weight
from flows.growth.picture import caption, chart_link
from flows.growth.record import BOTH, LENGTH, Implausible, Outcome, Reading
from flows.growth.words import cm, kg
from flows.knowledge.growth import Position
from messages_id import _, format_short_date

FLOW = "growth"
RECORD, CHART, DEVELOPMENT = "record", "chart", "development"
HOME_OPTIONS = (
    Option(RECORD, ("catat", "timbang", "catat timbang", "berat", "isi")),
    Option(CHART, ("grafik", "lihat grafik", "kurva")),
    Option(DEVELOPMENT, ("perkembangan", "cek perkembangan", "kembang")),
)
TODAY_WORDS = ("1", "hari ini", "hr ini", "tadi", "barusan", "sekarang")


def _child(turn: Turn) -> Child:
    child = turn.session.get(Child, turn.data["child_id"])
    assert child is not None
    return child


def begin(turn: Turn) -> None:
    """The main-menu option: pick the child (when there are several), then what to do."""
    children = [c for c in turn.contact.children if (turn.today - c.date_of_birth).days < 5 * 366]
    if not children:
        turn.say(
            _(
                "Growth is followed for children under 5 registered in your data. Please add your child first "
                "in DATA SAYA (menu 3)."
            )
        )
        follow(turn, MENU)
        return
    if len(children) == 1:
        start_flow(turn, FLOW, step="home", data={"child_id": children[0].id})
    else:
        start_flow(turn, FLOW, step="child", data={"choices": [c.id for c in children]})


# -- choosing ---------------------------------------------------------------------------------------


def ask_child(turn: Turn) -> None:
    lines = choice_lines(turn, turn.data.get("choices", []))
    turn.say(_("Which child?\n{choices}\nType the number.").format(choices=lines))


def answer_child(turn: Turn) -> Next:
    choices: list[int] = turn.data.get("choices", [])
    chosen = chosen_child(turn, choices)
    if chosen is None:
        turn.say(_("Please type the number of the child, from 1 to {count}.").format(count=len(choices)))
        return REPEAT
    turn.data = {"child_id": chosen}
    return "home"


def ask_home(turn: Turn) -> None:
    turn.say(
        _(
            "Growth and development of {name}:\n"
            "1. Record weight and length\n"
            "2. See the growth chart\n"
            "3. Development check (short questions for the age)\n"
            "Type the number."
        ).format(name=_child(turn).name)
    )


def answer_home(turn: Turn) -> Next:
    choice = match_option(turn.text, HOME_OPTIONS)
    if choice == RECORD:
        return "date"
    if choice == CHART:
        return _show_chart(turn)
    if choice == DEVELOPMENT:
        return development.begin_for(turn, _child(turn))
    turn.say(_("Please type 1, 2 or 3."))
    return REPEAT


def _show_chart(turn: Turn) -> Next:
    child = _child(turn)
    rows = growth_record.history(turn.session, child.id)
    if not rows:
        turn.say(
            _("There are no measurements of {name} yet. Let's record the first one.").format(name=child.name)
        )
        return "date"
    _send_chart(turn, child, rows)
    turn.say(_("Type MENU for the main menu."))
    return END


def _send_chart(turn: Turn, child: Child, rows: list[GrowthMeasurement]) -> None:
    link = chart_link(
        turn.session, child, rows, today=turn.today, now=turn.now, public_url=turn.settings.public_url
    )
    turn.replies.append(Outgoing(body=caption(child), media_url=link))


# -- recording --------------------------------------------------------------------------------------


def ask_date(turn: Turn) -> None:
    turn.say(
        _("When was {name} weighed? Type the date (like 12-3-2025), or 1 for today.").format(
            name=_child(turn).name
        )
    )


def answer_date(turn: Turn) -> Next:
    child = _child(turn)
    if simplify(turn.text) in TODAY_WORDS:
        measured = turn.today
    else:
        try:
            measured = parse_past_date(turn.text, turn.today).value
        except DateError as error:
            explain_date_error(turn, error)
            return REPEAT
    if measured < child.date_of_birth:
        turn.say(
            _("That is before {name} was born ({date}). Please check the date.").format(
                name=child.name, date=format_short_date(child.date_of_birth)
            )
        )
        return REPEAT
    turn.data["date"] = measured.isoformat()
    return "weight"


def ask_weight(turn: Turn) -> None:
    turn.say(
        _("What is the weight of {name} in kg? For example: 7,5. Type LEWATI if not weighed.").format(
            name=_child(turn).name
        )
    )


def answer_weight(turn: Turn) -> Next:
    if is_skip(turn.text):
        turn.data["weight"] = None
        return "length"
    both = parse_both(turn.text)
    if both is not None:
        turn.data["weight"], turn.data["length"] = both
        return "position"
    weight = parse_weight(turn.text)
    if weight is None or weight <= 0:
        turn.say(_("Please type the weight as a number of kg, for example 7,5 (or 7500 gram)."))
        return REPEAT
    if not _plausible_so_far(turn, weight, None):
        return REPEAT
    turn.data["weight"] = weight
    return "length"


def _plausible_so_far(turn: Turn, weight: float | None, length: float | None) -> bool:
    """Question a weight or a length at once, before the other is asked (the full check runs at the end)."""
    child = _child(turn)
    reading = Reading(dt.date.fromisoformat(turn.data["date"]), weight, length, None)
    try:
        growth_record.check(child, reading, growth_record.history(turn.session, child.id))
    except Implausible as error:
        if error.reason == "too_old":
            return True  # said once, at the end
        explain_implausible(turn, child, reading, error)
        turn.record("growth_refused", child_id=child.id, reason=error.reason, source="mother")
        return False
    return True


def ask_length(turn: Turn) -> None:
    turn.say(
        _(
            "What is the length or height of {name} in cm? For example: 68,5. Type LEWATI if not measured."
        ).format(name=_child(turn).name)
    )


def answer_length(turn: Turn) -> Next:
    if is_skip(turn.text):
        if turn.data.get("weight") is None:
            turn.say(_("Nothing was measured, so there is nothing to record."))
            return "weight"
        turn.data["length"] = None
        turn.data["position"] = None
        return _finish(turn)
    length = parse_length(turn.text)
    if length is None or length <= 0:
        turn.say(_("Please type the length as a number of cm, for example 68,5."))
        return REPEAT
    if not _plausible_so_far(turn, None, length):
        return REPEAT
    turn.data["length"] = length
    return "position"


def ask_position(turn: Turn) -> None:
    turn.say(
        _("Was {name} measured lying down or standing?\n1. Lying down\n2. Standing").format(
            name=_child(turn).name
        )
    )


def answer_position(turn: Turn) -> Next:
    position = parse_position(turn.text)
    if position is None:
        turn.say(_("Please type 1 for lying down or 2 for standing."))
        return REPEAT
    turn.data["position"] = position.value
    return _finish(turn)


def _reading(turn: Turn) -> Reading:
    position = turn.data.get("position")
    return Reading(
        measured_on=dt.date.fromisoformat(turn.data["date"]),
        weight_kg=turn.data.get("weight"),
        length_cm=turn.data.get("length"),
        position=Position(position) if position else None,
    )


def explain_implausible(turn: Turn, child: Child, reading: Reading, error: Implausible) -> None:
    """Why the numbers were not stored, and what to measure again."""
    weight = kg(reading.weight_kg) if reading.weight_kg is not None else "-"
    length = cm(reading.length_cm) if reading.length_cm is not None else "-"
    age = age_text(child.date_of_birth, reading.measured_on)
    other = error.details.get("other")
    when = error.details.get("on")
    on = format_short_date(when) if isinstance(when, dt.date) else "-"
    if error.reason == "too_old":
        turn.say(_("The growth standard covers children under 5 years, so I cannot assess this measurement."))
    elif error.reason == "length_shrank":
        turn.say(
            _(
                "{length} cm does not match the {other} cm measured on {date}: a child does not get shorter. "
                "One of the measurements is off. Please measure again and type the length."
            ).format(length=length, other=cm(float(str(other))), date=on)
        )
    elif error.reason == "weight_jump":
        turn.say(
            _(
                "{weight} kg is much more than the {other} kg on {date}. Please check the scale and type the weight again."
            ).format(weight=weight, other=kg(float(str(other))), date=on)
        )
    elif error.reason == "weight_drop":
        turn.say(
            _(
                "{weight} kg is much less than the {other} kg on {date}. Please weigh again. If {name} is really "
                "losing weight, contact the bidan (type BIDAN)."
            ).format(weight=weight, other=kg(float(str(other))), date=on, name=child.name)
        )
    elif error.field == LENGTH:
        turn.say(
            _("{length} cm does not fit a child of {age}. Please measure again and type the length.").format(
                length=length, age=age
            )
        )
    elif error.field == BOTH:
        turn.say(
            _(
                "{weight} kg with {length} cm does not fit a child of {age}. Please check both and type them again."
            ).format(weight=weight, length=length, age=age)
        )
    else:
        turn.say(
            _(
                "{weight} kg does not fit a child of {age}. Please check the scale and type the weight again."
            ).format(weight=weight, age=age)
        )


def _finish(turn: Turn) -> Next:
    child = _child(turn)
    reading = _reading(turn)
    contact = turn.contact
    try:
        outcome = growth_record.save(
            turn.session,
            child,
            reading,
            source="mother",
            recorded_by=contact.id,
            posyandu_id=contact.posyandu_id,
        )
    except Implausible as error:
        explain_implausible(turn, child, reading, error)
        turn.record("growth_refused", child_id=child.id, reason=error.reason, source="mother")
        if error.reason == "too_old":
            return END
        return "length" if error.field == LENGTH else "weight"
    tell_mother(turn, contact, child, outcome, actor=contact)
    return END


def tell_mother(turn: Turn, mother: Contact, child: Child, outcome: Outcome, *, actor: Contact) -> None:
    """The mother's replies after her own measurement: result, chart, alarms and referral, advice, next date."""
    row, result, trend = outcome.measurement, outcome.result, outcome.trend
    turn.say(growth_words.result_text(child, row, result, trend))
    _send_chart(turn, child, outcome.history)
    opened = growth_alarms.raise_alarms(
        turn.session,
        mother=mother,
        child=child,
        result=result,
        trend=trend,
        rows=outcome.history,
        now=turn.now,
        settings=turn.settings,
        today=turn.today,
        actor=actor,
        key=f"growth:{row.id}:{turn.message.message_sid or turn.now.isoformat()}",
    )
    if opened:
        turn.say(growth_alarms.handed_over_text(child, opened) + "\n\n" + growth_alarms.referral_text())
        if any(o.case.topic == growth_alarms.STUNTED for o in opened):
            turn.say(growth_alarms.myth_text())
    turn.say(growth_words.advice_text(child, row.measured_on, result, trend))
    turn.say(growth_words.next_weighing_text(row.measured_on))
    turn.record(
        "growth_measured",
        child_id=child.id,
        source=row.source,
        trend=trend.code if trend else None,
        alarms=[o.case.topic for o in opened],
    )


GROWTH_FLOW = Flow(
    name=FLOW,
    first="home",
    steps={
        "child": Step(ask_child, answer_child),
        "home": Step(ask_home, answer_home),
        "date": Step(ask_date, answer_date),
        "weight": Step(ask_weight, answer_weight),
        "length": Step(ask_length, answer_length),
        "position": Step(ask_position, answer_position),
    },
)
