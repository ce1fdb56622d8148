from datetime import datetime, timedelta, timezone

import pytest

from guestmsg.channels import channel, channels, decide
from guestmsg.channels.capabilities import Buttons, Option, OptionList, Text, degrade, resolve_reply
from guestmsg.channels.website_chat import (
    ADDRESS_SESSIONS, OPTION_ID_MAX, OPTION_TITLE_MAX, OPTIONS_MAX, RAW_BODY_MAX, TEXT_MAX, VISITOR_MESSAGES,
    WEBSITE_CHAT, clean_reply_id, html_to_text, parse_visitor_key, read_wire, visitor_key, visitor_text_refusal,
    wire_message,
)
from guestmsg.channels.wire import OutboundValidationError

NOW = datetime(2026, 12, 6, 12, 0, 30, tzinfo=timezone.utc)
MENU = (Option("book", "Book a stay"), Option("availability", "Check availability"),
        Option("my_reservations", "My reservations"))


def test_the_channel_is_registered_once_with_its_own_profile():
    assert channel("website_chat") is WEBSITE_CHAT
    assert "website_chat" in [c.code for c in channels()]
    assert WEBSITE_CHAT.profile.name == "website_chat"
    assert (WEBSITE_CHAT.webhook_path, WEBSITE_CHAT.account_field) == (None, None)
    assert WEBSITE_CHAT.platform == "livechat" and WEBSITE_CHAT.icon.startswith("fa-")
    assert not WEBSITE_CHAT.reply_window.templates_after


@pytest.mark.parametrize("age", [timedelta(minutes=1), timedelta(hours=30), timedelta(days=90)])
def test_there_is_no_reply_window(age):
    for human in (True, False):
        decision = decide(WEBSITE_CHAT.reply_window, WEBSITE_CHAT.label, NOW - age, NOW, human)
        assert (decision.allowed, decision.human_agent, decision.state) == (True, False, "open")


def test_a_visitor_who_never_wrote_cannot_be_written_to():
    assert decide(WEBSITE_CHAT.reply_window, WEBSITE_CHAT.label, None, NOW, True).state == "never_wrote"


def test_the_greeting_choices_are_buttons():
    rendered = degrade(Buttons("Welcome! How can I help?", MENU), WEBSITE_CHAT.profile)
    assert rendered.kind == "buttons" and rendered.profile == "website_chat"
    wire = wire_message(rendered)
    assert wire == {"message": {"text": "Welcome! How can I help?", "kind": "buttons", "options": [
        {"id": "book", "title": "Book a stay"}, {"id": "availability", "title": "Check availability"},
        {"id": "my_reservations", "title": "My reservations"}]}}
    assert read_wire(wire) == ("Welcome! How can I help?", wire["message"]["options"])


def test_rooms_keep_their_price_under_the_title():
    rooms = tuple(Option(f"room:{n}", f"Room {n}", f"{80 + n} EUR / night") for n in range(1, 4))
    rendered = degrade(OptionList("Here are the rooms.", "Choose a room", rooms), WEBSITE_CHAT.profile)
    assert rendered.kind == "list"
    _text, options = read_wire(wire_message(rendered))
    assert options[0] == {"id": "room:1", "title": "Room 1", "description": "81 EUR / night"}


def test_more_choices_than_buttons_become_numbered_text_that_answers_by_number():
    many = tuple(Option(f"o{n}", f"Choice {n}") for n in range(OPTIONS_MAX + 2))
    rendered = degrade(Buttons("Pick one", many), WEBSITE_CHAT.profile)
    assert rendered.kind == "text" and rendered.numbered_options
    text, options = read_wire(wire_message(rendered))
    assert options == [] and "12. Choice 11" in text
    assert resolve_reply("12", rendered.options).id == "o11"


def test_long_text_is_cut_to_the_channels_limit():
    rendered = degrade(Text("word " * 2000), WEBSITE_CHAT.profile)
    assert len(rendered.body) <= TEXT_MAX
    assert read_wire(wire_message(rendered))[0] == rendered.body


@pytest.mark.parametrize("wire,error", [
    (None, "is {'message'"),
    ({"message": "hi"}, "is {'message'"),
    ({"message": {"text": " "}}, "empty"),
    ({"message": {"text": "x" * (TEXT_MAX + 1)}}, "at most"),
    ({"message": {"text": "Pick", "options": {"id": "a"}}}, "must be a list"),
    ({"message": {"text": "Pick", "options": [{"id": "a", "title": "A"}] * (OPTIONS_MAX + 1)}}, "at most"),
    ({"message": {"text": "Pick", "options": ["a"]}}, "Each option"),
    ({"message": {"text": "Pick", "options": [{"id": "a", "title": "t" * (OPTION_TITLE_MAX + 1)}]}}, "at most"),
    ({"message": {"text": "Pick", "options": [{"id": "a" * (OPTION_ID_MAX + 1), "title": "A"}]}}, "at most"),
    ({"message": {"text": "Pick", "options": [{"id": 7, "title": "A"}]}}, "must be text"),
])
def test_a_message_that_would_not_fit_the_widget_is_refused(wire, error):
    with pytest.raises(OutboundValidationError, match=error):
        read_wire(wire)


@pytest.mark.parametrize("body,text", [
    ("<p>Hello</p>", "Hello"),
    ("<p>Two<br>lines</p>", "Two\nlines"),
    ("&lt;b&gt;not bold&lt;/b&gt; &amp; **not markdown**", "<b>not bold</b> & **not markdown**"),
    ("<b>bold</b> <i>italic</i> <a href='javascript:alert(1)'>link</a>", "bold italic link"),
    ("<script>alert(1)</script>Hi<style>p{}</style>", "Hi"),
    ("<img src=x onerror=alert(1)>", ""),
    ("<p>a</p><p></p><p></p><p>b</p>", "a\n\nb"),
    ("  spaced\xa0\xa0out  ", "spaced out"),
    ("<div>unclosed <b>tags", "unclosed tags"),
    ("", ""),
    (None, ""),
    (42, ""),
])
def test_what_a_visitor_wrote_is_read_as_text(body, text):
    assert html_to_text(body) == text


def test_a_message_too_long_is_refused_before_or_after_reading_it():
    assert visitor_text_refusal("<p>" + "a" * TEXT_MAX + "</p>") is None
    assert "4096" in visitor_text_refusal("a" * (TEXT_MAX + 1))
    # markup counts for nothing once read, but an enormous body is refused without being parsed
    assert visitor_text_refusal("<b></b>" * 5000) is None
    assert visitor_text_refusal("<b>" * (RAW_BODY_MAX // 3 + 1)) is not None
    # emoji outside the BMP count twice, as everywhere else
    assert visitor_text_refusal("😀" * (TEXT_MAX // 2 + 1)) is not None


@pytest.mark.parametrize("value,expected", [
    ("book", "book"),
    (" room:12 ", "room:12"),
    ("x" * OPTION_ID_MAX, "x" * OPTION_ID_MAX),
    ("x" * (OPTION_ID_MAX + 1), None),
    ("a\nb", None),
    ("a\x00b", None),
    ("", None),
    ("   ", None),
    (12, None),
    (None, None),
    (["book"], None),
])
def test_a_clicked_option_id_is_checked(value, expected):
    assert clean_reply_id(value) == expected


def test_a_visitor_is_a_live_chat_guest_or_a_portal_contact():
    assert visitor_key("guest", 12) == "guest-12"
    assert visitor_key("partner", 7) == "partner-7"
    assert parse_visitor_key("guest-12") == ("guest", 12)
    assert parse_visitor_key("partner-7") == ("partner", 7)


@pytest.mark.parametrize("kind,record_id", [("user", 1), ("guest", 0), ("guest", -3), ("guest", True),
                                            ("guest", "12"), ("", 1)])
def test_a_visitor_key_needs_a_known_kind_and_a_positive_id(kind, record_id):
    with pytest.raises(ValueError):
        visitor_key(kind, record_id)


@pytest.mark.parametrize("key", ["guest-0", "guest-012", "guest-", "guest-1-2", "guest--1", "guest-١٢", "user-1",
                                 "guest 1", "guest-1 ", None, 12])
def test_anything_else_is_no_visitor(key):
    assert parse_visitor_key(key) is None


def test_rate_limits_count_in_fixed_windows():
    assert VISITOR_MESSAGES.window_start(NOW) == datetime(2026, 12, 6, 12, 0, 0)
    assert VISITOR_MESSAGES.window_start(NOW.replace(tzinfo=None)) == datetime(2026, 12, 6, 12, 0, 0)
    later = VISITOR_MESSAGES.window_start(NOW + timedelta(seconds=30))
    assert later == datetime(2026, 12, 6, 12, 1, 0), "the next minute is a new window"
    assert ADDRESS_SESSIONS.window_start(NOW) == datetime(2026, 12, 6, 12, 0, 0)
    paris = NOW.astimezone(timezone(timedelta(hours=1)))
    assert ADDRESS_SESSIONS.window_start(paris) == datetime(2026, 12, 6, 12, 0, 0)
    assert VISITOR_MESSAGES.allows(VISITOR_MESSAGES.hits)
    assert not VISITOR_MESSAGES.allows(VISITOR_MESSAGES.hits + 1)
    assert VISITOR_MESSAGES.allows(3, hits=3) and not VISITOR_MESSAGES.allows(4, hits=3)
    with pytest.raises(ValueError):
        VISITOR_MESSAGES.window_start("now")
