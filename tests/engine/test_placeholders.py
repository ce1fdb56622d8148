import pytest

from guestmsg.core.placeholders import PLACEHOLDERS, render, unknown_placeholders

VALUES = {
    "guest_name": "Ana",
    "hotel_name": "Hotel Mar",
    "reservation_reference": "R/0042",
    "check_in": "15 March 2026",
    "check_out": "17 March 2026",
    "room": "101",
}


def test_the_vocabulary():
    assert set(PLACEHOLDERS) == {"guest_name", "hotel_name", "reservation_reference", "check_in", "check_out",
                                 "room"}
    assert all(isinstance(description, str) and description for description in PLACEHOLDERS.values())


def test_every_placeholder_is_filled():
    text = "".join(f"[{{{name}}}]" for name in PLACEHOLDERS)
    assert render(text, VALUES) == "".join(f"[{VALUES[name]}]" for name in PLACEHOLDERS)
    assert unknown_placeholders(text) == []


def test_a_sentence():
    text = "Hello {guest_name}, welcome to {hotel_name}! Room {room}, from {check_in} to {check_out}."
    assert render(text, VALUES) == "Hello Ana, welcome to Hotel Mar! Room 101, from 15 March 2026 to 17 March 2026."


@pytest.mark.parametrize("missing", [None, False, ""])
def test_a_placeholder_without_value_becomes_empty(missing):
    assert render("Room {room}.", {"room": missing}) == "Room ."
    assert render("Hi {guest_name}", {}) == "Hi "


def test_values_are_text_and_never_scanned_again():
    assert render("{guest_name}", {"guest_name": "{hotel_name}", "hotel_name": "X"}) == "{hotel_name}"
    assert render("{guest_name}", {"guest_name": "{{0}}"}) == "{{0}}"
    assert render("{room}", {"room": 101}) == "101"


def test_text_without_placeholders_is_unchanged():
    for text in ("", "Plain text", "Price: 10 €", "a } b { c", "{", "}", "{\n}", "emoji 👋 {\nguest_name}"):
        assert render(text, VALUES) == text
        assert unknown_placeholders(text) == []
    assert render(None, VALUES) == ""
    assert unknown_placeholders(None) == []


@pytest.mark.parametrize("text, unknown", [
    ("{guest_name.__class__}", ["guest_name.__class__"]),
    ("{guest_name.__class__.__mro__}", ["guest_name.__class__.__mro__"]),
    ("{guest_name!r}", ["guest_name!r"]),
    ("{guest_name:>1000000}", ["guest_name:>1000000"]),
    ("{0}", ["0"]),
    ("{}", [""]),
    ("{0[__globals__]}", ["0[__globals__]"]),
    ("{ guest_name }", [" guest_name "]),
    ("{Guest_Name}", ["Guest_Name"]),
    ("{name} and {name} and {other}", ["name", "other"]),
    ("%(guest_name)s ${guest_name} {{{room}}} {nights}", ["nights"]),
])
def test_hostile_names_are_unknown_and_left_as_written(text, unknown):
    assert unknown_placeholders(text) == unknown
    rendered = render(text, VALUES)
    for name in unknown:
        assert f"{{{name}}}" in rendered
    assert "<class" not in rendered


def test_double_braces_are_literal_braces():
    assert unknown_placeholders("{{literal}}") == []
    assert render("{{literal}}", VALUES) == "{literal}"
    assert render("{{guest_name}}", VALUES) == "{guest_name}"
    assert render("{{{guest_name}}}", VALUES) == "{Ana}"
    assert render("JSON: {{\"a\": 1}}", VALUES) == 'JSON: {"a": 1}'


def test_format_string_attacks_do_not_reach_format():
    assert render("{guest_name.__init__.__globals__}", VALUES) == "{guest_name.__init__.__globals__}"
    assert render("{0.__class__}{guest_name}", VALUES) == "{0.__class__}Ana"


def test_long_hostile_text_renders_in_linear_time():
    text = "{" * 50_000 + "guest_name" + "}" * 50_000
    rendered = render(text, VALUES)
    assert rendered.count("{") == 25_000 and rendered.count("}") == 25_000
    assert unknown_placeholders("{a" * 20_000) == []
