"""Dates the grammar does not know ("in a fortnight", "dans une semaine"), read by dateparser."""

import re

from dateparser.search import search_dates

from guestmsg.bot.nlu.language import LANGUAGES
from guestmsg.text.numbers import NUM, NUMBER_WORDS
from guestmsg.bot.nlu.offline.units import UNIT
from guestmsg.text import alternation

_WORTH_A_LOOK_RE = re.compile(r"\d|\b(?:" + alternation(NUMBER_WORDS) + r"|fortnight|quinzaine|quincena)\b")


def fallback_dates(text, now, language):
    """Up to two day-precise dates dateparser finds in ``text``, as (position, length, date)."""
    if not _WORTH_A_LOOK_RE.search(text):
        return []
    languages = [language] if language in LANGUAGES else []
    if "en" not in languages:
        languages.append("en")
    settings = {
        "RELATIVE_BASE": now.replace(tzinfo=None),
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "DMY",
        "REQUIRE_PARTS": ["day", "month"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        found = search_dates(text, languages=languages, settings=settings) or []
    except Exception:  # pylint: disable=broad-except
        return []  # dateparser fails on some odd inputs; the rules' answer stands
    results = []
    for fragment, when in found:
        fragment = fragment.strip()
        if not re.search(r"[a-z]", fragment) or re.fullmatch(NUM, fragment):
            continue
        if re.search(rf"\b{UNIT}\b", fragment) and not re.search(r"\b(?:in|dans|en|em|from)\b", fragment):
            continue
        position = text.find(fragment)
        if position >= 0:
            results.append((position, len(fragment), when.date()))
    return results[:2]
