"""What Meta's webhook parsers share: clean bounded values from untrusted JSON, and a capped list of
the problems found in a body (a hostile body cannot grow it without end)."""

import math
import re

MAX_ID = 256
MAX_PROBLEMS = 200
_SURROGATES = re.compile("[\ud800-\udfff]")


def bounded(text, limit):
    """``text`` cut to ``limit`` characters, without NULs or lone surrogates (PostgreSQL refuses both)."""
    text = text[:limit]
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _SURROGATES.sub("\ufffd", text)
    return text


def clean_str(value, limit):
    """A bounded, clean string from a str or a number; None for anything else or blank."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = str(value) if abs(value) < 10 ** 30 else None
    elif isinstance(value, float):
        value = repr(value) if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    value = bounded(value.strip(), limit).strip()
    return value or None


def clean_id(value):
    return clean_str(value, MAX_ID)


def kind(value):
    """What a JSON value is, in words, for a problem message."""
    if value is None:
        return "null"
    return {
        dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number",
    }.get(type(value), type(value).__name__)


def show(value):
    """A short printable form of a payload value for a problem message."""
    if isinstance(value, str):
        text = bounded(value, 40)
        return repr(text + "…") if len(value) > 40 else repr(text)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** 30:
        return "a large number"
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)[:40]
    return kind(value)


class ProblemLog:
    """Collects a parser's problems into ``batch.problems``, at most MAX_PROBLEMS of them."""

    def __init__(self, batch):
        self.batch = batch
        self.dropped_problems = 0

    def problem(self, text):
        if len(self.batch.problems) < MAX_PROBLEMS:
            self.batch.problems.append(text)
        else:
            self.dropped_problems += 1

    def finish(self):
        if self.dropped_problems:
            self.batch.problems.append(f"... and {self.dropped_problems} more problems not listed.")
        return self.batch


def coordinate(value, bound):
    """A latitude (``bound`` 90) or longitude (180) as a float; a number written as text is read; None for
    anything else or out of range."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip()[:40])
        except ValueError:
            return None
    elif isinstance(value, int):
        value = float(value) if abs(value) <= bound else math.inf
    if not isinstance(value, float):
        return None
    if not math.isfinite(value) or not -bound <= value <= bound:
        return None
    return value
