"""Dates as a guest reads them, in the bot's six languages."""

from datetime import date, timedelta

import pytest

from guestmsg.bot.dialog.dates_text import date_text, language_of, stay_texts, stay_title
from guestmsg.bot.dialog.limits import MAX_NIGHTS
from guestmsg.bot.nlu.language import LANGUAGES
from guestmsg.channels.capabilities import option_title_limits, shorten, text_length
from guestmsg.channels.registry import channels

SUNDAY = date(2027, 1, 10)


@pytest.mark.parametrize("language, expected", [
    ("en", "Sun 10 Jan 2027"),
    ("es", "dom 10 ene 2027"),
    ("fr", "dim. 10 janv. 2027"),
    ("de", "So., 10. Jan. 2027"),
    ("pt", "dom., 10 de jan. de 2027"),
    ("it", "dom 10 gen 2027"),
])
def test_a_date_has_its_weekday_month_name_and_year(language, expected):
    assert date_text(SUNDAY, language) == expected


@pytest.mark.parametrize("language, same_month, across_months, across_years", [
    ("en", ("Sun 10 Jan", "Wed 13 Jan 2027"), ("Sat 30 Jan", "Tue 2 Feb 2027"),
     ("Thu 30 Dec 2027", "Sun 2 Jan 2028")),
    ("es", ("dom 10 ene", "mié 13 ene 2027"), ("sáb 30 ene", "mar 2 feb 2027"),
     ("jue 30 dic 2027", "dom 2 ene 2028")),
    ("fr", ("dim. 10 janv.", "mer. 13 janv. 2027"), ("sam. 30 janv.", "mar. 2 févr. 2027"),
     ("jeu. 30 déc. 2027", "dim. 2 janv. 2028")),
    ("de", ("So., 10. Jan.", "Mi., 13. Jan. 2027"), ("Sa., 30. Jan.", "Di., 2. Feb. 2027"),
     ("Do., 30. Dez. 2027", "So., 2. Jan. 2028")),
    ("pt", ("dom., 10 de jan.", "qua., 13 de jan. de 2027"), ("sáb., 30 de jan.", "ter., 2 de fev. de 2027"),
     ("qui., 30 de dez. de 2027", "dom., 2 de jan. de 2028")),
    ("it", ("dom 10 gen", "mer 13 gen 2027"), ("sab 30 gen", "mar 2 feb 2027"),
     ("gio 30 dic 2027", "dom 2 gen 2028")),
])
def test_a_stay_writes_the_year_once_within_a_year(language, same_month, across_months, across_years):
    def ends(check_in, check_out):
        texts = stay_texts(check_in, check_out, language)
        return texts["check_in"], texts["check_out"]

    assert ends(SUNDAY, date(2027, 1, 13)) == same_month
    assert ends(date(2027, 1, 30), date(2027, 2, 2)) == across_months
    assert ends(date(2027, 12, 30), date(2028, 1, 2)) == across_years


@pytest.mark.parametrize("language, same_month, across_months, across_years", [
    ("en", "10–13 Jan", "30 Jan – 2 Feb", "30 Dec – 2 Jan"),
    ("es", "10–13 ene", "30 ene – 2 feb", "30 dic – 2 ene"),
    ("fr", "10–13 janv.", "30 janv. – 2 févr.", "30 déc. – 2 janv."),
    ("de", "10.–13. Jan.", "30. Jan. – 2. Feb.", "30. Dez. – 2. Jan."),
    ("pt", "10–13 jan.", "30 jan. – 2 fev.", "30 dez. – 2 jan."),
    ("it", "10–13 gen", "30 gen – 2 feb", "30 dic – 2 gen"),
])
def test_a_stay_in_a_button_title(language, same_month, across_months, across_years):
    assert stay_title(SUNDAY, date(2027, 1, 13), language) == same_month
    assert stay_title(date(2027, 1, 30), date(2027, 2, 2), language) == across_months
    assert stay_title(date(2027, 12, 30), date(2028, 1, 2), language) == across_years
    # the same day of the same month of another year is another month
    assert stay_title(date(2027, 1, 10), date(2028, 1, 13), language) != same_month


@pytest.mark.parametrize("language, expected", [
    ("pt_BR", "pt"), ("pt-BR", "pt"), ("de_AT", "de"), ("ES", "es"), ("it", "it"),
    ("nl", "en"), ("zz", "en"), ("", "en"), (None, "en"), (42, "en"), (["es"], "en"), ("e", "en"),
    ("es\x00", "en"), ("français", "en"),
])
def test_the_language_is_one_of_the_bots_else_english(language, expected):
    assert language_of(language) == expected
    assert date_text(SUNDAY, language) == date_text(SUNDAY, expected)


@pytest.mark.parametrize("value", [None, "2027-01-10", 20270110, object()])
def test_anything_but_a_date_is_refused_rather_than_read_as_today(value):
    with pytest.raises(TypeError):
        date_text(value, "en")
    with pytest.raises(TypeError):
        stay_texts(value, SUNDAY, "en")
    with pytest.raises(TypeError):
        stay_texts(SUNDAY, value, "en")
    with pytest.raises(TypeError):
        stay_title(value, SUNDAY, "en")
    with pytest.raises(TypeError):
        stay_title(SUNDAY, value, "en")


def tightest_title_limit():
    """The fewest characters an option's title may have on any channel, in any form."""
    return min(limit for channel in channels() for limit in option_title_limits(channel.profile).values())


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_stay_title_fits_every_channel_uncut(language):
    limit = tightest_title_limit()
    assert limit == 20, "WhatsApp's reply buttons and Page quick replies take 20 characters"
    longest = ""
    first = date(2027, 1, 1)
    for offset in range(2 * 366):  # two years, 29 February 2028 included
        check_in = first + timedelta(days=offset)
        for nights in (1, 3, 15, MAX_NIGHTS):
            title = stay_title(check_in, check_in + timedelta(days=nights), language)
            assert shorten(title, limit) == title, title
            longest = max(longest, title, key=len)
    assert text_length(longest) <= limit
