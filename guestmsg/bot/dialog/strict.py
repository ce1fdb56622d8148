"""Messages in a strict format, read without the NLU: ISO dates, a bare party size, a bare email address."""

import re
from datetime import date

from guestmsg.bot.nlu.types import EXPECT_CHECK_OUT, PROVIDE_DATES, PROVIDE_GUEST_INFO, NluResult
from guestmsg.bot.nlu.vocabulary import valid_email

_ISO = r"(\d{4}-\d{2}-\d{2})"
_DATES_RE = re.compile(
    rf"{_ISO}(?:\s*(?:to|-|–|—|->|→|until|till|al|a|au|bis|ate|até|,|/)?\s*{_ISO})?", re.IGNORECASE)
_COUNT_RE = re.compile(r"\d{1,3}")

INVALID_DATE = object()


def read_dates(text: str, expecting: str | None):
    """An NluResult for one or two ISO dates, ``INVALID_DATE`` for an impossible one, None for other text.

    A lone date is the check-out when only the check-out is expected."""
    match = _DATES_RE.fullmatch(text)
    if not match:
        return None
    first, second = match.group(1), match.group(2)
    result = NluResult(intent=PROVIDE_DATES, confidence=1.0, source="strict")
    try:
        first_date = date.fromisoformat(first)
        second_date = date.fromisoformat(second) if second else None
    except ValueError:
        return INVALID_DATE
    if second_date is None and expecting == EXPECT_CHECK_OUT:
        result.check_out = first_date
    else:
        result.check_in, result.check_out = first_date, second_date
    return result


def read_count(text: str) -> NluResult | None:
    """An NluResult with the number of adults for a bare number, None for other text."""
    if _COUNT_RE.fullmatch(text):
        return NluResult(intent=PROVIDE_DATES, confidence=1.0, adults=int(text), source="strict")
    return None


def read_email(text: str) -> NluResult | None:
    """An NluResult with the email for a bare email address, None for other text."""
    if valid_email(text) and " " not in text:
        return NluResult(intent=PROVIDE_GUEST_INFO, confidence=1.0, email=text, source="strict")
    return None
