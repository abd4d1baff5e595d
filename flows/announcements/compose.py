"""``UMUMKAN``: a kader writes an announcement for her posyandu's mothers, step by step.

text → audience → when (now / a local date and hour / monthly N days before each posyandu day) →
a preview with the number of recipients → confirmation. ``BATAL`` cancels at any step (a global
keyword); nothing is stored or sent before the confirmation.
"""

from __future__ import annotations

import datetime as dt
import re

from flows.announcements import broadcast as ann
from flows.core.choices import Option, is_no, is_yes, match_option
from flows.core.daily_limit import recipients_in_window
from flows.core.dates import DateError, parse_date
from flows.core.engine import END, REPEAT, Flow, Next, Step, Turn, start_flow
from flows.core.localtime import to_local
from flows.core.notify import DAY_ENDS, DAY_STARTS
from flows.services.posyandu_days import load_days
from messages_id import _, format_date, format_number, format_time, pgettext

NAME = "announcement"
NOW, AT, MONTHLY = "now", "at", "monthly"
#: How far ahead a one-off announcement may be scheduled.
MAX_AHEAD = dt.timedelta(days=180)
MAX_DAYS_BEFORE = 14
MIN_TEXT = 5

AUDIENCE_OPTIONS = (
    Option(ann.ALL, ("semua", "semua ibu", "all")),
    Option(ann.UNDER2, ("baduta", "bawah 2", "anak di bawah 2 tahun", "balita di bawah 2 tahun")),
    Option(ann.PREGNANT, ("hamil", "ibu hamil", "bumil")),
    Option(ann.OVERDUE, ("terlambat", "imunisasi terlambat", "telat imunisasi")),
)
WHEN_OPTIONS = (
    Option(NOW, ("sekarang", "now", "kirim sekarang")),
    Option(AT, ("tanggal", "jadwalkan", "nanti", "tanggal dan jam")),
    Option(MONTHLY, ("tiap bulan", "setiap bulan", "bulanan", "ulang")),
)
TIME = re.compile(
    r"(?:\b(?:jam|pukul|pkl|pk)\.?\s*(?P<h1>\d{1,2})(?:[.:](?P<m1>\d{2}))?|\b(?P<h2>\d{1,2})[.:](?P<m2>\d{2}))"
    r"\s*(?P<part>pagi|siang|sore|malam)?\s*(?:wib|wita|wit)?\s*$",
    re.IGNORECASE,
)


class WhenError(ValueError):
    """A date and hour that cannot be used; ``str(error)`` is the reason for the kader."""


def parse_time(text: str) -> tuple[dt.time, str] | None:
    """``... jam 4 sore`` → (16:00, the text before it); None when no hour is written."""
    match = TIME.search(text.strip())
    if match is None:
        return None
    hour = int(match["h1"] or match["h2"])
    minute = int(match["m1"] or match["m2"] or 0)
    part = (match["part"] or "").lower()
    if (part in ("sore", "malam") and hour < 12) or (part == "siang" and hour < 11):
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute), text.strip()[: match.start()].strip(" ,")


def _daytime(at: dt.time) -> None:
    if not DAY_STARTS <= at < DAY_ENDS:
        raise WhenError(
            _("Messages go out only between {start} and {end}. Please choose an hour in between.").format(
                start=format_time(DAY_STARTS), end=format_time(DAY_ENDS)
            )
        )


def parse_moment(text: str, today: dt.date) -> tuple[dt.date, dt.time]:
    """A local date and hour typed by the kader (``15-08-2026 09.00``, ``besok jam 9``)."""
    found = parse_time(text)
    if found is None or not found[1]:
        raise WhenError(_("Please write the date and the hour, e.g. 15-08-2026 09.00."))
    at, date_text = found
    try:
        parsed = parse_date(date_text, today)
    except DateError as error:
        raise WhenError(_("I could not read that date. Please write it like 15-08-2026 09.00.")) from error
    day = parsed.value
    if parsed.year_missing and day < today:
        day = day.replace(year=day.year + 1)
    _daytime(at)
    return day, at


def parse_monthly(text: str) -> tuple[int, dt.time]:
    """``3`` or ``3 16.00`` → (3 days before, at 16:00); the hour is 08:00 when not written."""
    found = parse_time(text)
    at, rest = found if found is not None else (ann.DEFAULT_TIME, text)
    number = re.search(r"\d+", rest)
    if number is None or not 0 <= int(number[0]) <= MAX_DAYS_BEFORE:
        raise WhenError(
            _("Please write a number of days from 0 to {max}, e.g. 3 or 3 16.00.").format(max=MAX_DAYS_BEFORE)
        )
    _daytime(at)
    return int(number[0]), at


def begin(turn: Turn, text: str = "") -> None:
    """Start the flow (``UMUMKAN``, or ``UMUMKAN <text>`` straight to the audience)."""
    if text and _text_ok(turn, text):
        start_flow(turn, NAME, step="audience", data={"text": text})
    else:
        start_flow(turn, NAME)


def _text_ok(turn: Turn, text: str) -> bool:
    if len(text) > ann.MAX_TEXT:
        turn.say(
            _(
                "That is {count} characters; an announcement may have at most {max}. Please write it shorter."
            ).format(count=len(text), max=ann.MAX_TEXT)
        )
        return False
    return len(text) >= MIN_TEXT


# -- steps -------------------------------------------------------------------------------------


def ask_text(turn: Turn) -> None:
    turn.say(
        _(
            "Write the announcement for the mothers in one message (at most {max} characters). "
            "Type BATAL to cancel."
        ).format(max=ann.MAX_TEXT)
    )


def answer_text(turn: Turn) -> Next:
    if not _text_ok(turn, turn.text):
        return REPEAT
    turn.data["text"] = turn.text
    return "audience"


def ask_audience(turn: Turn) -> None:
    turn.say(
        _(
            "Who should receive it?\n"
            "1. All mothers of the posyandu\n"
            "2. Mothers of children under 2\n"
            "3. Pregnant women\n"
            "4. Mothers of a child with an overdue immunization\n"
            "Type the number."
        )
    )


def answer_audience(turn: Turn) -> Next:
    audience = match_option(turn.text, AUDIENCE_OPTIONS)
    if audience is None:
        return REPEAT
    turn.data["audience"] = audience
    return "when"


def ask_when(turn: Turn) -> None:
    turn.say(
        _(
            "When should it be sent?\n"
            "1. Now\n"
            "2. On a date and hour\n"
            "3. Every month, some days before each posyandu day\n"
            "Type the number."
        )
    )


def _reachable(turn: Turn) -> ann.AudienceCount:
    posyandu = turn.contact.posyandu
    assert posyandu is not None
    return ann.count_audience(turn.session, posyandu.id, turn.data["audience"], turn.today)


def answer_when(turn: Turn) -> Next:
    when = match_option(turn.text, WHEN_OPTIONS)
    if when is None:
        return REPEAT
    turn.data["when"] = when
    if when == NOW:
        if _reachable(turn).reachable == 0:
            turn.say(_("Nobody in that group can receive messages now. Please choose another group."))
            return "audience"
        return "confirm"
    if when == MONTHLY:
        if not load_days(turn.session, turn.contact.posyandu_id).known:
            turn.say(
                _(
                    "The posyandu days are not set yet. Set them first, e.g. JADWAL selasa minggu ke-2, "
                    "then type UMUMKAN again."
                )
            )
            return END
        return "monthly"
    return "at"


def ask_at(turn: Turn) -> None:
    turn.say(
        _("Write the date and hour (local time), e.g. {example} or besok jam 9.").format(
            example=(turn.today + dt.timedelta(days=3)).strftime("%d-%m-%Y") + " 09.00"
        )
    )


def answer_at(turn: Turn) -> Next:
    try:
        day, at = parse_moment(turn.text, turn.today)
    except WhenError as error:
        turn.say(str(error))
        return REPEAT
    moment = ann.to_utc(day, at, turn.timezone)
    if moment <= turn.now:
        turn.say(_("That time has already passed. Please write a time in the future."))
        return REPEAT
    if moment > turn.now + MAX_AHEAD:
        turn.say(_("That is too far ahead. Please choose a day within the next 6 months."))
        return REPEAT
    turn.data["send_at"] = moment.isoformat()
    return "confirm"


def ask_monthly(turn: Turn) -> None:
    turn.say(
        _(
            "How many days before each posyandu day should it go? Write a number from 0 to {max}, with the "
            "hour if you like, e.g. 3 or 3 16.00 (otherwise at 08.00)."
        ).format(max=MAX_DAYS_BEFORE)
    )


def answer_monthly(turn: Turn) -> Next:
    try:
        days_before, at = parse_monthly(turn.text)
    except WhenError as error:
        turn.say(str(error))
        return REPEAT
    turn.data["days_before"], turn.data["send_time"] = days_before, at.strftime("%H:%M")
    return "confirm"


def _when_text(turn: Turn) -> str:
    when = turn.data["when"]
    if when == NOW:
        return pgettext("announcement when", "now")
    if when == AT:
        local = to_local(dt.datetime.fromisoformat(turn.data["send_at"]), turn.timezone)
        return f"{format_date(local.date())} {format_time(local)}"
    return _("every month, {days} days before each posyandu day, at {time}").format(
        days=turn.data["days_before"], time=format_time(dt.time.fromisoformat(turn.data["send_time"]))
    )


def _limit_note(turn: Turn, reachable: int) -> str:
    if turn.data["when"] != NOW:
        return ""
    limit = turn.settings.daily_recipient_limit
    room = max(0, limit - len(recipients_in_window(turn.session, turn.now)))
    if reachable <= room:
        return ""
    return "\n" + _(
        "The sender number may write to at most {limit} people a day: {now} get it today, the other {later} "
        "on the next days."
    ).format(limit=format_number(limit), now=format_number(room), later=format_number(reachable - room))


def ask_confirm(turn: Turn) -> None:
    posyandu = turn.contact.posyandu
    assert posyandu is not None
    count = _reachable(turn)
    body, _variables = ann.compose(posyandu.name, _("(her name)"), turn.data["text"], None)
    stopped = (
        " " + _("({n} more have stopped messages and will not get it)").format(n=count.stopped)
        if count.stopped
        else ""
    )
    turn.say(
        _(
            "Preview of the message:\n\n{body}\n\nTo: {audience}, {count} mothers now{stopped}.\nWhen: {when}.{limit}\n"
            "1. Yes, send it\n2. No, cancel"
        ).format(
            body=body,
            audience=ann.audience_label(turn.data["audience"]),
            count=format_number(count.reachable),
            stopped=stopped,
            when=_when_text(turn),
            limit=_limit_note(turn, count.reachable),
        )
    )


def answer_confirm(turn: Turn) -> Next:
    if is_no(turn.text):
        turn.say(_("Cancelled. Nothing was sent."))
        return END
    if not is_yes(turn.text):
        return REPEAT
    posyandu = turn.contact.posyandu
    assert posyandu is not None
    when = turn.data["when"]
    announcement = ann.create(
        turn.session,
        posyandu,
        text=turn.data["text"],
        audience=turn.data["audience"],
        repeat=ann.MONTHLY if when == MONTHLY else ann.ONCE,
        now=turn.now,
        created_by=turn.contact.id,
        send_at=dt.datetime.fromisoformat(turn.data["send_at"]) if when == AT else turn.now,
        days_before=turn.data.get("days_before"),
        send_time=dt.time.fromisoformat(turn.data["send_time"]) if when == MONTHLY else None,
    )
    turn.record(
        "announcement_created", announcement_id=announcement.id, audience=announcement.audience, when=when
    )
    if when == NOW:
        result = ann.send_now(turn.session, announcement, turn.now, turn.settings)
        turn.say(
            _("Announcement {number}: {summary} Type LAPORAN for the delivery report.").format(
                number=announcement.id,
                summary=ann.sending_summary(result, turn.settings, turn.timezone, turn.now),
            )
        )
    else:
        turn.say(
            _("Announcement {number} is scheduled: {when}. Cancel it with BATALKAN {number}.").format(
                number=announcement.id,
                when=ann.describe_when(turn.session, announcement, turn.now, turn.settings.timezone),
            )
        )
    return END


ANNOUNCEMENT_FLOW = Flow(
    name=NAME,
    first="text",
    steps={
        "text": Step(ask_text, answer_text),
        "audience": Step(ask_audience, answer_audience),
        "when": Step(ask_when, answer_when),
        "at": Step(ask_at, answer_at),
        "monthly": Step(ask_monthly, answer_monthly),
        "confirm": Step(ask_confirm, answer_confirm),
    },
)
