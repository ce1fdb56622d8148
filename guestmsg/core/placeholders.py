"""Placeholders in canned responses: ``{guest_name}`` and friends, filled from the conversation.

The text is written by staff, so it is scanned with one regular expression and never handed to
``str.format``: ``{guest_name.__class__}`` or ``{0}`` are just unknown names.

* ``{name}`` is a placeholder; ``name`` is any run of characters without braces or line breaks.
* ``{{`` and ``}}`` stand for a literal ``{`` and ``}``.
* Any other brace is kept as written.

A placeholder without a value renders as an empty string: the agent reads the inserted text and
completes it before sending, and a guest never receives a raw ``{room}``.
"""

import re

PLACEHOLDERS = {
    "guest_name": "The guest's name, as the channel gives it or from the linked contact",
    "hotel_name": "The name of the hotel (the company of the conversation's channel)",
    "reservation_reference": "The reference of the guest's next reservation",
    "check_in": "The check-in date of the guest's next reservation",
    "check_out": "The check-out date of the guest's next reservation",
    "room": "The room(s) of the guest's next reservation",
}

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}")


def unknown_placeholders(text):
    """The names between braces in ``text`` that are not placeholders, once each, in order."""
    unknown = []
    for match in _TOKEN.finditer(text or ""):
        name = match.group(1)
        if name is not None and name not in PLACEHOLDERS and name not in unknown:
            unknown.append(name)
    return unknown


def render(text, values):
    """``text`` with each known placeholder replaced by its value from ``values`` ("" when missing).

    Values are inserted as they are, never scanned again. Unknown placeholders stay as written.
    """

    def replace(match):
        token = match.group(0)
        name = match.group(1)
        if name is None:
            return token[0]
        if name not in PLACEHOLDERS:
            return token
        value = values.get(name)
        return "" if value is None or value is False else str(value)

    return _TOKEN.sub(replace, text or "")
