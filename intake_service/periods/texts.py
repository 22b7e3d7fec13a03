"""What the periods feature says to people, as English msgids rendered in the reader's language.

What its reminders say is with the other notifications' texts (``notifications.texts``).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_NAMES = {"H1": _l("First half year"), "FY": _l("Full year")}
ITEM_LABELS = {"registrations": _l("Model registrations"), "reports": _l("Result reports")}
STATUS_LABELS = {
    "on_time": _l("On time"),
    "late": _l("Late"),
    "missing": _l("Missing"),
    "pending": _l("Not yet sent"),
}


def kind_name(kind: str) -> str:
    return str(KIND_NAMES.get(kind, kind))


def items_label(items: list[str]) -> str:
    return ", ".join(str(ITEM_LABELS.get(item, item)).lower() for item in items)
