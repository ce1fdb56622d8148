"""The stay a message describes: its dates, how many nights and who is coming, read from folded text."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from guestmsg.bot.nlu import types as nlu_types
from guestmsg.bot.nlu.escalation import escalation_matches
from guestmsg.bot.nlu.offline.dates import LONE_MONTH_RE, MONTH_OF, TONIGHT, Mention, read_dates, resolve
from guestmsg.bot.nlu.offline.fallback_dates import fallback_dates
from guestmsg.bot.nlu.offline.nights import read_nights
from guestmsg.bot.nlu.offline.party import read_party
from guestmsg.text import mask

_TONIGHT_RE = re.compile(rf"\b{TONIGHT}\b")
_IN_MARKER = re.compile(
    r"\b(?:check(?:ing)?[\s-]?in|arriv\w*|llegada|llego|llegamos|entrada|entramos|from|desde|starting|start|"
    r"a partir del?|j'arrive|anreise|ankunft|chegada|chego|entrando|dal|a partire dal?)\W*(?:\w+\W+){0,2}$"
)
_OUT_MARKER = re.compile(
    r"\b(?:check(?:ing)?[\s-]?out|leav\w*|depart\w*|salida|salgo|salimos|hasta|until|till|abreise|abfahrt|"
    r"saida|saimos|ate|jusqu'au|bis|partenza|parto|partiamo|ripartiamo|fino al?)\W*(?:\w+\W+){0,2}$"
)


@dataclass
class Stay:
    mentions: list = field(default_factory=list)
    nights: int | None = None
    adults: int | None = None
    children: int | None = None
    tonight: bool = False


def read_stay(text, now, language):
    """Dates, nights and party of a folded, corrected message, and the message with them blanked out."""
    stay = Stay()
    for match in escalation_matches(text):
        text = mask(text, match.start(), match.end())
    rest = read_dates(text, stay)
    lone_month = LONE_MONTH_RE.search(rest)
    if lone_month:
        # "a week in July starting the 5th": the month written apart from the day
        for mention in stay.mentions:
            if mention.kind == "d" and mention.month is None:
                mention.kind, mention.month = "md", MONTH_OF[lone_month.group(1)]
    if _TONIGHT_RE.search(text):
        stay.tonight = True
    rest = read_nights(rest, stay)
    rest = read_party(rest, stay)
    if not stay.mentions:
        for position, length, when in fallback_dates(rest, now, language):
            stay.mentions.append(Mention(position, "abs", year=when.year, month=when.month, day=when.day))
            rest = mask(rest, position, position + length)
    return stay, rest


def fill_stay(result, stay, plain, today, expecting):
    """Sets the check-in, check-out, nights, adults and children of ``result`` from ``stay``."""
    check_in_mention, check_out_mention = _roles(stay, plain, expecting)
    check_in = resolve(check_in_mention, today) if check_in_mention else None
    check_out = None
    if check_out_mention:
        check_out = resolve(check_out_mention, today, anchor=check_in)
    nights = stay.nights
    if nights is None and stay.tonight and check_out is None:
        nights = 1
    if check_in and check_out is None and nights is not None and 0 < nights <= 366:
        check_out = check_in + timedelta(days=nights)
    if check_in and check_out and check_out_mention and check_out_mention.kind == "weekend_end" and stay.nights:
        check_out = check_in + timedelta(days=stay.nights)
    result.check_in = check_in
    result.check_out = check_out
    result.nights = nights
    result.adults = stay.adults
    result.children = stay.children


def _roles(stay, text, expecting):
    """The check-in and check-out mentions."""
    mentions = sorted(stay.mentions, key=lambda m: m.start)
    for mention in mentions:
        if mention.role is None:
            before = text[max(0, mention.start - 30):mention.start]
            if _OUT_MARKER.search(before):
                mention.role = "out"
            elif _IN_MARKER.search(before):
                mention.role = "in"
    check_in = next((m for m in mentions if m.role == "in"), None)
    check_out = next((m for m in mentions if m.role == "out" and m is not check_in), None)
    free = [m for m in mentions if m.role is None or (m.role == "in" and m is not check_in)]
    if check_in is None and free:
        if len(free) == 1 and check_out is None and expecting == nlu_types.EXPECT_CHECK_OUT:
            check_out = free.pop(0)
        else:
            check_in = free.pop(0)
    if check_out is None and free:
        check_out = free.pop(0)
    return check_in, check_out
