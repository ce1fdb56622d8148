"""Every title the bot offers fits every channel uncut, in every language of its catalogues; and no date a
guest reads is written the ISO way."""

import ast
import re
from datetime import date, datetime
from functools import cache
from pathlib import Path

import pytest
import pytz
from babel.messages.pofile import read_po

from guestmsg.bot.dialog import Engine, InboundEvent
from guestmsg.bot.nlu import OfflineNlu
from guestmsg.bot.nlu.language import LANGUAGES
from guestmsg.channels.capabilities import Buttons, OptionList, degrade, option_title_limits, shorten
from guestmsg.channels.registry import channels
from guestmsg.testing.hotel import InMemoryHotel, reservation

REPO = Path(__file__).resolve().parents[2]
DIALOG = REPO / "guestmsg" / "bot" / "dialog"
I18N = REPO / "guest_messaging_bot" / "i18n"
NOW = pytz.timezone("Europe/Madrid").localize(datetime(2027, 1, 4, 9, 30))  # a Monday
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# --- the fixed titles, as the engine's modules write them -------------------------------------------


def _msgid(node):
    """The sentence of ``turn._("...")``, else None."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "_"
            and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
        return node.args[0].value
    return None


def _argument(node, position, keyword):
    if len(node.args) > position:
        return node.args[position]
    return next((k.value for k in node.keywords if k.arg == keyword), None)


@cache
def fixed_titles() -> dict:
    """The engine's sentences shown as an option's title ("option"), a list's button label ("label") or its
    section title ("section"), by kind."""
    found = {"option": set(), "label": set(), "section": set()}
    for path in sorted(DIALOG.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name == "Option":
                places = (("option", _argument(node, 1, "title")),)
            elif name == "OptionList":
                places = (("label", _argument(node, 1, "button_label")),
                          ("section", _argument(node, 5, "section_title")))
            else:
                continue
            for kind, argument in places:
                msgid = _msgid(argument) if argument is not None else None
                if msgid:
                    found[kind].add(msgid)
    return found


@cache
def catalogue(language) -> dict:
    """msgid -> msgstr of the bot's catalogue for ``language``; English is the msgids themselves."""
    if language == "en":
        return {}
    with (I18N / f"{language}.po").open("rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id and m.string}


def translations(language):
    texts = catalogue(language)

    def translate(msgid, **params):
        text = texts.get(msgid) or msgid
        return text % params if params else text

    return translate


def limits(kind, profile) -> list:
    """The most characters a title of ``kind`` may have on a channel, one per form that shows it."""
    if kind == "option":
        return list(option_title_limits(profile).values())
    if not profile.supports_lists:
        return []
    return [profile.list_button_label_max if kind == "label" else profile.list_section_title_max]


def test_the_fixed_titles_are_found():
    found = fixed_titles()
    assert {"Book a Stay", "Check Availability", "My Reservations", "Talk to our team", "Keep the assistant",
            "Confirm", "Change", "Cancel", "Other dates", "Change dates", "Cancel booking", "That's all",
            "Yes, cancel it", "Yes, change it", "No, keep it"} <= found["option"]
    assert {"Choose a room", "Reservations"} <= found["label"]
    assert found["section"] == {"Rooms"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_fixed_title_fits_every_channel_uncut(language):
    texts = catalogue(language)
    problems = []
    for kind, msgids in fixed_titles().items():
        for msgid in sorted(msgids):
            title = texts.get(msgid, msgid)
            for channel in channels():
                for limit in limits(kind, channel.profile):
                    if shorten(title, limit) != title:
                        problems.append(f"{channel.code}: {title!r} ({msgid!r}) is cut to {shorten(title, limit)!r}")
    assert not problems, "\n".join(problems)


# --- every choice of a conversation, rendered on every channel ----------------------------------------

GUEST = {"first_name": "Ana", "last_name": "García", "email": "ana@example.com"}


def hotel():
    hotel = InMemoryHotel(reservations=[
        reservation("RES-7", "Double Room", date(2027, 1, 20), date(2027, 1, 22), reservation_id=7, room_id=1),
        reservation("RES-8", "Twin Room", date(2027, 2, 20), date(2027, 2, 22), reservation_id=8, room_id=4),
    ])
    every_room = [room.room_id for room in hotel.rooms]
    hotel.booked_nights.update((room, date(2027, 1, 28)) for room in every_room)
    hotel.booked_nights.update((room, date(2027, 3, day)) for room in every_room for day in range(1, 26))
    hotel.booked_nights.add((1, date(2027, 2, 5)))
    return hotel


# (event, the state it leads to): "say" a text, "tap" an option id, "pick" the n-th option offered
SCRIPT = (
    ("say", None, "menu"),  # an empty message: the greeting and the menu
    ("say", None, "escalation_offer"),  # a second one is not understood: the team offered
    ("tap", "continue", "menu"),
    ("tap", "book", "dates"),
    ("say", "2027-01-12 to 2027-01-15", "dates"),
    ("say", "2", "rooms"),
    ("tap", "room:1", "confirm"),
    ("tap", "change", "dates"),
    ("say", "2027-01-27 to 2027-01-30", "no_rooms"),  # nearest free dates offered, one across two months
    ("pick", 1, "rooms"),
    ("tap", "my_reservations", "manage_pick"),
    ("tap", "reservation:7", "manage"),
    ("tap", "manage_cancel", "manage_confirm"),
    ("tap", "manage_no", "start"),
    ("tap", "book", "dates"),
    ("say", "2027-03-10 to 2027-03-12", "dates"),
    ("say", "2", "no_rooms"),  # no free dates near: "Other dates"
    ("tap", "other_dates", "dates"),
    ("tap", "my_reservations", "manage_pick"),
    ("tap", "reservation:7", "manage"),
    ("tap", "manage_change", "manage_dates"),
    ("say", "2027-02-05 to 2027-02-07", "manage_rooms"),  # its room is taken: the free ones listed
    ("tap", "room:4", "manage_confirm"),
    ("tap", "manage_no", "start"),
    ("tap", "my_reservations", "manage_pick"),
    ("tap", "reservation:7", "manage"),
    ("tap", "manage_change", "manage_dates"),
    ("say", "2027-01-27 to 2027-01-29", "manage_dates"),  # nothing free: the nearest free dates
    ("pick", 0, "manage_confirm"),
    ("tap", "manage_no", "start"),
    ("tap", "my_reservations", "manage_pick"),
    ("tap", "reservation:8", "manage"),
    ("tap", "manage_keep", "start"),
)


@cache
def converse(language) -> tuple:
    """The messages of the script, in ``language``."""
    engine = Engine(hotel(), OfflineNlu(), translations=translations)
    state, context, messages = "start", {"lang": language, "guest": dict(GUEST)}, []
    for kind, value, expected in SCRIPT:
        if kind == "pick":
            last_choice = [m for m in messages if isinstance(m, (Buttons, OptionList))][-1]
            kind, value = "tap", last_choice.options[value].id
        text, reply_id = (value, None) if kind == "say" else (None, value)
        result = engine.step(state, context, InboundEvent(text, reply_id, NOW, "wa:34600111222", "+34600111222"))
        assert result.state == expected, (kind, value, [m.body for m in result.messages])
        state, context = result.state, result.context
        messages += result.messages
    return tuple(messages)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_choice_offered_keeps_its_titles_on_every_channel(language):
    messages = converse(language)
    choices = [m for m in messages if isinstance(m, (Buttons, OptionList))]
    offered = {option.title for choice in choices for option in choice.options}
    fixed = fixed_titles()
    texts = catalogue(language)
    assert {texts.get(msgid, msgid) for msgid in fixed["option"]} <= offered, "the script offers every fixed title"
    problems = []
    for choice in choices:
        titles = [option.title for option in choice.options]
        for channel in channels():
            rendered = degrade(choice, channel.profile)
            if rendered.kind != "text" and [o.title for o in rendered.options] != titles:
                problems.append(f"{channel.code} {rendered.kind}: {titles} -> {[o.title for o in rendered.options]}")
            labels = (choice.button_label, choice.section_title or choice.button_label) \
                if isinstance(choice, OptionList) else None
            if rendered.kind == "list" and labels and (rendered.button_label, rendered.section_title) != labels:
                problems.append(f"{channel.code}: {labels} -> {rendered.button_label!r}, {rendered.section_title!r}")
            for title in titles:
                for limit in option_title_limits(channel.profile).values():
                    if shorten(title, limit) != title:
                        problems.append(f"{channel.code}: {title!r} does not fit {limit}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_date_a_guest_reads_is_iso(language):
    read = []
    for message in converse(language):
        read.append(message.body)
        for option in getattr(message, "options", ()):
            read += [option.title, option.description or ""]
    assert any(re.search(r"\b2027\b", text) for text in read), "the script shows dates"
    assert [text for text in read if ISO_DATE.search(text)] == []


def test_the_dates_follow_the_guests_language():
    bodies = [m.body for m in converse("de")]
    assert "Ihre bevorstehenden Buchungen:\nRES-7: Double Room, Mi., 20. Jan. bis Fr., 22. Jan. 2027\n" \
           "RES-8: Twin Room, Sa., 20. Feb. bis Mo., 22. Feb. 2027" in "\n".join(bodies)
