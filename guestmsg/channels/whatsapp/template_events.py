"""Reservation events that can send a WhatsApp template, and their variables.

A template mapping binds the positional body parameters of a Meta template
("1", "2", ...) to the variables an event offers.
"""

import json
import re

import babel
import babel.dates

EVENT_VARIABLES = {
    "reservation_confirmed": (
        "reference", "guestName", "checkIn", "checkOut", "totalAmount", "currency", "roomName",
    ),
    "check_in_reminder": ("reference", "guestName", "checkIn"),
}

MAX_BODY_PARAMETERS = 60


class MappingError(ValueError):
    """A parameter mapping that cannot be used; the message says why."""


def parse_mapping(raw):
    """Accept a dict or a JSON text; return a dict or raise MappingError."""
    if isinstance(raw, (bytes, bytearray)):
        raw = raw.decode("utf-8", "replace")
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise MappingError(f"The parameter mapping is not valid JSON: {exc}") from None
    if not isinstance(raw, dict):
        raise MappingError('The parameter mapping must be a JSON object such as {"1": "guestName"}.')
    return raw


def validate_mapping(event_type, raw, parameter_count=None):
    """Validate a mapping against an event's variables (and the template's count).

    Returns the mapping with keys as strings, ordered by position.
    """
    if event_type not in EVENT_VARIABLES:
        raise MappingError(f"Unknown event '{event_type}'.")
    mapping = parse_mapping(raw)
    allowed = EVENT_VARIABLES[event_type]
    normalised = {}
    for key, value in mapping.items():
        key = str(key).strip()
        if not key.isdigit() or key != str(int(key)) or int(key) < 1:
            raise MappingError(f"'{key}' is not a template parameter position; use 1, 2, 3...")
        if int(key) > MAX_BODY_PARAMETERS:
            raise MappingError(f"Position {key} is beyond what a template can hold.")
        if not isinstance(value, str) or value not in allowed:
            raise MappingError(
                f"Parameter {key} maps to {value!r}, which the event '{event_type}' does not offer. "
                f"Available: {', '.join(allowed)}."
            )
        normalised[int(key)] = value
    positions = sorted(normalised)
    if positions != list(range(1, len(positions) + 1)):
        raise MappingError("Parameter positions must run from 1 without gaps.")
    if parameter_count is not None and len(positions) != parameter_count:
        raise MappingError(
            f"The template expects {parameter_count} body parameter(s) but the mapping gives {len(positions)}."
        )
    return {str(p): normalised[p] for p in positions}


def pick_mapping(candidates, language):
    """The item whose language suits ``language`` best, from ``(language_code, item)`` pairs.

    Exact code first ("es_ES"), then the same language in another region ("es", "es_MX"), then
    English, then the first candidate; None when there are none.
    """
    candidates = list(candidates)
    if not candidates:
        return None

    def base(code):
        return (code or "").replace("-", "_").split("_")[0].lower()

    wanted = (language or "").replace("-", "_")
    for test in (
        lambda code: code == wanted,
        lambda code: base(code) == base(wanted),
        lambda code: base(code) == "en",
    ):
        for code, item in candidates:
            if test((code or "").replace("-", "_")):
                return item
    return candidates[0][1]


_WHITESPACE_RUN = re.compile(r"\s+")
PARAMETER_MAX = 1024


def body_parameters(mapping, variables):
    """The template's body parameters, in position order, from an event's variables.

    Meta refuses parameters that are empty or hold new lines, tabs or runs of spaces, so values
    are flattened to one line; a missing value becomes "-".
    """
    values = []
    for position in sorted(mapping, key=int):
        value = variables.get(mapping[position])
        text = _WHITESPACE_RUN.sub(" ", "" if value is None else str(value)).strip()
        values.append(text[:PARAMETER_MAX] or "-")
    return values


_PLACEHOLDER = re.compile(r"\{\{\s*(\d+)\s*\}\}")


def fill_body(body, parameters):
    """A template's body text with its {{n}} placeholders replaced, as the guest would read it."""

    def replace(match):
        index = int(match.group(1)) - 1
        return parameters[index] if 0 <= index < len(parameters) else match.group(0)

    return _PLACEHOLDER.sub(replace, body or "")


def format_day(day, language):
    """A date as guests read it in their language ("Dec 1, 2026", "1 dic 2026")."""
    try:
        locale = babel.Locale.parse((language or "en_US").replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        locale = babel.Locale.parse("en_US")
    return babel.dates.format_date(day, format="medium", locale=locale)
