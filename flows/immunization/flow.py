"""The mother's "Imunisasi" flow: a child's schedule, recording doses given, correcting a record.

    (several children) pick_child ──▶ overview ──1──▶ record_vaccine ──▶ record_date ──▶ (saved, menu)
                                          │2
                                          └──▶ fix_pick ──▶ fix_action ──date──▶ fix_date ──▶ (saved)
                                                                       └─delete──▶ (removed)

The schedule rules are ``flows.knowledge.immunization``; doses and their reminders live in ``flows.services.immunization_plans``.
Late doses get catch-up advice (never "start again"); doses past their limit are explained.
"""

from __future__ import annotations

import datetime as dt
import re

from db.models import Child
from flows.core.children import chosen_child, explain_date_error
from flows.core.choices import Option, match_option, simplify
from flows.core.dates import DateError, parse_past_date
from flows.core.engine import MENU, PASS, REPEAT, Flow, Next, Step, Turn
from flows.knowledge.immunization import DoseStatus, Status
from flows.knowledge.immunization import vaccine_name as name_of
from flows.knowledge.immunization_schedule import national_schedule
from flows.services.immunization_plans import given_doses, record_dose, remove_dose, schedule_of
from flows.services.posyandu_days import load_days
from messages_id import _, format_date, format_short_date, ngettext

#: How many upcoming doses the overview lists.
UPCOMING_SHOWN = 4
#: Doses offered for recording: everything not given that is due within this many days.
RECORDABLE_DAYS = 45
TODAY_WORDS = {
    "tadi",
    "td",
    "hari ini",
    "di posyandu tadi",
    "posyandu tadi",
    "tadi di posyandu",
    "barusan",
    "td di posyandu",
}
FILLERS = re.compile(
    r"\b(sudah|udah|sdh|dah|diberikan|dikasih|disuntik|imunisasi|pada|di posyandu|diposyandu)\b"
)

ACTIONS = (
    Option("record", ("catat", "sudah", "catat imunisasi", "sudah diberikan", "udah", "sdh")),
    Option("fix", ("perbaiki", "ubah", "koreksi", "salah", "perbaiki catatan")),
    Option("other_child", ("anak lain", "pilih anak", "ganti anak")),
)
FIXES = (
    Option("date", ("ubah tanggal", "tanggal", "ganti tanggal")),
    Option("delete", ("hapus", "belum", "belum diberikan", "tidak jadi")),
)


def _children(turn: Turn) -> list[Child]:
    return list(turn.contact.children)


def _child(turn: Turn) -> Child | None:
    wanted = turn.data.get("child_id")
    return next((child for child in _children(turn) if child.id == wanted), None)


def _next_posyandu_day(turn: Turn, start: dt.date, until: dt.date | None = None) -> dt.date | None:
    days = load_days(turn.session, turn.contact.posyandu_id)
    return days.next_meeting(start, until) if days.known else None


# -- overview -------------------------------------------------------------------------------------


def begin(turn: Turn) -> None:
    children = _children(turn)
    if len(children) == 1:
        turn.data["child_id"] = children[0].id


def ask_pick_child(turn: Turn) -> None:
    children = _children(turn)
    if not children:
        turn.say(
            _("You have no child registered yet. Type DATA SAYA to add your child, then come back here.")
        )
        return
    lines = "\n".join(f"{n}. {child.name}" for n, child in enumerate(children, 1))
    turn.say(_("Which child?\n{children}\nType the number.").format(children=lines))


def answer_pick_child(turn: Turn) -> Next:
    children = _children(turn)
    if not children:
        return PASS
    chosen = chosen_child(turn, [child.id for child in children])
    if chosen is None:
        turn.say(_("Please type the number of the child."))
        return REPEAT
    turn.data["child_id"] = chosen
    return "overview"


def _line(result: DoseStatus) -> str:
    return "- " + name_of(result.vaccine)


def overview_text(turn: Turn, child: Child) -> str:
    today = turn.today
    schedule = schedule_of(turn.session, child, today)
    parts = [
        _("Immunization of {name} (born {date}):").format(
            name=child.name, date=format_short_date(child.date_of_birth)
        )
    ]
    given = [r for r in schedule if r.status is Status.GIVEN]
    if given:
        parts.append(_("Given:"))
        parts += [f"{_line(r)}: {format_short_date(r.given_on)}" for r in given if r.given_on]
    overdue = [r for r in schedule if r.status is Status.OVERDUE]
    waiting_ids = {r.vaccine for r in schedule if r.status in (Status.OVERDUE, Status.DUE)}
    plan = national_schedule()
    # A late series is caught up one dose at a time: the later doses wait for the earlier ones.
    after = [r for r in overdue if (prev := plan.previous(r.dose)) is not None and prev.id in waiting_ids]
    overdue = [r for r in overdue if r not in after]
    if overdue:
        parts.append(_("Late, not recorded yet:"))
        for r in overdue:
            parts.append(
                _("{dose}: due {due}, can still be given until {until}").format(
                    dose=_line(r), due=format_short_date(r.due), until=format_short_date(r.until)
                )
                if r.until
                else _("{dose}: due {due}").format(dose=_line(r), due=format_short_date(r.due))
            )
        parts.append(
            _(
                "It is not too late, Bunda: late doses are simply given now (catch-up immunization), "
                "there is no need to start again."
            )
        )
        if after:
            parts.append(
                _("Then, one after the other (at least 4 weeks apart): {doses}.").format(
                    doses=", ".join(name_of(r.vaccine) for r in after)
                )
            )
    due = [r for r in schedule if r.status is Status.DUE]
    if due:
        parts.append(_("Due now:"))
        parts += [f"{_line(r)}: {format_short_date(r.due)}" for r in due]
    upcoming = [r for r in schedule if r.status is Status.UPCOMING][:UPCOMING_SHOWN]
    if upcoming:
        parts.append(_("Next:"))
        parts += [f"{_line(r)}: {format_short_date(r.due)}" for r in upcoming]
    early = [r for r in schedule if r.too_early is not None and r.recorded_on is not None]
    for r in early:
        assert r.too_early is not None and r.recorded_on is not None
        parts.append(_too_early_text(r))
    expired = [
        r
        for r in schedule
        if r.status is Status.EXPIRED and r.vaccine not in given_doses(turn.session, child.id)
    ]
    if expired:
        parts.append(_("No longer given at this age:"))
        parts += [_line(r) for r in expired]
        if any(r.dose.series == "rv" for r in expired):
            parts.append(
                _(
                    "Rotavirus drops are only given to young babies (the last dose before 7 months), "
                    "so a missed dose is not given later. This is not a problem of the other vaccines: "
                    "keep going with them, and ask the bidan how to protect your child from diarrhoea."
                )
            )
        else:
            parts.append(_("Ask the bidan what your child needs instead."))
    pending = overdue + after + due
    if pending or upcoming:
        start = max(today, min(r.due for r in pending + upcoming))
        limits = [r.until for r in pending if r.until is not None]
        day = _next_posyandu_day(turn, start, min(limits) if limits else None)
        if day is not None:
            place = turn.contact.posyandu.name if turn.contact.posyandu else ""
            parts.append(
                _("Next posyandu day when it can be given: {date} (Posyandu {name}).").format(
                    date=format_date(day), name=place
                )
            )
        else:
            parts.append(_("Ask your kader when the next posyandu day is, or go to the puskesmas."))
    return "\n".join(parts)


def _too_early_text(result: DoseStatus) -> str:
    assert result.too_early is not None and result.recorded_on is not None
    return _(
        "{dose} recorded on {date} was given a little too early, so it does not count yet. That is "
        "nobody's fault; it just needs to be given again from {counts_from}. Ask the bidan."
    ).format(
        dose=name_of(result.vaccine),
        date=format_short_date(result.recorded_on),
        counts_from=format_short_date(result.too_early.counts_from),
    )


def ask_overview(turn: Turn) -> None:
    child = _child(turn)
    if child is None:
        ask_pick_child(turn)
        return
    turn.say(overview_text(turn, child))
    other = "\n" + _("3. Another child") if len(_children(turn)) > 1 else ""
    turn.say(
        _(
            "What would you like to do?\n1. Record a dose already given\n2. Correct a wrong record{other}\nType MENU to go back."
        ).format(other=other)
    )


def answer_overview(turn: Turn) -> Next:
    if _child(turn) is None:
        return answer_pick_child(turn)
    action = match_option(turn.text, ACTIONS)
    if action == "other_child" and len(_children(turn)) > 1:
        return "pick_child"
    if action == "fix":
        return "fix_pick"
    if action == "record":
        return "record_vaccine"
    turn.say(_("Please type 1 or 2, or MENU."))
    return REPEAT


# -- recording ------------------------------------------------------------------------------------


def _recordable(turn: Turn, child: Child) -> list[DoseStatus]:
    """The doses she may record now: the next one of each series only (one dose of a series a day)."""
    horizon = turn.today + dt.timedelta(days=RECORDABLE_DAYS)
    schedule = national_schedule()
    series: set[str] = set()
    found = []
    for r in schedule_of(turn.session, child, turn.today):
        if r.status not in (Status.OVERDUE, Status.DUE, Status.UPCOMING):
            continue
        dose = schedule.dose(r.vaccine)
        if dose.series in series:
            continue
        series.add(dose.series)
        if r.due <= horizon:
            found.append(r)
    return found


def _too_soon(turn: Turn, child: Child, vaccine: str, given_on: dt.date) -> tuple[str, dt.date] | None:
    """The previous dose of the series and the first day this one may follow it, when ``given_on`` is
    before that day (the minimum interval of DOMAIN.md §1); None when the date is possible."""
    schedule = national_schedule()
    dose = schedule.dose(vaccine)
    previous = schedule.previous(dose)
    if previous is None or dose.min_interval is None:
        return None
    previous_on = given_doses(turn.session, child.id).get(previous.id)
    if previous_on is None:
        return None
    earliest = dose.min_interval.after(previous_on)
    return (previous.id, earliest) if given_on < earliest else None


def ask_record_vaccine(turn: Turn) -> None:
    child = _child(turn)
    assert child is not None
    doses = _recordable(turn, child)
    turn.data["offered"] = [r.vaccine for r in doses]
    if not doses:
        turn.say(
            _("No dose is due for {name} in the coming weeks. Type MENU to go back.").format(name=child.name)
        )
        return
    lines = "\n".join(f"{n}. {name_of(r.vaccine)}" for n, r in enumerate(doses, 1))
    turn.say(
        _(
            "Which immunization did {name} get? Type the numbers, e.g. 1 2 3 (several are often given "
            "on the same day), or SEMUA for all.\n{doses}"
        ).format(name=child.name, doses=lines)
    )


def answer_record_vaccine(turn: Turn) -> Next:
    offered: list[str] = turn.data.get("offered", [])
    if not offered:
        return MENU
    answer = simplify(turn.text)
    if answer in {"semua", "semuanya", "all"}:
        chosen = list(offered)
    else:
        numbers = [int(n) for n in re.findall(r"\d+", answer)]
        chosen = [offered[n - 1] for n in numbers if 0 < n <= len(offered)]
        if not chosen:
            names = {simplify(name_of(v)): v for v in offered}
            chosen = [v for name, v in names.items() if name and name in answer]
    if not chosen or len(chosen) != len(set(chosen)):
        turn.say(_("Please type the numbers from the list, e.g. 1 or 1 2."))
        return REPEAT
    turn.data["vaccines"] = chosen
    return "record_date"


def ask_record_date(turn: Turn) -> None:
    turn.say(
        _(
            "When was it given? Type the date, e.g. 12-3-2026 or 12 Maret, or TADI if it was given at "
            "the posyandu today."
        )
    )


def read_given_date(turn: Turn, child: Child) -> dt.date | None:
    """The date a dose was given ("tadi", "di posyandu tadi", "sudah 12 maret", "12/3/26")."""
    answer = simplify(turn.text)
    if answer in TODAY_WORDS:
        return turn.today
    cleaned = " ".join(FILLERS.sub(" ", answer).split())
    if cleaned in TODAY_WORDS or not cleaned:
        return turn.today
    try:
        parsed = parse_past_date(cleaned if cleaned else turn.text, turn.today)
    except DateError:
        try:
            parsed = parse_past_date(turn.text, turn.today)
        except DateError as error:
            explain_date_error(turn, error)
            return None
    if parsed.value < child.date_of_birth:
        turn.say(
            _("That is before {name} was born ({date}). Please check the date.").format(
                name=child.name, date=format_short_date(child.date_of_birth)
            )
        )
        return None
    return parsed.value


def answer_record_date(turn: Turn) -> Next:
    child = _child(turn)
    assert child is not None
    given_on = read_given_date(turn, child)
    if given_on is None:
        return REPEAT
    vaccines: list[str] = turn.data.get("vaccines", [])
    too_soon = {v: found for v in vaccines if (found := _too_soon(turn, child, v, given_on)) is not None}
    for vaccine, (previous, earliest) in too_soon.items():
        turn.say(
            _(
                "{dose} cannot have been given on {date}: it comes at least {interval} after {previous} "
                "(given {previous_date}), so from {earliest}. Please check the date in the KIA book."
            ).format(
                dose=name_of(vaccine),
                date=format_short_date(given_on),
                interval=_interval_text(vaccine),
                previous=name_of(previous),
                previous_date=format_short_date(given_doses(turn.session, child.id)[previous]),
                earliest=format_short_date(earliest),
            )
        )
    vaccines = [v for v in vaccines if v not in too_soon]
    if not vaccines:
        turn.data["vaccines"] = list(too_soon)
        return REPEAT
    for vaccine in vaccines:
        record_dose(
            turn.session,
            child,
            vaccine,
            given_on,
            source="mother",
            recorded_by=turn.contact.id,
            today=turn.today,
        )
    turn.record("immunization_recorded", child_id=child.id, vaccines=vaccines, given_on=given_on.isoformat())
    turn.say(
        _(
            "Thank you, Bunda! {doses} on {date} is recorded. Well done: {name} is better protected now."
        ).format(
            doses=", ".join(name_of(v) for v in vaccines), date=format_short_date(given_on), name=child.name
        )
    )
    _explain_early(turn, child, vaccines)
    _say_next(turn, child)
    return MENU


def _interval_text(vaccine: str) -> str:
    """``4 minggu``: the minimum interval of ``vaccine`` after the previous dose of its series."""
    span = national_schedule().dose(vaccine).min_interval
    if span is None:
        return ""
    if span.months:
        return ngettext("{n} month", "{n} months", span.months).format(n=span.months)
    weeks, days = span.weeks, span.days
    if days == 0:
        return ngettext("{n} week", "{n} weeks", weeks).format(n=weeks)
    return ngettext("{n} day", "{n} days", 7 * weeks + days).format(n=7 * weeks + days)


def _explain_early(turn: Turn, child: Child, vaccines: list[str]) -> None:
    for result in schedule_of(turn.session, child, turn.today):
        if result.vaccine in vaccines and result.too_early is not None:
            turn.say(_too_early_text(result))


def _say_next(turn: Turn, child: Child) -> None:
    waiting = [
        r
        for r in schedule_of(turn.session, child, turn.today)
        if r.status in (Status.OVERDUE, Status.DUE, Status.UPCOMING)
    ]
    if not waiting:
        return
    first = waiting[0].due
    batch = [r for r in waiting if r.due == first]
    day = _next_posyandu_day(turn, max(first, turn.today), batch[0].until)
    when = format_date(day) if day is not None else format_short_date(first)
    turn.say(
        _("Next: {doses} from {due}. We will remind you before the posyandu day ({when}).").format(
            doses=", ".join(name_of(r.vaccine) for r in batch),
            due=format_short_date(max(first, turn.today)),
            when=when,
        )
    )


# -- corrections ----------------------------------------------------------------------------------


def ask_fix_pick(turn: Turn) -> None:
    child = _child(turn)
    assert child is not None
    recorded = sorted(given_doses(turn.session, child.id).items(), key=lambda item: (item[1], item[0]))
    turn.data["recorded"] = [vaccine for vaccine, _day in recorded]
    if not recorded:
        turn.say(_("Nothing is recorded for {name} yet. Type MENU to go back.").format(name=child.name))
        return
    lines = "\n".join(
        f"{n}. {name_of(vaccine)}: {format_short_date(day)}" for n, (vaccine, day) in enumerate(recorded, 1)
    )
    turn.say(_("Which record is wrong?\n{doses}\nType the number.").format(doses=lines))


def answer_fix_pick(turn: Turn) -> Next:
    recorded: list[str] = turn.data.get("recorded", [])
    if not recorded:
        return MENU
    answer = simplify(turn.text)
    if not answer.isdigit() or not 0 < int(answer) <= len(recorded):
        turn.say(_("Please type the number from the list."))
        return REPEAT
    turn.data["vaccine"] = recorded[int(answer) - 1]
    return "fix_action"


def ask_fix_action(turn: Turn) -> None:
    turn.say(
        _("{dose}: what is wrong?\n1. The date\n2. It was not given (delete it)").format(
            dose=name_of(turn.data["vaccine"])
        )
    )


def answer_fix_action(turn: Turn) -> Next:
    child = _child(turn)
    assert child is not None
    action = match_option(turn.text, FIXES)
    if action == "date":
        return "fix_date"
    if action == "delete":
        vaccine = turn.data["vaccine"]
        remove_dose(turn.session, child, vaccine, turn.today)
        turn.record("immunization_removed", child_id=child.id, vaccine=vaccine)
        turn.say(
            _("Deleted: {dose} is no longer recorded for {name}.").format(
                dose=name_of(vaccine), name=child.name
            )
        )
        return MENU
    turn.say(_("Please type 1 or 2."))
    return REPEAT


def ask_fix_date(turn: Turn) -> None:
    turn.say(_("What is the right date? For example: 12-3-2026 or 12 Maret 2026."))


def answer_fix_date(turn: Turn) -> Next:
    child = _child(turn)
    assert child is not None
    given_on = read_given_date(turn, child)
    if given_on is None:
        return REPEAT
    vaccine = turn.data["vaccine"]
    record_dose(
        turn.session, child, vaccine, given_on, source="mother", recorded_by=turn.contact.id, today=turn.today
    )
    turn.record("immunization_corrected", child_id=child.id, vaccine=vaccine, given_on=given_on.isoformat())
    turn.say(
        _("Corrected: {dose} on {date}.").format(dose=name_of(vaccine), date=format_short_date(given_on))
    )
    _explain_early(turn, child, [vaccine])
    return MENU


IMMUNIZATION_FLOW = Flow(
    name="immunization",
    first="overview",
    on_start=begin,
    steps={
        "pick_child": Step(ask_pick_child, answer_pick_child),
        "overview": Step(ask_overview, answer_overview),
        "record_vaccine": Step(ask_record_vaccine, answer_record_vaccine),
        "record_date": Step(ask_record_date, answer_record_date),
        "fix_pick": Step(ask_fix_pick, answer_fix_pick),
        "fix_action": Step(ask_fix_action, answer_fix_action),
        "fix_date": Step(ask_fix_date, answer_fix_date),
    },
)
