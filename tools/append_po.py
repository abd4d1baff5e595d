"""Append translations to the shared catalog without rewriting it (safe while others append too).

Usage: python tools/append_po.py TRANSLATIONS.py — a Python file defining ``TRANSLATIONS``, a list of
``(msgid, msgstr)``, ``((singular, plural), msgstr)`` or ``((context, msgid), msgstr)`` tuples with
``context`` marked by a leading ``ctx:``. Entries already in the catalog are skipped.
"""

from __future__ import annotations

import io
import re
import runpy
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parents[1] / "messages_id" / "locale" / "id" / "LC_MESSAGES" / "messages.po"


def main(path: str) -> None:
    existing = read_po(PO.open("rb"), locale="id")
    new = Catalog(locale="id")
    for key, text in runpy.run_path(path)["TRANSLATIONS"]:
        context = None
        if isinstance(key, tuple) and key[0].startswith("ctx:"):
            context, key = key[0][4:], key[1]
        if existing.get(key, context) is not None:
            continue
        new.add(key, (text,) if isinstance(key, tuple) else text, context=context)
    buffer = io.BytesIO()
    write_po(buffer, new, omit_header=True, width=0)
    # Indonesian has one plural form; Babel pads plural entries to two.
    text = re.sub(rb'msgstr\[[1-9]\] ""\n', b"", buffer.getvalue())
    with PO.open("ab") as po_file:
        po_file.write(b"\n" + text)
    print(f"appended {len(new)} entries")


if __name__ == "__main__":
    main(sys.argv[1])
