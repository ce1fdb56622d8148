"""How long the stay is: "3 nights", "a week", "for two days"."""

import re

from guestmsg.text.numbers import COUPLE_OF, NUM, ONE, count
from guestmsg.bot.nlu.offline.units import DAY, NIGHT, WEEK
from guestmsg.text import take

_NIGHTS_RE = re.compile(rf"\b({NUM}|{ONE}|{COUPLE_OF})\s*{NIGHT}\b")
_WEEKS_RE = re.compile(rf"\b({NUM}|{ONE})\s*{WEEK}\b")
_DAYS_RE = re.compile(rf"\b(?:for|por|pour|fur|durante|during|per)\s+({NUM}|{ONE})\s*{DAY}\b")


def read_nights(text, stay):
    """Sets ``stay.nights`` from the first length written; returns ``text`` with the lengths blanked out."""
    def nights(match):
        value = count(match.group(1))
        if value is not None and stay.nights is None:
            stay.nights = value

    def weeks(match):
        value = count(match.group(1))
        if value is not None and stay.nights is None:
            stay.nights = 7 * value

    text = take(_NIGHTS_RE, text, nights)
    text = take(_WEEKS_RE, text, weeks)
    if stay.nights is None:
        text = take(_DAYS_RE, text, nights)
    return text
