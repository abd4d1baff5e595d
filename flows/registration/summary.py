"""A mother's data as she reads it (after registering, and in DATA SAYA)."""

from __future__ import annotations

from flows.core.children import age_text, sex_label
from flows.core.engine import Turn
from messages_id import _, format_short_date


def summary(turn: Turn) -> str:
    contact = turn.contact
    lines = [_("Your data:"), _("Name: {name}").format(name=contact.name or "-")]
    lines.append(_("Posyandu: {name}").format(name=contact.posyandu.name if contact.posyandu else "-"))
    if contact.children:
        lines.append(_("Children:"))
        for number, child in enumerate(contact.children, 1):
            lines.append(
                _("{number}. {name}, {sex}, born {date} ({age})").format(
                    number=number,
                    name=child.name,
                    sex=sex_label(child.sex),
                    date=format_short_date(child.date_of_birth),
                    age=age_text(child.date_of_birth, turn.today),
                )
            )
    else:
        lines.append(_("Children: none registered"))
    pregnancy = next((p for p in reversed(contact.pregnancies) if p.ended_at is None), None)
    if pregnancy and pregnancy.hpl:
        lines.append(_("Pregnancy: expected birth {date}").format(date=format_short_date(pregnancy.hpl)))
    elif pregnancy and pregnancy.hpht:
        lines.append(
            _("Pregnancy: last period started {date}").format(date=format_short_date(pregnancy.hpht))
        )
    elif pregnancy:
        lines.append(_("Pregnancy: yes, date not known yet"))
    return "\n".join(lines)
