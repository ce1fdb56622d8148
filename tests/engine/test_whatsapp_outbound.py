import json

import pytest

from guestmsg.channels.whatsapp.outbound import (
    OutboundValidationError, buttons_payload, image_payload, list_payload, mark_read_payload, normalize_recipient,
    template_payload, text_payload,
)
from guestmsg.channels.wire import text_length

TO = "+34600111222"


def rows(count, prefix="r"):
    return [(f"{prefix}{i}", f"Row {i}", None) for i in range(1, count + 1)]


def assert_rejected(call, *words):
    with pytest.raises(OutboundValidationError) as info:
        call()
    for word in words:
        assert word in str(info.value), str(info.value)


# --- envelope and recipient ----------------------------------------------------


def test_text_payload_shape():
    assert text_payload(TO, "Your room is ready.") == {
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": TO, "type": "text",
        "text": {"body": "Your room is ready.", "preview_url": False},
    }
    assert text_payload(TO, "See https://hotel.example", preview_url=True)["text"]["preview_url"] is True


@pytest.mark.parametrize("raw", ["+34600111222", "34600111222", "0034600111222", "+34 600 11 12 22",
                                 "+34-600-111-222", "(+34) 600111222"])
def test_recipient_is_normalised_to_e164(raw):
    assert normalize_recipient(raw) == TO
    assert text_payload(raw, "hi")["to"] == TO


@pytest.mark.parametrize("raw", ["", "abc", "+", "+34", "++34600111222", "34600111222x", "+1 (555) CALL-NOW",
                                 "+" + "9" * 25, "+000000000"])
def test_bad_recipients_are_rejected(raw):
    assert_rejected(lambda: text_payload(raw, "hi"), "recipient")


def test_recipient_must_be_a_string():
    assert_rejected(lambda: text_payload(34600111222, "hi"), "recipient", "int")
    assert_rejected(lambda: text_payload(None, "hi"), "recipient")


def test_payloads_are_json_serialisable():
    payloads = [
        text_payload(TO, "hi"),
        buttons_payload(TO, "Pick", [("a", "A")]),
        list_payload(TO, "Pick", "Choose", [("S", rows(2))]),
        template_payload(TO, "checkin_reminder", "en_US", ["Ana"]),
        image_payload(TO, media_id="123"),
        mark_read_payload("wamid.X"),
    ]
    for payload in payloads:
        assert json.loads(json.dumps(payload)) == payload


# --- text ----------------------------------------------------------------------


def test_text_body_limit_is_4096():
    assert text_payload(TO, "x" * 4096)["text"]["body"] == "x" * 4096
    assert_rejected(lambda: text_payload(TO, "x" * 4097), "4097", "4096")


def test_text_body_must_not_be_blank():
    for body in ("", "   ", "\n\t"):
        assert_rejected(lambda body=body: text_payload(TO, body), "empty")
    assert_rejected(lambda: text_payload(TO, None), "must be text")


def test_preview_url_must_be_a_bool():
    assert_rejected(lambda: text_payload(TO, "hi", preview_url="yes"), "preview_url")


def test_length_counts_utf16_code_units():
    assert text_length("abc") == 3
    assert text_length("é") == 1
    assert text_length("😀") == 2
    assert text_length("👍🏽") == 4
    text_payload(TO, "😀" * 2048)
    assert_rejected(lambda: text_payload(TO, "😀" * 2048 + "x"), "4097")


# --- reply buttons ---------------------------------------------------------------


def test_buttons_payload_shape():
    payload = buttons_payload(TO, "Late check-out until 2 pm?", [("late:yes", "Yes"), ("late:no", "No")],
                              header="Late check-out", footer="Hotel Sol")
    assert payload["type"] == "interactive"
    assert payload["interactive"] == {
        "type": "button",
        "header": {"type": "text", "text": "Late check-out"},
        "body": {"text": "Late check-out until 2 pm?"},
        "footer": {"text": "Hotel Sol"},
        "action": {"buttons": [
            {"type": "reply", "reply": {"id": "late:yes", "title": "Yes"}},
            {"type": "reply", "reply": {"id": "late:no", "title": "No"}},
        ]},
    }


def test_buttons_header_and_footer_are_optional():
    interactive = buttons_payload(TO, "Body", [("a", "A")])["interactive"]
    assert "header" not in interactive and "footer" not in interactive
    interactive = buttons_payload(TO, "Body", [("a", "A")], header="", footer="")["interactive"]
    assert "header" not in interactive and "footer" not in interactive


def test_buttons_count_limits():
    three = [("a", "A"), ("b", "B"), ("c", "C")]
    assert len(buttons_payload(TO, "Body", three)["interactive"]["action"]["buttons"]) == 3
    assert_rejected(lambda: buttons_payload(TO, "Body", three + [("d", "D")]), "1 to 3", "not 4")
    assert_rejected(lambda: buttons_payload(TO, "Body", []), "not 0")
    assert_rejected(lambda: buttons_payload(TO, "Body", "ab"), "must be a list")


def test_button_title_and_id_limits():
    assert buttons_payload(TO, "Body", [("i" * 256, "t" * 20)])
    assert_rejected(lambda: buttons_payload(TO, "Body", [("a", "t" * 21)]), "title of button 1", "21", "20")
    assert_rejected(lambda: buttons_payload(TO, "Body", [("i" * 257, "T")]), "id of button 1", "257", "256")
    assert_rejected(lambda: buttons_payload(TO, "Body", [("a", "")]), "title of button 1", "empty")
    assert_rejected(lambda: buttons_payload(TO, "Body", [(" ", "T")]), "id of button 1", "empty")
    assert_rejected(lambda: buttons_payload(TO, "Body", [("a", 5)]), "must be text")
    assert_rejected(lambda: buttons_payload(TO, "Body", [("a", "A", "extra")]), "tuple of 2")


def test_button_titles_and_ids_must_be_unique():
    assert_rejected(lambda: buttons_payload(TO, "Body", [("a", "Yes"), ("b", "yes ")]), "used twice")
    assert_rejected(lambda: buttons_payload(TO, "Body", [("a", "Yes"), ("a", "No")]), "id 'a' is used twice")


def test_buttons_body_header_footer_limits():
    assert buttons_payload(TO, "b" * 1024, [("a", "A")], header="h" * 60, footer="f" * 60)
    assert_rejected(lambda: buttons_payload(TO, "b" * 1025, [("a", "A")]), "1025", "1024")
    assert_rejected(lambda: buttons_payload(TO, "Body", [("a", "A")], header="h" * 61), "header", "60")
    assert_rejected(lambda: buttons_payload(TO, "Body", [("a", "A")], footer="f" * 61), "footer", "60")
    assert_rejected(lambda: buttons_payload(TO, " ", [("a", "A")]), "empty")


# --- lists -----------------------------------------------------------------------


def test_list_payload_shape():
    payload = list_payload(
        TO, "What can we book for you?", "Services",
        [("Wellness", [("svc:spa", "Spa booking", "Treatments 10:00-20:00"), ("svc:gym", "Gym", None)]),
         ("Food", [("svc:table", "Restaurant table", "")])],
        header="Hotel services", footer="Reply any time")
    assert payload["interactive"] == {
        "type": "list",
        "header": {"type": "text", "text": "Hotel services"},
        "body": {"text": "What can we book for you?"},
        "footer": {"text": "Reply any time"},
        "action": {"button": "Services", "sections": [
            {"title": "Wellness", "rows": [
                {"id": "svc:spa", "title": "Spa booking", "description": "Treatments 10:00-20:00"},
                {"id": "svc:gym", "title": "Gym"}]},
            {"title": "Food", "rows": [{"id": "svc:table", "title": "Restaurant table"}]},
        ]},
    }


def test_list_row_count_limits():
    assert list_payload(TO, "Body", "Choose", [("S", rows(10))])
    assert list_payload(TO, "Body", "Choose", [("A", rows(5, "a")), ("B", rows(5, "b"))])
    assert_rejected(lambda: list_payload(TO, "Body", "Choose", [("S", rows(11))]), "at most 10 rows")
    assert_rejected(lambda: list_payload(TO, "Body", "Choose", [("A", rows(6, "a")), ("B", rows(5, "b"))]),
                    "at most 10 rows")
    assert_rejected(lambda: list_payload(TO, "Body", "Choose", [("S", [])]), "no rows")
    assert_rejected(lambda: list_payload(TO, "Body", "Choose", []), "1 to 10 sections")


def test_list_section_count_limit():
    sections = [(f"S{i}", [(f"r{i}", "Row", None)]) for i in range(11)]
    assert_rejected(lambda: list_payload(TO, "Body", "Choose", sections), "1 to 10 sections", "not 11")
    assert list_payload(TO, "Body", "Choose", sections[:10])


def test_list_text_limits():
    ok = list_payload(TO, "b" * 4096, "l" * 20, [("s" * 24, [("i" * 200, "t" * 24, "d" * 72)])],
                      header="h" * 60, footer="f" * 60)
    assert ok["interactive"]["action"]["sections"][0]["rows"][0]["description"] == "d" * 72
    cases = [
        (("b" * 4097, "Choose", [("S", rows(1))]), {}, "body of a list message"),
        (("Body", "l" * 21, [("S", rows(1))]), {}, "list button label"),
        (("Body", "Choose", [("s" * 25, rows(1))]), {}, "title of section 1"),
        (("Body", "Choose", [("S", [("i" * 201, "T", None)])]), {}, "id of row 1 of section 1"),
        (("Body", "Choose", [("S", [("i", "t" * 25, None)])]), {}, "title of row 1 of section 1"),
        (("Body", "Choose", [("S", [("i", "T", "d" * 73)])]), {}, "description of row 1 of section 1"),
        (("Body", "Choose", [("S", rows(1))]), {"header": "h" * 61}, "header"),
        (("Body", "Choose", [("S", rows(1))]), {"footer": "f" * 61}, "footer"),
        (("Body", "Choose", [("", rows(1))]), {}, "title of section 1 is empty"),
        (("Body", "", [("S", rows(1))]), {}, "label is empty"),
    ]
    for args, kwargs, words in cases:
        assert_rejected(lambda args=args, kwargs=kwargs: list_payload(TO, *args, **kwargs), words)


def test_list_row_ids_unique_across_sections():
    assert_rejected(lambda: list_payload(TO, "Body", "Choose", [("A", [("x", "One", None)]),
                                                                ("B", [("x", "Two", None)])]), "'x' is used twice")


def test_list_malformed_structures():
    assert_rejected(lambda: list_payload(TO, "Body", "Choose", [("S",)]), "Section 1", "tuple of 2")
    assert_rejected(lambda: list_payload(TO, "Body", "Choose", [("S", [("id", "title")])]), "tuple of 3")
    assert_rejected(lambda: list_payload(TO, "Body", "Choose", [("S", "rows")]), "must be a list")


# --- templates ---------------------------------------------------------------------


def test_template_payload_shape():
    payload = template_payload(TO, "checkin_reminder", "en_US", ["Ana", "12 March"], header_parameters=["HX-42"])
    assert payload["type"] == "template"
    assert payload["template"] == {
        "name": "checkin_reminder",
        "language": {"code": "en_US"},
        "components": [
            {"type": "header", "parameters": [{"type": "text", "text": "HX-42"}]},
            {"type": "body", "parameters": [{"type": "text", "text": "Ana"}, {"type": "text", "text": "12 March"}]},
        ],
    }


def test_template_without_parameters_has_no_components():
    assert template_payload(TO, "hello_world", "en", [])["template"] == {
        "name": "hello_world", "language": {"code": "en"}}


@pytest.mark.parametrize("name", ["", "CheckIn", "check-in", "check in", "reminder!", "x" * 513, None, 5])
def test_template_name_rules(name):
    assert_rejected(lambda: template_payload(TO, name, "en_US", []), "template name")


@pytest.mark.parametrize("language", ["en", "en_US", "pt_BR", "zh_HK", "fil", "es_LA"])
def test_template_language_codes_accepted(language):
    assert template_payload(TO, "t", language, [])["template"]["language"] == {"code": language}


@pytest.mark.parametrize("language", ["", "english", "en-US", "EN", "en_", "e", None])
def test_template_language_codes_rejected(language):
    assert_rejected(lambda: template_payload(TO, "t", language, []), "language code")


@pytest.mark.parametrize("value", ["line\nbreak", "carriage\rreturn", "tab\there", "five     spaces"])
def test_template_parameters_refuse_newlines_tabs_and_space_runs(value):
    assert_rejected(lambda: template_payload(TO, "t", "en", [value]), "body parameter 1", "new line")


def test_template_parameter_rules():
    assert template_payload(TO, "t", "en", ["four    spaces", "p" * 1024])
    assert_rejected(lambda: template_payload(TO, "t", "en", ["ok", "p" * 1025]), "body parameter 2", "1024")
    assert_rejected(lambda: template_payload(TO, "t", "en", ["ok", ""]), "body parameter 2", "empty")
    assert_rejected(lambda: template_payload(TO, "t", "en", [7]), "must be text")
    assert_rejected(lambda: template_payload(TO, "t", "en", "Ana"), "must be a list")
    assert template_payload(TO, "t", "en", [], header_parameters=["h" * 60])
    assert_rejected(lambda: template_payload(TO, "t", "en", [], header_parameters=["h" * 61]),
                    "header parameter 1", "60")
    assert_rejected(lambda: template_payload(TO, "t", "en", [], header_parameters=["a", "b"]), "at most 1")
    assert_rejected(lambda: template_payload(TO, "t", "en", [], header_parameters=["a\nb"]), "new line")


# --- images ----------------------------------------------------------------------


def test_image_by_media_id_and_by_link():
    assert image_payload(TO, media_id="1479537139650973", caption="Your room")["image"] == {
        "id": "1479537139650973", "caption": "Your room"}
    assert image_payload(TO, link="https://hotel.example/room.jpg")["image"] == {
        "link": "https://hotel.example/room.jpg"}
    assert image_payload(TO, media_id="1", caption="")["image"] == {"id": "1"}


def test_image_needs_exactly_one_source():
    assert_rejected(lambda: image_payload(TO), "exactly one")
    assert_rejected(lambda: image_payload(TO, link="https://a.example/x.jpg", media_id="1"), "exactly one")


@pytest.mark.parametrize("link", ["ftp://a.example/x.jpg", "/relative.jpg", "https://", "javascript:alert(1)",
                                  "https://a.example/with space.jpg"])
def test_image_link_must_be_http(link):
    assert_rejected(lambda: image_payload(TO, link=link), "http(s) URL")


def test_image_caption_limit():
    assert image_payload(TO, media_id="1", caption="c" * 1024)
    assert_rejected(lambda: image_payload(TO, media_id="1", caption="c" * 1025), "caption", "1024")
    assert_rejected(lambda: image_payload(TO, media_id="m" * 257), "media id", "256")


# --- mark as read ------------------------------------------------------------------


def test_mark_read_payload():
    assert mark_read_payload("wamid.HBgL") == {"messaging_product": "whatsapp", "status": "read",
                                               "message_id": "wamid.HBgL"}
    assert_rejected(lambda: mark_read_payload(""), "empty")
    assert_rejected(lambda: mark_read_payload(None), "must be text")
    assert_rejected(lambda: mark_read_payload("w" * 257), "257")


def test_validation_error_is_a_value_error():
    assert issubclass(OutboundValidationError, ValueError)
