"""``posyandu-bot report``: figures for the posyandu's monthly report (``report asi``; more to come)."""

from __future__ import annotations

import datetime as dt
import json

import click

from bot.cli.common import open_runtime, posyandu_named
from flows.asi.report import asi_report
from messages_id import _, format_number, pgettext


@click.group()
def report() -> None:
    """Reports for the posyandu, per month."""


def _month(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a month; use YYYY-MM, e.g. 2026-11") from exc


@report.command("asi")
@click.option("--posyandu", "posyandu_name", required=True, help="Name of the posyandu.")
@click.option("--from", "first", help="First month, YYYY-MM (default: the first with records).")
@click.option("--to", "last", help="Last month, YYYY-MM (default: the last with records).")
@click.option("--json", "as_json", is_flag=True, help="One JSON line per month.")
def asi(posyandu_name: str, first: str | None, last: str | None, as_json: bool) -> None:
    """Exclusive breastfeeding of babies aged 0-5 months, and the reasons for stopping, per month.

    Counts come from the mothers' answers to the ASI check-ins (the latest answer of each month counts).
    """
    first_month, last_month = _month(first), _month(last)
    runtime = open_runtime()
    with runtime.sessions() as session:
        posyandu = posyandu_named(session, posyandu_name)
        months = asi_report(session, posyandu.id, first_month, last_month)
    runtime.engine.dispose()
    if as_json:
        for month in months:
            click.echo(json.dumps(month.as_json(), ensure_ascii=False))
        return
    click.echo(_("Breastfeeding report, posyandu {name}").format(name=posyandu_name))
    if not months:
        click.echo(_("No breastfeeding records yet."))
        return
    for month in months:
        percent = month.exclusive_percent
        click.echo(
            _(
                "{month}: {babies} babies aged 0-5 months, ASI only {exclusive} ({percent}), partly {partial}, "
                "stopped {stopped}"
            ).format(
                month=f"{month.period:%Y-%m}",
                babies=month.babies,
                exclusive=month.exclusive,
                percent="-" if percent is None else f"{format_number(percent)}%",
                partial=month.partial,
                stopped=month.stopped,
            )
        )
        if month.by_age:
            click.echo(
                "  "
                + _("by age: {ages}").format(
                    ages=", ".join(
                        _("{age} mo {exclusive}/{babies}").format(age=age, exclusive=e, babies=n)
                        for age, (n, e) in sorted(month.by_age.items())
                    )
                )
            )
        if month.stop_reasons:
            click.echo(
                "  "
                + _("reasons for stopping: {reasons}").format(
                    reasons=", ".join(
                        f"{pgettext('asi stop reason', reason)} {count}"
                        for reason, count in sorted(month.stop_reasons.items())
                    )
                )
            )


from bot.cli.report_growth import growth  # noqa: E402  (its own module, one job each)

report.add_command(growth)
