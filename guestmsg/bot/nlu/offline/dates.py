"""Dates as a guest writes them, in six languages: the names of months and weekdays, the grammar that finds
dates in a folded message, and the calendar day each one means."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from guestmsg.text.numbers import NUM, ONE, number
from guestmsg.bot.nlu.offline.units import DAY, UNIT, WEEK
from guestmsg.text import alternation, mask

_MONTHS = {
    1: ("january", "jan", "enero", "ene", "janvier", "janv", "januar", "janner", "janeiro", "gennaio"),
    2: ("february", "feb", "febrero", "fevrier", "fevr", "februar", "fevereiro", "fev", "febbraio"),
    3: ("march", "mar", "marzo", "mars", "marz", "maerz", "marco"),
    4: ("april", "apr", "abril", "abr", "avril", "avr", "aprile"),
    5: ("may", "mayo", "mai", "maio", "maggio"),
    6: ("june", "jun", "junio", "juin", "juni", "junho", "giugno"),
    7: ("july", "jul", "julio", "juillet", "juil", "juli", "julho", "luglio"),
    8: ("august", "aug", "agosto", "aout"),
    9: ("september", "sept", "sep", "septiembre", "setiembre", "septembre", "setembro", "settembre"),
    10: ("october", "oct", "octubre", "octobre", "oktober", "okt", "outubro", "ottobre"),
    11: ("november", "nov", "noviembre", "novembre", "novembro"),
    12: ("december", "dec", "diciembre", "dic", "decembre", "dezember", "dez", "dezembro", "dicembre"),
}
MONTH_OF = {name: month for month, names in _MONTHS.items() for name in names}
WEEKDAYS = {
    0: ("monday", "lunes", "lundi", "montag", "segunda-feira", "segunda feira", "lunedi"),
    1: ("tuesday", "martes", "mardi", "dienstag", "terca-feira", "terca feira", "martedi"),
    2: ("wednesday", "miercoles", "mercredi", "mittwoch", "quarta-feira", "quarta feira", "mercoledi"),
    3: ("thursday", "jueves", "jeudi", "donnerstag", "quinta-feira", "quinta feira", "giovedi"),
    4: ("friday", "viernes", "vendredi", "freitag", "sexta-feira", "sexta feira", "sexta", "venerdi"),
    5: ("saturday", "sabado", "samedi", "samstag", "sonnabend", "sabato"),
    6: ("sunday", "domingo", "dimanche", "sonntag", "domenica"),
}
WEEKDAY_OF = {name: weekday for weekday, names in WEEKDAYS.items() for name in names}

MONTH = rf"(?:{alternation(MONTH_OF)})"
WEEKDAY = rf"(?:{alternation(WEEKDAY_OF)})"
_DAYN = r"(\d{1,2})(?:st|nd|rd|th|er|eme|o)?\.?"
_SEP = (r"\s*(?:-|–|—|->|to|till|til|until|through|thru|al|a|hasta(?:\s+el)?|au|jusqu'au|bis(?:\s+zum)?|"
        r"ate(?:\s+o)?|fino\s+al|and|y|e|et|und)\s*")
# "tonight": the evening of today, one night unless the message says otherwise
TONIGHT = (r"(?:tonight|tonite|esta\s+noche|ce\s+soir|heute\s+abend|heute\s+nacht|hoje\s+a\s+noite|esta\s+noite|"
           r"stasera|stanotte|questa\s+sera|questa\s+notte)")
_YEAR = r"(?:\s*,?\s*(?:de\s+|of\s+)?(\d{4}))?"


@dataclass
class Mention:
    """A date written in the message, not yet resolved to a calendar day."""

    start: int
    kind: str  # abs (year given), md (month and day), d (day only), wd (weekday), rel (days from today)
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    strict: bool = False
    offset: int = 0
    role: str | None = None  # "in" or "out" when the wording says so


def _safe_date(year, month, day):
    try:
        return date(year, month, day)
    except (TypeError, ValueError):
        return None


def _month_day(first, second):
    """Day and month of a numeric date, day first unless only month first makes sense."""
    if 1 <= second <= 12 and 1 <= first <= 31:
        return first, second
    if 1 <= first <= 12 and 1 <= second <= 31:
        return second, first
    return None, None


def _year(text):
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


_NOT_UNIT = rf"(?!\s*(?:{UNIT}|[/.:]\d))"
DATE_PATTERNS = (
    ("iso", re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")),
    ("numeric_year", re.compile(r"\b(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})\b(?![/.\-]\d)")),
    ("day_range_month", re.compile(
        rf"\b(?:from\s+|del\s+|de\s+|desde\s+el\s+|du\s+|vom\s+|dal\s+|entre\s+(?:el\s+)?|between\s+)?(?:the\s+)?"
        rf"{_DAYN}{_SEP}(?:the\s+|el\s+)?{_DAYN}\s*(?:of\s+|de\s+)?({MONTH})\.?{_YEAR}\b")),
    ("month_day_range", re.compile(
        rf"\b({MONTH})\.?,?\s+(?:the\s+)?{_DAYN}{_SEP}(?:the\s+)?{_DAYN}{_YEAR}\b{_NOT_UNIT}")),
    ("numeric", re.compile(r"\b(\d{1,2})[/.](\d{1,2})\b(?![/.]\d)")),
    ("day_month", re.compile(rf"\b(?:the\s+)?{_DAYN}\s*(?:of\s+|de\s+)?({MONTH})\b\.?{_YEAR}")),
    ("month_day", re.compile(rf"\b({MONTH})\.?,?\s+(?:the\s+)?{_DAYN}{_YEAR}\b{_NOT_UNIT}")),
    ("day_range", re.compile(
        rf"\b(?:from|del|desde el|du|vom|dal|entre(?:\s+el)?|between)\s+(?:the\s+)?{_DAYN}{_SEP}(?:the\s+|el\s+)?"
        rf"{_DAYN}\b{_NOT_UNIT}")),
    ("ordinal_range", re.compile(
        r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)\s*(?:-|to|till|until)\s*(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b")),
    ("ordinal_day", re.compile(r"\b(?:on\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)\b")),
    ("single_day", re.compile(
        rf"\b(?:el\s+dia|el|le|am|dia|no\s+dia|il\s+giorno|il|giorno)\s+(\d{{1,2}})\b\.?{_NOT_UNIT}")),
    ("after_tomorrow", re.compile(
        r"\b(?:the\s+day\s+after\s+tomorrow|day\s+after\s+tomorrow|pasado\s+manana|apres[\s-]demain|"
        r"ubermorgen|depois\s+de\s+amanha|dopodomani|dopo\s+domani)\b")),
    ("tonight", re.compile(rf"\b{TONIGHT}\b")),
    ("today", re.compile(r"\b(?:today|hoy|aujourd'hui|heute|hoje|oggi)\b")),
    ("tomorrow", re.compile(r"(?<!la )(?<!guten )\b(?:tomorrow|manana|demain|morgen|amanha|domani|domattina)\b")),
    ("weekend", re.compile(
        r"\b(?:(next|proximo|nachstes|nachste|que\s+viene|prossimo)\s+)?(?:this\s+|the\s+|este\s+|el\s+|ce\s+|"
        r"le\s+|dieses\s+|am\s+|neste\s+|no\s+|o\s+|questo\s+|il\s+|nel\s+)?(?:weekend|week-end|finde|"
        r"fin\s+de\s+semana|fin\s+de\s+semaine|wochenende|fim\s+de\s+semana|fine\s+settimana|finesettimana)"
        r"(?:\s+(que\s+viene|prochain|proximo|prossimo))?\b")),
    ("in_days", re.compile(
        rf"\b(?:in|en|dans|em|daqui\s+a|dentro\s+de|within|tra|fra)\s+({NUM}|{ONE})\s+({DAY}|{WEEK})\b")),
    ("weekday", re.compile(
        rf"\b(?:(next|coming|proximo|proxima|prochain|nachsten|nachster|kommenden|prossimo|prossima)\s+|(this|"
        rf"este|ce|diesen|nesta|neste|questo|questa)\s+|(?:on|el|am|na|no|il)\s+)?({WEEKDAY})"
        rf"(?:\s+(que\s+viene|prochain|que\s+vem|prossimo|prossima))?\b")),
)


def read_dates(text, stay):
    """Adds the date mentions of ``text`` to ``stay.mentions``; each match is blanked out of ``text``, which is
    returned."""
    original = text
    for kind, pattern in DATE_PATTERNS:
        while True:
            match = pattern.search(text)
            if not match:
                break
            found = _mentions_of(kind, match)
            if found and not (kind == "weekday" and _names_a_dated_day(match, stay.mentions, original)):
                stay.mentions.extend(found)
            text = mask(text, match.start(), match.end())
    return text


_AFTER_WEEKDAY = re.compile(r"[\s,]*(?:(?:the|el|le|il|den|der|o|dia)\s+)?")


def _names_a_dated_day(match, mentions, original):
    """Whether a weekday is written just before a date ("Saturday 15 March", "lunedì 7 aprile"): the date says
    which day it is, and the weekday is not a second date."""
    end = _AFTER_WEEKDAY.match(original, match.end()).end()
    return any(match.end() <= mention.start <= end for mention in mentions)


def _mentions_of(kind, match):
    start = match.start()
    g = match.groups()
    if kind == "iso":
        return [Mention(start, "abs", year=int(g[0]), month=int(g[1]), day=int(g[2]))]
    if kind == "numeric_year":
        day, month = _month_day(int(g[0]), int(g[2]))
        if day is None:
            return None
        return [Mention(start, "abs", year=_year(g[3]), month=month, day=day)]
    if kind == "numeric":
        day, month = _month_day(int(g[0]), int(g[1]))
        if day is None:
            return None
        return [Mention(start, "md", month=month, day=day)]
    if kind == "day_range_month":
        month, year = MONTH_OF[g[2]], _year(g[3])
        first, second = int(g[0]), int(g[1])
        k = "abs" if year else "md"
        return [Mention(start, k, year=year, month=month, day=first, role="in"),
                Mention(match.start(2), k, year=year, month=month, day=second, role="out")]
    if kind == "month_day_range":
        month, year = MONTH_OF[g[0]], _year(g[3])
        k = "abs" if year else "md"
        return [Mention(start, k, year=year, month=month, day=int(g[1]), role="in"),
                Mention(match.start(3), "d", year=year, month=month, day=int(g[2]), role="out")]
    if kind == "day_month":
        year = _year(g[2])
        return [Mention(start, "abs" if year else "md", year=year, month=MONTH_OF[g[1]], day=int(g[0]))]
    if kind == "month_day":
        year = _year(g[2])
        return [Mention(start, "abs" if year else "md", year=year, month=MONTH_OF[g[0]], day=int(g[1]))]
    if kind in ("day_range", "ordinal_range"):
        return [Mention(start, "d", day=int(g[0]), role="in"),
                Mention(match.start(2), "d", day=int(g[1]), role="out")]
    if kind in ("single_day", "ordinal_day"):
        return [Mention(start, "d", day=int(g[0]))]
    if kind == "after_tomorrow":
        return [Mention(start, "rel", offset=2)]
    if kind in ("today", "tonight"):
        return [Mention(start, "rel", offset=0)]
    if kind == "tomorrow":
        return [Mention(start, "rel", offset=1)]
    if kind == "weekend":
        following = bool(g[0] or g[1])
        return [Mention(start, "weekend", strict=following, role="in"),
                Mention(start + 1, "weekend_end", strict=following, role="out")]
    if kind == "in_days":
        amount = number(g[0])
        if amount is None:
            return None
        unit = g[1]
        days = amount * 7 if re.fullmatch(WEEK, unit) else amount
        return [Mention(start, "rel", offset=days)]
    if kind == "weekday":
        # only "this Friday" can be today; "Friday" or "next Friday" said on a Friday is a week later
        return [Mention(start, "wd", weekday=WEEKDAY_OF[g[2]], strict=not g[1])]
    return None


def _weekend(today, following):
    """Check-in and check-out of "this weekend" (Friday and Saturday nights; from Saturday only Saturday
    night) or, ``following``, of the weekend after."""
    weekday = today.weekday()
    if weekday == 5 and not following:
        return today, today + timedelta(days=1)
    friday = today + timedelta(days=4 - weekday) if weekday <= 5 else today + timedelta(days=5)
    if following and weekday != 6:  # on a Sunday the coming weekend is already the next one
        friday += timedelta(days=7)
    return friday, friday + timedelta(days=2)


def resolve(mention, today, anchor=None):
    """The calendar day of a mention: the first one on or after today, or after ``anchor``
    (the check-in) for the end of a stay."""
    ref = anchor + timedelta(days=1) if anchor else today
    kind = mention.kind
    if kind == "abs":
        return _safe_date(mention.year, mention.month, mention.day)
    if kind == "md":
        if mention.year:
            return _safe_date(mention.year, mention.month, mention.day)
        candidate = _safe_date(ref.year, mention.month, mention.day)
        if candidate is None:
            candidate = _safe_date(ref.year + 1, mention.month, mention.day)
            return candidate
        if candidate >= ref:
            return candidate
        if anchor and (anchor - candidate).days < 180:
            return candidate  # written before the check-in: let the validation say so
        return _safe_date(candidate.year + 1, mention.month, mention.day)
    if kind == "d":
        year, month = ref.year, ref.month
        if mention.month:
            year, month = (anchor.year if anchor else ref.year), mention.month
        for _ in range(3):
            candidate = _safe_date(year, month, mention.day)
            if candidate and (candidate >= ref or mention.month):
                return candidate
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return None
    if kind == "wd":
        start = ref
        if anchor is None and mention.strict:
            start = today + timedelta(days=1)
        return start + timedelta(days=(mention.weekday - start.weekday()) % 7)
    if kind == "rel":
        return today + timedelta(days=mention.offset)
    if kind == "weekend":
        return _weekend(today, mention.strict)[0]
    if kind == "weekend_end":
        return _weekend(today, mention.strict)[1]
    return None


# "in July", with the day written elsewhere
LONE_MONTH_RE = re.compile(r"\b(?:in|en|em|au mois de|im|de|of|a|ad|di|nel mese di)\s+(" + alternation(
    [name for name in MONTH_OF if len(name) >= 4]) + r")\b")
