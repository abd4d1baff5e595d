"""The ASIP calculators, by keyword: ``HITUNG ASIP`` (how much milk) and ``SIMPAN ASIP`` (how long it keeps).

Also ``ASI KERJA``, the keyword of the "ASI & kembali bekerja" flow. Keywords count at any step, like
the global ones, but only for registered contacts.
"""

from __future__ import annotations

import datetime as dt
import re

from flows.asi import plan as asi
from flows.core.children import explain_date_error
from flows.core.choices import Option, match_option, simplify
from flows.core.dates import DateError, parse_past_date
from flows.core.engine import END, REPEAT, Flow, Next, Step, Turn, end_flow, start_flow
from flows.core.localtime import to_local
from flows.knowledge import asi_figures as figures
from messages_id import _, format_date, format_number, format_time, pgettext

COUNT, STORE, PLAN = "hitung", "simpan", "asi"
COMMANDS = {
    COUNT: ("hitung asip", "hitung asi", "hitung asi perah", "hitung asip saya"),
    STORE: ("simpan asip", "simpan asi", "simpan asi perah", "cek asip", "cek simpan asip"),
    PLAN: ("asi kerja", "asi bekerja", "asi dan kerja", "asi kembali bekerja", "asi kembali kerja"),
}

PLACES = (
    Option("room", ("suhu ruang", "ruang", "meja", "luar")),
    Option("cooler_bag", ("cooler bag", "cooler", "tas pendingin", "coolerbag")),
    Option("fridge", ("kulkas", "lemari es", "kulkas bawah", "chiller")),
    Option("freezer_1door", ("freezer kulkas 1 pintu", "kulkas 1 pintu", "1 pintu")),
    Option("freezer_2door", ("freezer kulkas 2 pintu", "kulkas 2 pintu", "2 pintu")),
    Option("deep_freezer", ("deep freezer", "freezer khusus", "chest freezer")),
    Option("thawed_fridge", ("sudah dicairkan di kulkas", "cair di kulkas")),
    Option("thawed_room", ("sudah dicairkan di luar", "cair di luar", "sudah dihangatkan")),
)
NOW_WORDS = frozenset({"sekarang", "baru saja", "barusan", "baru aja", "baru", "tadi barusan"})
CLOCK = re.compile(
    r"(?:\b(?:jam|pukul|pkl)\s*)?(?<![\d./-])(\d{1,2})[.:](\d{2})(?![\d./-])(?:\s*(pagi|siang|sore|malam))?"
)
CLOCK_HOUR = re.compile(r"\b(?:jam|pukul|pkl)\s*(\d{1,2})\b(?:\s*(pagi|siang|sore|malam))?")


def command(text: str) -> str | None:
    """Which calculator (or the plan) a message asks for, or None."""
    message = simplify(text)
    for name, phrases in COMMANDS.items():
        for phrase in phrases:
            if message == phrase or (name == COUNT and message.startswith(phrase + " ")):
                return name
    return None


def offer(turn: Turn) -> bool:
    """A calculator's keyword from a registered contact (at any step): True when it was one."""
    name = command(turn.text) if turn.contact.registered_at is not None else None
    if not name:
        return False
    handle(turn, name)
    return True


def handle(turn: Turn, name: str) -> None:
    end_flow(turn)
    if name == PLAN:
        asi.begin(turn)
    elif name == STORE:
        start_flow(turn, "asi_simpan")
    else:
        rest = simplify(turn.text)
        for phrase in sorted(COMMANDS[COUNT], key=len, reverse=True):
            if rest.startswith(phrase):
                rest = rest[len(phrase) :].strip()
                break
        if rest:
            try:
                turn.say(count_text(asi.parse_hours(rest)))
                return
            except asi.HoursError:
                pass
        start_flow(turn, "asi_hitung")


# -- HITUNG ASIP ----------------------------------------------------------------------------------


def count_text(hours: int) -> str:
    portions = figures.portions(hours)
    return _(
        "For {hours} hours away from your baby:\n"
        "- {feeds} feeds of {low}-{high} ml, so the caregiver needs {away_low}-{away_high} ml a day.\n"
        "- Express about every 3 hours at work: about {sessions} times.\n"
        "- Stock before going back (with a freezer): about {stock} ml, {bags} bags of 100 ml.\n"
        "Based on about 750 ml a day in about 8 feeds (babies of 1-6 months on ASI only). "
        "Type SIMPAN ASIP to check how long milk keeps, MENU for the menu."
    ).format(
        hours=hours,
        feeds=portions.feeds_away,
        low=portions.per_feed_low,
        high=portions.per_feed_high,
        away_low=format_number(portions.away_low),
        away_high=format_number(portions.away_high),
        sessions=portions.express_sessions,
        stock=format_number(portions.stock_ml),
        bags=portions.stock_bags,
    )


def ask_count_hours(turn: Turn) -> None:
    turn.say(
        _(
            "How many hours are you away from your baby on a work day, including travel? "
            "Type one number, for example: 9"
        )
    )


def answer_count_hours(turn: Turn) -> Next:
    try:
        hours = asi.parse_hours(turn.text)
    except asi.HoursError as error:
        asi.explain_hours_error(turn, error)
        return REPEAT
    turn.say(count_text(hours))
    return END


# -- SIMPAN ASIP ----------------------------------------------------------------------------------


def ask_place(turn: Turn) -> None:
    turn.say(
        _(
            "Where is the milk kept?\n"
            "1. In the room\n"
            "2. Cooler bag with ice packs\n"
            "3. Fridge (not the freezer)\n"
            "4. Freezer of a 1-door fridge\n"
            "5. Freezer of a 2-door fridge\n"
            "6. Deep freezer\n"
            "7. Thawed, in the fridge\n"
            "8. Thawed, out of the fridge\n"
            "Type the number."
        )
    )


def answer_place(turn: Turn) -> Next:
    place = match_option(turn.text, PLACES)
    if place is None:
        turn.say(_("Please type a number from 1 to 8."))
        return REPEAT
    turn.data["place"] = place
    return "when"


def ask_when(turn: Turn) -> None:
    if turn.data.get("place", "").startswith("thawed"):
        turn.say(
            _("When was it thawed? For example: hari ini 07.30, kemarin 21.00, or SEKARANG if just now.")
        )
    else:
        turn.say(
            _(
                "When was it expressed? For example: hari ini 07.30, kemarin 21.00, 20-11-2026 06.15, or "
                "SEKARANG if just now."
            )
        )


class WhenError(ValueError):
    """``reason``: ``no_time`` (a time of day is needed), ``future``, or a :class:`DateError`."""

    def __init__(self, reason: str, date_error: DateError | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.date_error = date_error


def _hour(hour: int, part: str | None) -> int:
    if part in ("siang", "sore", "malam") and hour < 12 and not (part == "siang" and hour >= 10):
        return hour + 12
    if part == "malam" and hour == 12:
        return 0
    return hour


def parse_when(text: str, now_local: dt.datetime) -> tuple[dt.datetime, bool]:
    """The local moment milk was expressed (or thawed), and whether a time of day was given."""
    message = " ".join(text.lower().split())
    if simplify(message) in NOW_WORDS:
        return now_local.replace(second=0, microsecond=0), True
    clock = CLOCK.search(message) or CLOCK_HOUR.search(message)
    moment_time: dt.time | None = None
    if clock:
        groups = clock.groups()
        hour = int(groups[0])
        minute = int(groups[1]) if len(groups) == 3 and groups[1] else 0
        part = groups[-1]
        hour = _hour(hour, part)
        if hour > 23 or minute > 59:
            raise WhenError("unreadable")
        moment_time = dt.time(hour, minute)
        message = (message[: clock.start()] + " " + message[clock.end() :]).strip()
    date_text = " ".join(message.replace("tadi", " ").replace("pagi", " ").split())
    today = now_local.date()
    if date_text:
        try:
            day = parse_past_date(date_text, today).value
        except DateError as error:
            raise WhenError("date", error) from error
        date_given = True
    else:
        day, date_given = today, False
    if moment_time is None:
        if not date_given:
            raise WhenError("unreadable")
        return dt.datetime.combine(day, dt.time()), False
    moment = dt.datetime.combine(day, moment_time)
    if moment > now_local + dt.timedelta(minutes=5):
        if date_given:
            raise WhenError("future")
        moment -= dt.timedelta(days=1)  # "jam 22.00" typed in the morning: last night
    return moment, True


def answer_when(turn: Turn) -> Next:
    place = turn.data.get("place", "fridge")
    shelf = figures.SHELF_LIFE[place]
    now_local = to_local(turn.now, turn.timezone).replace(tzinfo=None)
    try:
        moment, with_time = parse_when(turn.text, now_local)
    except WhenError as error:
        if error.date_error is not None and error.date_error.reason != DateError.UNREADABLE:
            explain_date_error(turn, error.date_error)
        elif error.reason == "future":
            turn.say(_("That time is still to come. Please type when the milk was expressed."))
        else:
            turn.say(_("Please type the day and the time, for example: hari ini 07.30 or kemarin 21.00."))
        return REPEAT
    if not with_time and shelf.hours:
        turn.say(_("For this place I need the time too, for example: hari ini 07.30 or kemarin 21.00."))
        return REPEAT
    until = shelf.until(moment)
    if shelf.months:
        safe = _("Milk kept there is best used by {date}.").format(date=format_date(until.date()))
    elif with_time:
        safe = _("It is safe until {date} at {time}.").format(
            date=format_date(until.date()), time=format_time(until)
        )
    else:
        safe = _("It is safe until {date}.").format(date=format_date(until.date()))
    if (until <= now_local) if with_time or shelf.months else (until.date() < now_local.date()):
        turn.say(
            _("That milk is past its safe time ({date}). Please do not give it; throw it away.").format(
                date=format_date(until.date())
                + (" " + _("at {time}").format(time=format_time(until)) if with_time else "")
            )
        )
    else:
        turn.say(safe + "\n" + pgettext("asi shelf note", place))
    turn.say(_("Leftover milk after a feed is thrown away after 2 hours. Type MENU for the menu."))
    return END


COUNT_FLOW = Flow(
    name="asi_hitung", first="hours", steps={"hours": Step(ask_count_hours, answer_count_hours)}
)
STORE_FLOW = Flow(
    name="asi_simpan",
    first="place",
    steps={"place": Step(ask_place, answer_place), "when": Step(ask_when, answer_when)},
)
