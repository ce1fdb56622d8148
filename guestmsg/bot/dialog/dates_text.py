"""Dates as a guest reads them: weekday and month names in the guest's language, the year once.

"Sun 10 Jan 2027"; a stay "Sun 10 Jan" to "Wed 13 Jan 2027"; in a button title "10–13 Jan". The names come
from Babel's locale data; ISO dates stay in the context and the option ids, which guests do not read.
"""

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

from guestmsg.bot.nlu.language import LANGUAGES

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class _Style:
    """Babel patterns of one language."""

    day: str = "EEE d MMM"  # a date with its weekday, without the year
    year: str = " y"  # what a date with its weekday ends with to give the year
    title_day: str = "d MMM"  # a date in a button title
    title_first_day: str = "d"  # the first day of a title's range within one month ("10–13 Jan")


_STYLES = {
    "de": _Style(day="EEE, d. MMM", title_day="d. MMM", title_first_day="d."),
    "pt": _Style(day="EEE, d 'de' MMM", year=" 'de' y"),
}
_DEFAULT_STYLE = _Style()


def language_of(language) -> str:
    """The bot's language closest to ``language`` ("pt_BR" gives "pt"); English for any other."""
    if not isinstance(language, str):
        return DEFAULT_LANGUAGE
    primary = language.replace("-", "_").split("_")[0].strip().lower()
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE


def date_text(day: date, language=None) -> str:
    """One date with its weekday and year: "Sun 10 Jan 2027"."""
    return _format(day, language, with_year=True)


def stay_texts(check_in: date, check_out: date, language=None) -> dict:
    """The two ends of a stay, for a sentence's ``%(check_in)s`` and ``%(check_out)s``: the year is written
    once when both fall in the same one ("Sun 10 Jan", "Wed 13 Jan 2027"), else with each."""
    _require_date(check_in)
    _require_date(check_out)
    return {"check_in": _format(check_in, language, with_year=check_in.year != check_out.year),
            "check_out": _format(check_out, language, with_year=True)}


def stay_title(check_in: date, check_out: date, language=None) -> str:
    """A stay short enough for a button: "10–13 Jan", "30 Jan – 2 Feb"; no weekday, no year."""
    _require_date(check_in)
    _require_date(check_out)
    language = language_of(language)
    style = _STYLES.get(language, _DEFAULT_STYLE)
    last = format_date(check_out, style.title_day, locale=language)
    if (check_in.year, check_in.month) == (check_out.year, check_out.month):
        return f"{format_date(check_in, style.title_first_day, locale=language)}–{last}"
    return f"{format_date(check_in, style.title_day, locale=language)} – {last}"


def _format(day, language, with_year):
    _require_date(day)
    language = language_of(language)
    style = _STYLES.get(language, _DEFAULT_STYLE)
    return format_date(day, style.day + style.year if with_year else style.day, locale=language)


def _require_date(day):
    # Babel formats today when given None: a missing date must not read as one
    if not isinstance(day, date):
        raise TypeError(f"A date is needed, not {type(day).__name__}.")
