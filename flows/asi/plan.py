"""ASI & kembali bekerja: a working mother's personal breastfeeding plan, her rights and a letter.

    begin ─plan exists─▶ home (1 see plan · 2 new plan · 3 rights · 4 letter)
      │none                         │2
      ▼                             ▼
    child* → return_date → hours → room → work_fridge → home_storage → express_time → caregiver
                                                                                        │ (plan saved,
    (* only with more than one baby under 2)                    plan messages, check-ins planned)
                                                                                        ▼
                                                                    after (1 rights · 2 letter · 3 menu)

It asks only what it does not know: the baby and its age come from the profile. The figures come from
:mod:`flows.knowledge.asi_figures`; the check-ins are rows of ``asi_checkin`` sent by ``scheduler.asi``.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select, update

from db.models import AsiCheckin, AsiPlan, Child
from flows.core.children import age_text, choice_lines, chosen_child, explain_date_error
from flows.core.choices import Option, is_no, is_yes, match_option, simplify
from flows.core.dates import DateError, parse_date
from flows.core.engine import END, MENU, REPEAT, Flow, Next, Step, Turn, Wait, follow, start_flow
from flows.core.localtime import local_today, to_utc
from flows.knowledge import asi_figures as figures
from messages_id import _, format_date, format_number, format_short_date, pgettext

#: Local time of day a check-in is sent.
CHECKIN_LOCAL_TIME = dt.time(9, 0)
#: How far ahead a return date may be (a mother may plan from late pregnancy on).
MAX_DAYS_AHEAD = 2 * 365

ALREADY_BACK = frozenset({"sudah", "sudah kerja", "sudah bekerja", "sudah masuk", "sudah masuk kerja"})

HOME_CHOICES = (
    Option("plan", ("lihat rencana", "rencana saya", "lihat")),
    Option("new", ("rencana baru", "buat baru", "baru", "ubah")),
    Option("rights", ("hak", "hak saya", "hak ibu bekerja")),
    Option("letter", ("surat", "surat atasan", "surat untuk atasan")),
)
AFTER_CHOICES = (
    Option("rights", ("hak", "hak saya", "hak ibu bekerja")),
    Option("letter", ("surat", "surat atasan", "surat untuk atasan")),
    Option("menu", ("menu", "menu utama", "selesai", "sudah")),
)
STORAGE_CHOICES = (
    Option("none", ("tidak ada kulkas", "tidak ada", "gak ada", "belum ada")),
    Option("fridge", ("kulkas tanpa freezer", "kulkas saja")),
    Option("freezer_1door", ("kulkas 1 pintu", "1 pintu", "satu pintu")),
    Option("freezer_2door", ("kulkas 2 pintu", "2 pintu", "dua pintu")),
    Option("deep_freezer", ("freezer khusus", "deep freezer", "freezer asi", "chest freezer")),
)
EXPRESS_CHOICES = (
    Option("breaks", ("bisa", "ya bisa", "ya")),
    Option("lunch", ("istirahat", "hanya istirahat", "jam istirahat", "waktu istirahat")),
    Option("none", ("tidak", "tidak bisa", "belum tahu", "tidak tahu", "ragu")),
)
CAREGIVERS = (
    Option("grandmother", ("nenek", "ibu saya", "mertua", "oma", "eyang", "mbah", "uti")),
    Option("husband", ("suami", "ayah", "bapak", "papa")),
    Option("family", ("keluarga", "saudara", "kakak", "adik", "tante", "bibi")),
    Option("nanny", ("pengasuh", "art", "babysitter", "baby sitter", "mbak", "suster")),
    Option("daycare", ("tpa", "daycare", "penitipan", "tempat penitipan anak")),
)


# -- helpers --------------------------------------------------------------------------------------


def babies(turn: Turn) -> list[Child]:
    """The mother's children under 2 years (ASI continues to 2 years)."""
    limit = figures.add_months_to_date(turn.today, -figures.CONTINUE_MONTHS)
    return [child for child in turn.contact.children if child.date_of_birth > limit]


def active_plan(turn: Turn) -> AsiPlan | None:
    return turn.session.scalar(
        select(AsiPlan)
        .where(AsiPlan.mother_id == turn.contact.id, AsiPlan.stopped_at.is_(None))
        .order_by(AsiPlan.id.desc())
        .limit(1)
    )


def _baby(turn: Turn) -> Child:
    child = turn.session.get(Child, turn.data["child_id"])
    assert child is not None
    return child


def caregiver_label(key: str) -> str:
    return pgettext("asi caregiver", key)


# -- start ----------------------------------------------------------------------------------------


def begin(turn: Turn) -> None:
    """The menu option and ``ASI KERJA``: the mother's plan, or the questions for a new one."""
    if active_plan(turn) is not None:
        start_flow(turn, "asi", step="home")
    else:
        start_new_plan(turn)


def start_new_plan(turn: Turn) -> None:
    candidates = babies(turn)
    if not candidates:
        turn.say(
            _(
                "I make the breastfeeding plan for a baby under 2 years registered in your data. Please add "
                "your baby first in DATA SAYA (menu 3). Meanwhile you can type HITUNG ASIP to count how much "
                "expressed milk is needed, or SIMPAN ASIP to know how long it keeps."
            )
        )
        follow(turn, MENU)
        return
    if len(candidates) == 1:
        start_flow(turn, "asi", step="return_date", data={"child_id": candidates[0].id})
    else:
        start_flow(turn, "asi", step="child", data={"choices": [c.id for c in candidates]})


def ask_home(turn: Turn) -> None:
    turn.say(
        _(
            "ASI & going back to work:\n"
            "1. See my plan again\n"
            "2. Make a new plan (new date or changes)\n"
            "3. My rights at work\n"
            "4. A letter for my employer\n"
            "Type the number."
        )
    )


def answer_home(turn: Turn) -> Next:
    choice = match_option(turn.text, HOME_CHOICES)
    plan = active_plan(turn)
    if choice == "new" or plan is None:
        candidates = babies(turn)
        if not candidates:
            start_new_plan(turn)
            return END
        if len(candidates) == 1:
            turn.data = {"child_id": candidates[0].id}
            return "return_date"
        turn.data = {"choices": [c.id for c in candidates]}
        return "child"
    if choice is None:
        turn.say(_("Please type a number from 1 to 4."))
        return REPEAT
    turn.data = {"plan_id": plan.id}
    if choice == "plan":
        for message in plan_messages(turn, plan):
            turn.say(message)
    elif choice == "rights":
        turn.say(rights_text())
    else:
        turn.say(letter_text(turn, plan))
    ask_after(turn)
    return Wait("after")


# -- the questions --------------------------------------------------------------------------------


def ask_child(turn: Turn) -> None:
    lines = choice_lines(turn, turn.data.get("choices", []))
    turn.say(_("Which baby is this plan for?\n{choices}\nType the number.").format(choices=lines))


def answer_child(turn: Turn) -> Next:
    choices: list[int] = turn.data.get("choices", [])
    chosen = chosen_child(turn, choices)
    if chosen is None:
        turn.say(_("Please type the number of the baby, from 1 to {count}.").format(count=len(choices)))
        return REPEAT
    turn.data = {"child_id": chosen}
    return "return_date"


def ask_return_date(turn: Turn) -> None:
    example = turn.today + dt.timedelta(days=30)
    turn.say(
        _(
            "On which date do you start working again? For example: {numeric} or {long}.\n"
            "If you are already back at work, type SUDAH."
        ).format(numeric=f"{example.day}-{example.month}-{example.year}", long=format_short_date(example))
    )


def answer_return_date(turn: Turn) -> Next:
    baby = _baby(turn)
    if simplify(turn.text) in ALREADY_BACK:
        turn.data["return_date"] = turn.today.isoformat()
        return "hours"
    try:
        parsed = parse_date(turn.text, turn.today)
    except DateError as error:
        if error.reason == DateError.UNREADABLE:
            turn.say(
                _(
                    "I need the exact date, not a number of days or weeks. Please type it like 5-1-2027 or "
                    "5 Januari 2027 (ask your office if you are not sure)."
                )
            )
        else:
            explain_date_error(turn, error)
        return REPEAT
    value = parsed.value
    if parsed.year_missing and value < turn.today:
        value = value.replace(year=value.year + 1) if not (value.month == 2 and value.day == 29) else value
    if value < turn.today:
        turn.say(
            _(
                "{date} has already passed. Please type the date you start working again, or SUDAH if you "
                "are already back at work."
            ).format(date=format_short_date(value))
        )
        return REPEAT
    if value < baby.date_of_birth or value > turn.today + dt.timedelta(days=MAX_DAYS_AHEAD):
        turn.say(_("That date does not look right for {name}. Please check it.").format(name=baby.name))
        return REPEAT
    turn.data["return_date"] = value.isoformat()
    return "hours"


HOUR_RANGE = re.compile(
    r"(?:jam|pukul|pkl)?\s*(\d{1,2})(?:[.:](\d{2}))?\s*(?:-|–|sampai|sampe|smp|sd|s d|hingga|ke)\s*"
    r"(?:jam|pukul|pkl)?\s*(\d{1,2})(?:[.:](\d{2}))?"
)
HOURS_NUMBER = re.compile(
    r"^(?:sekitar|kira kira|kurang lebih|kurleb|±)?\s*(\d{1,2})(?:[.,](\d))?\s*(?:jam|j|jm)?$"
)


class HoursError(ValueError):
    """Hours away that cannot be used; ``span`` is set when a clock range was typed instead."""

    def __init__(self, span: tuple[dt.time, dt.time, int] | None = None, out_of_range: bool = False) -> None:
        super().__init__("hours")
        self.span = span
        self.out_of_range = out_of_range


def parse_hours(text: str) -> int:
    """``10``, ``10 jam``, ``9,5 jam`` (rounded up) → whole hours away; a clock range raises with its span."""
    cleaned = " ".join(text.lower().replace("±", " ").split())
    plain = " ".join(re.sub(r"[^0-9a-z.,:\-–]+", " ", cleaned).split())
    match = HOURS_NUMBER.match(plain)
    if match:
        hours = int(match[1]) + (1 if match[2] and int(match[2]) > 0 else 0)
        if not 1 <= hours <= figures.MAX_HOURS_AWAY:
            raise HoursError(out_of_range=True)
        return hours
    span = HOUR_RANGE.search(plain)
    if span:
        start_h, start_m = int(span[1]), int(span[2] or 0)
        end_h, end_m = int(span[3]), int(span[4] or 0)
        if start_h <= 23 and end_h <= 23 and start_m < 60 and end_m < 60:
            if end_h * 60 + end_m <= start_h * 60 + start_m and end_h < 12:
                end_h += 12
            minutes = (end_h * 60 + end_m) - (start_h * 60 + start_m)
            if 0 < minutes <= 24 * 60:
                raise HoursError(span=(dt.time(start_h, start_m), dt.time(end_h % 24, end_m), minutes))
    raise HoursError()


def ask_hours(turn: Turn) -> None:
    turn.say(
        _(
            "On a work day, how many hours in total are you away from {name}, including travel? "
            "Type one number, for example: 10"
        ).format(name=_baby(turn).name)
    )


def explain_hours_error(turn: Turn, error: HoursError) -> None:
    if error.span is not None:
        start, end, minutes = error.span
        work_hours = round(minutes / 60)
        turn.say(
            _(
                "From {start} to {end} is {hours} hours of work. How many hours are you away in total, "
                "with travel there and back? Type just one number, for example {example}."
            ).format(start=f"{start:%H.%M}", end=f"{end:%H.%M}", hours=work_hours, example=work_hours + 1)
        )
    elif error.out_of_range:
        turn.say(_("Please type a number of hours between 1 and {most}.").format(most=figures.MAX_HOURS_AWAY))
    else:
        turn.say(_("Please type the number of hours only, for example: 10"))


def answer_hours(turn: Turn) -> Next:
    try:
        hours = parse_hours(turn.text)
    except HoursError as error:
        explain_hours_error(turn, error)
        return REPEAT
    turn.data["hours"] = hours
    return "room"


def _yes_no(turn: Turn, key: str, following: str) -> Next:
    if is_yes(turn.text) or simplify(turn.text) in {"ada", "ada kok", "sudah ada"}:
        turn.data[key] = True
        return following
    if is_no(turn.text) or simplify(turn.text) in {"tidak ada", "gak ada", "ga ada", "belum ada"}:
        turn.data[key] = False
        return following
    turn.say(_("Please answer 1 for yes or 2 for no."))
    return REPEAT


def ask_room(turn: Turn) -> None:
    turn.say(
        _(
            "Is there a lactation room (ruang ASI) at your workplace, a closed clean room to express milk?\n"
            "1. Yes\n2. No"
        )
    )


def answer_room(turn: Turn) -> Next:
    return _yes_no(turn, "room", "work_fridge")


def ask_work_fridge(turn: Turn) -> None:
    turn.say(_("Is there a fridge at work where you may keep your milk?\n1. Yes\n2. No"))


def answer_work_fridge(turn: Turn) -> Next:
    return _yes_no(turn, "work_fridge", "home_storage")


def ask_home_storage(turn: Turn) -> None:
    turn.say(
        _(
            "Where can you keep milk at home?\n"
            "1. No fridge\n"
            "2. Fridge without a freezer\n"
            "3. 1-door fridge with a small freezer inside\n"
            "4. 2-door fridge (separate freezer door)\n"
            "5. A separate freezer (deep freezer)\n"
            "Type the number."
        )
    )


def answer_home_storage(turn: Turn) -> Next:
    storage = match_option(turn.text, STORAGE_CHOICES)
    if storage is None:
        turn.say(_("Please type a number from 1 to 5."))
        return REPEAT
    turn.data["home_storage"] = storage
    return "express_time"


def ask_express_time(turn: Turn) -> None:
    turn.say(
        _(
            "Can you take a short break to express milk about every 3 hours at work?\n"
            "1. Yes\n2. Only at my lunch break\n3. No, or not sure"
        )
    )


def answer_express_time(turn: Turn) -> Next:
    choice = match_option(turn.text, EXPRESS_CHOICES)
    if choice is None:
        turn.say(_("Please type 1, 2 or 3."))
        return REPEAT
    turn.data["express_time"] = choice
    return "caregiver"


def ask_caregiver(turn: Turn) -> None:
    turn.say(
        _(
            "Who looks after {name} and gives the milk while you work?\n"
            "1. Grandmother\n2. Husband\n3. Other family\n4. A nanny\n5. A daycare (TPA)\nType the number."
        ).format(name=_baby(turn).name)
    )


def answer_caregiver(turn: Turn) -> Next:
    choice = match_option(turn.text, CAREGIVERS)
    if choice is None:
        turn.say(_("Please type a number from 1 to 5."))
        return REPEAT
    turn.data["caregiver"] = choice
    plan = save_plan(turn)
    for message in plan_messages(turn, plan):
        turn.say(message)
    turn.data = {"plan_id": plan.id}
    ask_after(turn)
    return Wait("after")


# -- saving ---------------------------------------------------------------------------------------


def checkin_due_at(turn: Turn, day: dt.date) -> dt.datetime:
    return to_utc(day, CHECKIN_LOCAL_TIME, turn.timezone)


def save_plan(turn: Turn) -> AsiPlan:
    """Store the answers as the mother's plan (replacing an earlier one) with its check-ins."""
    turn.session.execute(
        update(AsiPlan)
        .where(AsiPlan.mother_id == turn.contact.id, AsiPlan.stopped_at.is_(None))
        .values(stopped_at=turn.now, stop_reason="replaced")
        .execution_options(synchronize_session=False)
    )
    baby = _baby(turn)
    plan = AsiPlan(
        mother_id=turn.contact.id,
        child_id=baby.id,
        return_date=dt.date.fromisoformat(turn.data["return_date"]),
        hours_away=turn.data["hours"],
        lactation_room=turn.data["room"],
        work_fridge=turn.data["work_fridge"],
        home_storage=turn.data["home_storage"],
        express_time=turn.data["express_time"],
        caregiver=turn.data["caregiver"],
        created_at=turn.now,
    )
    for kind, day in figures.checkin_dates(plan.return_date, baby.date_of_birth, after=turn.today):
        plan.checkins.append(AsiCheckin(kind=kind, due_at=checkin_due_at(turn, day)))
    turn.session.add(plan)
    turn.session.flush()
    turn.record(
        "asi_plan_made",
        plan_id=plan.id,
        return_date=plan.return_date.isoformat(),
        hours_away=plan.hours_away,
        checkins=len(plan.checkins),
    )
    return plan


# -- the plan -------------------------------------------------------------------------------------


def stock_ml(plan: AsiPlan, portions: figures.Portions) -> int:
    """Two work days with a freezer; one day with a fridge only; none without a fridge."""
    if figures.has_freezer(plan.home_storage):
        return portions.stock_ml
    if plan.home_storage == "fridge":
        return portions.away_high
    return 0


def plan_messages(turn: Turn, plan: AsiPlan) -> list[str]:
    """The personal plan, in short messages."""
    baby = plan.child
    name = baby.name
    portions = figures.portions(plan.hours_away)
    start = max(figures.start_expressing(plan.return_date, plan.home_storage), turn.today)
    stock = stock_ml(plan, portions)
    messages = []

    first = [
        _("Your breastfeeding plan for {name}, Bunda {mother}:").format(
            name=name, mother=turn.contact.name or ""
        ),
        _("You go back to work on {date}; {name} will then be {age} old.").format(
            date=format_date(plan.return_date), name=name, age=age_text(baby.date_of_birth, plan.return_date)
        ),
    ]
    if figures.age_in_months(baby.date_of_birth, plan.return_date) < 3:
        first.append(
            _(
                "Remember: your maternity leave is at least 3 months (UU 4/2024). Type 1 after this plan to "
                "read your rights."
            )
        )
    if stock:
        first.append(
            _(
                "Start expressing and storing milk on {date}, once or twice a day after a feed. Stock to "
                "build: about {stock} ml, that is {bags} bags of 100 ml. A little each day is enough."
            ).format(
                date=format_date(start), stock=format_number(stock), bags=format_number(-(-stock // 100))
            )
        )
        if figures.has_freezer(plan.home_storage):
            first.append(
                _(
                    "Why {stock} ml: the milk {name} drinks on {days} work days, so one hard day is no problem."
                ).format(stock=format_number(stock), name=name, days=figures.STOCK_WORKDAYS)
            )
        else:
            first.append(
                _(
                    "Why only one day: without a freezer milk keeps 4 days in the fridge, so express each "
                    "day what {name} drinks the next day."
                ).format(name=name)
            )
    else:
        first.append(
            _(
                "Without a fridge you cannot build a stock: express in the morning before you leave and at "
                "work, and the caregiver uses it the same day."
            )
        )
    messages.append("\n\n".join(first))

    messages.append(
        _(
            "For the caregiver ({caregiver}): you are away about {hours} hours, so {name} needs about {feeds} "
            "feeds of {low}-{high} ml, that is {away_low}-{away_high} ml a day.\n"
            "Why: a baby on ASI only drinks about 750 ml a day from 1 to 6 months, in about 8 feeds, so "
            "about 90-100 ml each time."
        ).format(
            caregiver=caregiver_label(plan.caregiver),
            hours=plan.hours_away,
            name=name,
            feeds=portions.feeds_away,
            low=portions.per_feed_low,
            high=portions.per_feed_high,
            away_low=format_number(portions.away_low),
            away_high=format_number(portions.away_high),
        )
        + (
            "\n"
            + _(
                "From 6 months {name} also eats MPASI, so may drink a little less ASIP. Keep giving ASI."
            ).format(name=name)
            if figures.age_in_months(baby.date_of_birth, plan.return_date) >= figures.EXCLUSIVE_MONTHS
            else ""
        )
    )

    work = []
    if portions.express_sessions == 0:
        work.append(
            _(
                "You are away less than 3 hours: breastfeed {name} just before you leave and as soon as you "
                "are back; you do not need to express at work."
            ).format(name=name)
        )
    else:
        work.append(
            _(
                "At work: express about every 3 hours, about {sessions} times in your {hours} hours away. "
                "Breastfeed {name} just before you leave, as soon as you are home, and often at night: this "
                "keeps your milk flowing."
            ).format(sessions=portions.express_sessions, hours=plan.hours_away, name=name)
        )
        if plan.express_time == "lunch":
            work.append(
                _(
                    "You only have your lunch break: express then, and just before and after work. Ask for "
                    "short breaks about every 3 hours: it is your right (UU 13/2003 Pasal 83)."
                )
            )
        elif plan.express_time == "none":
            work.append(
                _(
                    "Without time to express, milk decreases. Time to express during work is your right "
                    "(UU 13/2003 Pasal 83): the letter in this menu helps you ask for it."
                )
            )
        if plan.lactation_room:
            work.append(_("Express in the lactation room (ruang ASI) at your workplace."))
        else:
            work.append(
                _(
                    "There is no lactation room yet: use a clean, closed place where nobody comes in (not the "
                    "toilet), and ask your employer for one (Permenkes 15/2013)."
                )
            )
    messages.append("\n".join(work))

    storage = [
        _(
            "At work keep the milk in the fridge (at the back, not in the door) and bring it home in a cooler "
            "bag with ice packs."
        )
        if plan.work_fridge
        else _(
            "There is no fridge at work: keep the milk in a cooler bag with ice packs (good for 24 hours), "
            "then straight into the fridge or freezer at home."
        ),
        pgettext("asi home storage", plan.home_storage),
        _("Write the date and time on each bag and use the oldest milk first."),
    ]
    messages.append("\n".join(storage))

    messages.append(
        _(
            "How the caregiver gives the milk:\n"
            "- Thaw frozen milk in the fridge overnight or in a bowl of warm water. No microwave, no boiling. "
            "Swirl gently.\n"
            "- Thawed milk keeps 24 hours in the fridge and 1-2 hours outside. Never freeze it again.\n"
            "- Warm one portion at a time; what is left after a feed is thrown away after 2 hours.\n"
            "- Give it with a cup or a spoon, never a bottle with a dot (teat), so {name} keeps wanting "
            "the breast."
        ).format(name=name)
    )

    upcoming = [c for c in plan.checkins if c.sent_at is None and c.due_at > turn.now]
    if upcoming:
        first_local = local_today(upcoming[0].due_at, turn.timezone)
        messages.append(
            _(
                "I will ask how it goes, first on {date}, then around your first days back and each month "
                "until {name} is 6 months. Type STOP to stop all messages."
            ).format(date=format_date(first_local), name=name)
        )
    return messages


def rights_text() -> str:
    return _(
        "Your rights as a working breastfeeding mother:\n"
        "- Maternity leave: 1.5 months before and 1.5 months after birth (UU 13/2003 Pasal 82). UU 4/2024 "
        "Pasal 4: at least 3 months, plus up to 3 more months with a doctor's letter.\n"
        "- Pay during leave: full for months 1-4, 75 percent for months 5-6; no dismissal during leave (UU 4/2024 "
        "Pasal 5).\n"
        "- Time to breastfeed or express during work (UU 13/2003 Pasal 83; UU 4/2024).\n"
        "- ASI only for 6 months and on to 2 years; workplaces must support it with time and a special room "
        "(UU 17/2023 Pasal 42; PP 33/2012 Pasal 30).\n"
        "- A lactation room to breastfeed, express and store milk (Permenkes 15/2013).\n"
        "If your rights are refused, talk to the bidan or the labour office (Disnaker)."
    )


def letter_text(turn: Turn, plan: AsiPlan) -> str:
    baby = plan.child
    portions = figures.portions(plan.hours_away)
    sessions = max(portions.express_sessions, 1)
    six_months = figures.add_months_to_date(baby.date_of_birth, figures.EXCLUSIVE_MONTHS)
    room_request = (
        _("permission to use the lactation room")
        if plan.lactation_room
        else _("a clean, closed place to express (a lactation room, as Permenkes 15/2013 asks)")
    )
    return _(
        "Here is a letter you can forward to your employer:\n\n"
        "Dear Sir/Madam,\n"
        "I, {mother}, will return to work on {date}. My child {name}, born {born}, receives ASI only until "
        "6 months ({six_months}) and will be breastfed until 2 years.\n"
        "Following UU 13/2003 Pasal 83, UU 17/2023 Pasal 42, PP 33/2012 and Permenkes 15/2013, I kindly ask "
        "for:\n"
        "1. time to express milk about every 3 hours ({sessions} times a work day);\n"
        "2. {room};\n"
        "3. a fridge to keep the milk, if possible.\n"
        "Thank you for your understanding and support.\n"
        "Respectfully,\n{mother}"
    ).format(
        mother=turn.contact.name or "",
        date=format_short_date(plan.return_date),
        name=baby.name,
        born=format_short_date(baby.date_of_birth),
        six_months=format_short_date(six_months),
        sessions=sessions,
        room=room_request,
    )


def ask_after(turn: Turn) -> None:
    turn.say(_("What next?\n1. My rights at work\n2. A letter for my employer\n3. Main menu"))


def answer_after(turn: Turn) -> Next:
    choice = match_option(turn.text, AFTER_CHOICES)
    plan = turn.session.get(AsiPlan, turn.data.get("plan_id")) if turn.data.get("plan_id") else None
    if choice == "menu" or plan is None:
        return MENU
    if choice is None:
        turn.say(_("Please type 1, 2 or 3."))
        return REPEAT
    turn.say(rights_text() if choice == "rights" else letter_text(turn, plan))
    return "after"


STEPS = {
    "home": Step(ask_home, answer_home),
    "child": Step(ask_child, answer_child),
    "return_date": Step(ask_return_date, answer_return_date),
    "hours": Step(ask_hours, answer_hours),
    "room": Step(ask_room, answer_room),
    "work_fridge": Step(ask_work_fridge, answer_work_fridge),
    "home_storage": Step(ask_home_storage, answer_home_storage),
    "express_time": Step(ask_express_time, answer_express_time),
    "caregiver": Step(ask_caregiver, answer_caregiver),
    "after": Step(ask_after, answer_after),
}

ASI_FLOW = Flow(name="asi", first="return_date", steps=STEPS)
