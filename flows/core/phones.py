"""Phone numbers in E.164, parsed with ``phonenumbers`` (Indonesia is the default region)."""

from __future__ import annotations

import phonenumbers


class InvalidPhone(ValueError):
    pass


def to_e164(raw: str, region: str = "ID") -> str:
    """``whatsapp:+62 812-3456-7890`` or ``0812 3456 7890`` → ``+6281234567890``."""
    text = raw.strip().removeprefix("whatsapp:").strip()
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(raw) from exc
    if not phonenumbers.is_possible_number(number):
        raise InvalidPhone(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def whatsapp_address(e164: str) -> str:
    return f"whatsapp:{e164}"
