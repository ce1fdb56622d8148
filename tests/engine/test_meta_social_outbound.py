import json
from datetime import datetime, timedelta, timezone

import pytest

from guestmsg.channels.whatsapp import outbound as whatsapp_outbound
from guestmsg.channels.capabilities import PROFILES, Buttons, Option, OptionList, Rendered, Text, degrade
from guestmsg.channels.meta_social.outbound import (
    GenericElement, OutboundValidationError, PageSendDecision, button_template_payload, generic_template_payload,
    image_payload, is_http_url, messaging_window, page_payloads, quick_replies_payload, text_payload,
)

PSID = "7312345678901234"
IGSID = "1158937645678901"
FB = PROFILES["messenger"]
IG = PROFILES["instagram"]


def assert_rejected(call, *words):
    with pytest.raises(OutboundValidationError) as info:
        call()
    for word in words:
        assert word in str(info.value), str(info.value)


def pairs(count, title="Option {}"):
    return [(f"p{i}", title.format(i)) for i in range(1, count + 1)]


# --- envelope -------------------------------------------------------------------------------


def test_text_payload_shape():
    assert text_payload(PSID, "Your room is ready.") == {
        "recipient": {"id": PSID}, "messaging_type": "RESPONSE", "message": {"text": "Your room is ready."}}


def test_human_agent_tag_is_added():
    body = text_payload(IGSID, "Sorry for the delay!", channel="instagram", messaging_type="MESSAGE_TAG",
                        tag="HUMAN_AGENT")
    assert body == {"recipient": {"id": IGSID}, "messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT",
                    "message": {"text": "Sorry for the delay!"}}
    assert list(body) == ["recipient", "messaging_type", "tag", "message"]


def test_messenger_only_tags():
    body = text_payload(PSID, "Reminder: check-in tomorrow", messaging_type="MESSAGE_TAG",
                        tag="CONFIRMED_EVENT_UPDATE")
    assert body["tag"] == "CONFIRMED_EVENT_UPDATE"
    assert_rejected(lambda: text_payload(IGSID, "Reminder", channel="instagram", messaging_type="MESSAGE_TAG",
                                         tag="CONFIRMED_EVENT_UPDATE"), "Instagram", "HUMAN_AGENT")


@pytest.mark.parametrize("messaging_type,tag,words", [
    ("MESSAGE_TAG", None, ("needs a tag",)),
    ("MESSAGE_TAG", "human_agent", ("needs a tag",)),
    ("RESPONSE", "HUMAN_AGENT", ("only sent with messaging_type MESSAGE_TAG",)),
    ("response", None, ("messaging_type",)),
    (None, None, ("messaging_type",)),
])
def test_bad_messaging_type_or_tag(messaging_type, tag, words):
    assert_rejected(lambda: text_payload(PSID, "hi", messaging_type=messaging_type, tag=tag), *words)


def test_update_messaging_type_is_allowed():
    assert text_payload(PSID, "hi", messaging_type="UPDATE")["messaging_type"] == "UPDATE"


@pytest.mark.parametrize("recipient", [None, "", "   ", 7312345678901234, "73 12", "x" * 257, {"id": PSID}])
def test_bad_recipients(recipient):
    assert_rejected(lambda: text_payload(recipient, "hi"), "recipient")


def test_unknown_channel():
    assert_rejected(lambda: text_payload(PSID, "hi", channel="whatsapp"), "channel")


def test_the_error_is_the_whatsapp_one():
    assert OutboundValidationError is whatsapp_outbound.OutboundValidationError


# --- text limits -------------------------------------------------------------------------------


def test_messenger_text_limit_in_utf16_units():
    assert text_payload(PSID, "a" * 2000)["message"]["text"] == "a" * 2000
    assert_rejected(lambda: text_payload(PSID, "a" * 2001), "2001", "2000")
    assert_rejected(lambda: text_payload(PSID, "😀" * 1001), "2002")
    text_payload(PSID, "é" * 2000)


def test_instagram_text_limit_in_utf8_bytes():
    text_payload(IGSID, "a" * 1000, channel="instagram")
    text_payload(IGSID, "é" * 500, channel="instagram")
    assert_rejected(lambda: text_payload(IGSID, "é" * 501, channel="instagram"), "1002 bytes", "1000")
    assert_rejected(lambda: text_payload(IGSID, "a" * 1001, channel="instagram"), "1001 bytes")
    assert_rejected(lambda: text_payload(IGSID, "😀" * 251, channel="instagram"), "1004 bytes")


@pytest.mark.parametrize("text", ["", "  \n ", None, 42, ["hi"]])
def test_empty_or_non_text(text):
    assert_rejected(lambda: text_payload(PSID, text), "message text")


# --- quick replies ----------------------------------------------------------------------------------


def test_quick_replies_shape():
    body = quick_replies_payload(PSID, "What do you need?", [("svc:spa", "Spa"), ("svc:late", "Late check-out")])
    assert body == {"recipient": {"id": PSID}, "messaging_type": "RESPONSE", "message": {
        "text": "What do you need?",
        "quick_replies": [{"content_type": "text", "title": "Spa", "payload": "svc:spa"},
                          {"content_type": "text", "title": "Late check-out", "payload": "svc:late"}]}}


def test_quick_reply_limits():
    assert len(quick_replies_payload(PSID, "Pick", pairs(13))["message"]["quick_replies"]) == 13
    assert_rejected(lambda: quick_replies_payload(PSID, "Pick", pairs(14)), "1 to 13", "14")
    assert_rejected(lambda: quick_replies_payload(PSID, "Pick", []), "1 to 13", "not 0")
    quick_replies_payload(PSID, "Pick", [("p", "t" * 20)])
    assert_rejected(lambda: quick_replies_payload(PSID, "Pick", [("p", "t" * 21)]), "title", "21")
    quick_replies_payload(PSID, "Pick", [("p" * 1000, "t")])
    assert_rejected(lambda: quick_replies_payload(PSID, "Pick", [("p" * 1001, "t")]), "payload", "1001")


@pytest.mark.parametrize("replies,words", [
    ([("a", "Spa"), ("a", "Gym")], ("Payload 'a' is used twice",)),
    ([("a", "Spa"), ("b", " spa ")], ("used twice",)),
    ([("a", "")], ("title", "empty")),
    ([("", "Spa")], ("payload", "empty")),
    ([("a", "Spa", "extra")], ("pair",)),
    (["Spa"], ("pair",)),
    ("Spa", ("must be a list",)),
])
def test_bad_quick_replies(replies, words):
    assert_rejected(lambda: quick_replies_payload(PSID, "Pick", replies), *words)


def test_instagram_quick_replies_count_the_text_in_bytes():
    quick_replies_payload(IGSID, "é" * 500, pairs(2), channel="instagram")
    assert_rejected(lambda: quick_replies_payload(IGSID, "é" * 501, pairs(2), channel="instagram"), "bytes")


# --- button template ----------------------------------------------------------------------------------


def test_button_template_shape():
    body = button_template_payload(PSID, "Late check-out until 2 pm?", [("yes", "Yes please"), ("no", "No thanks")])
    assert body["message"] == {"attachment": {"type": "template", "payload": {
        "template_type": "button", "text": "Late check-out until 2 pm?",
        "buttons": [{"type": "postback", "title": "Yes please", "payload": "yes"},
                    {"type": "postback", "title": "No thanks", "payload": "no"}]}}}


def test_button_template_limits():
    button_template_payload(PSID, "x" * 640, pairs(3))
    assert_rejected(lambda: button_template_payload(PSID, "x" * 641, pairs(1)), "button template", "641", "640")
    assert_rejected(lambda: button_template_payload(PSID, "Pick", pairs(4)), "1 to 3", "not 4")
    assert_rejected(lambda: button_template_payload(PSID, "Pick", [("p", "t" * 21)]), "title of button 1")


# --- generic template -----------------------------------------------------------------------------------


def test_generic_template_shape():
    elements = [
        GenericElement("Deluxe double", "Sea view · 180 EUR/night", "https://hotel.example/deluxe.jpg",
                       (("room:deluxe", "Select"),)),
        GenericElement("Standard twin"),
    ]
    body = generic_template_payload(PSID, elements)
    assert body["message"] == {"attachment": {"type": "template", "payload": {
        "template_type": "generic", "elements": [
            {"title": "Deluxe double", "subtitle": "Sea view · 180 EUR/night",
             "image_url": "https://hotel.example/deluxe.jpg",
             "buttons": [{"type": "postback", "title": "Select", "payload": "room:deluxe"}]},
            {"title": "Standard twin"}]}}}


def test_generic_template_limits():
    ten = [GenericElement(f"Room {i}", buttons=((f"r{i}", "Select"),)) for i in range(10)]
    assert len(generic_template_payload(PSID, ten)["message"]["attachment"]["payload"]["elements"]) == 10
    assert_rejected(lambda: generic_template_payload(PSID, ten + [GenericElement("Room 11")]), "1 to 10", "11")
    assert_rejected(lambda: generic_template_payload(PSID, []), "1 to 10")
    generic_template_payload(PSID, [GenericElement("t" * 80, "s" * 80)])
    assert_rejected(lambda: generic_template_payload(PSID, [GenericElement("t" * 81)]), "title of element 1", "81")
    assert_rejected(lambda: generic_template_payload(PSID, [GenericElement("t", "s" * 81)]), "subtitle", "81")
    three = GenericElement("t", buttons=(("a", "A"), ("b", "B"), ("c", "C")))
    generic_template_payload(PSID, [three])
    four = GenericElement("t", buttons=(("a", "A"), ("b", "B"), ("c", "C"), ("d", "D")))
    assert_rejected(lambda: generic_template_payload(PSID, [four]), "1 to 3 buttons of element 1", "not 4")


@pytest.mark.parametrize("url", ["ftp://hotel.example/a.jpg", "hotel.example/a.jpg", "https://", "",
                                 "https://hotel.example/a b.jpg", "https://x.example/" + "a" * 2048, 42])
def test_generic_template_refuses_bad_images(url):
    assert_rejected(lambda: generic_template_payload(PSID, [GenericElement("Room", image_url=url)]),
                    "image of element 1")


def test_generic_template_other_errors():
    assert_rejected(lambda: generic_template_payload(PSID, [("Room", "Sub")]), "GenericElement", "tuple")
    same = [GenericElement("A", buttons=(("room:1", "Select"),)), GenericElement("B", buttons=(("room:1", "Select"),))]
    assert_rejected(lambda: generic_template_payload(PSID, same), "'room:1' is used by two elements")
    assert_rejected(lambda: generic_template_payload(PSID, "Room"), "must be a list")


# --- image ----------------------------------------------------------------------------------------------------


def test_image_payload():
    assert image_payload(PSID, " https://hotel.example/map.png ") == {
        "recipient": {"id": PSID}, "messaging_type": "RESPONSE",
        "message": {"attachment": {"type": "image", "payload": {"url": "https://hotel.example/map.png"}}}}


@pytest.mark.parametrize("url", [None, "", "javascript:alert(1)", "file:///etc/passwd", "//hotel.example/a.png",
                                 "https://hotel.example/a\nb.png"])
def test_image_payload_refuses_bad_urls(url):
    assert_rejected(lambda: image_payload(PSID, url), "image URL")
    assert not is_http_url(url)


def test_payloads_are_json_serialisable():
    for body in (text_payload(PSID, "hi"), quick_replies_payload(PSID, "hi", pairs(2)),
                 button_template_payload(PSID, "hi", pairs(2)),
                 generic_template_payload(PSID, [GenericElement("Room", "Sub", "https://x.example/a.jpg")]),
                 image_payload(PSID, "https://x.example/a.jpg")):
        assert json.loads(json.dumps(body)) == body


# --- messaging window -----------------------------------------------------------------------------------------

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("channel", ["messenger", "instagram"])
@pytest.mark.parametrize("age,human,expected", [
    (timedelta(0), False, (True, "RESPONSE", None)),
    (timedelta(hours=23, minutes=59, seconds=59), False, (True, "RESPONSE", None)),
    (timedelta(hours=23, minutes=59, seconds=59), True, (True, "RESPONSE", None)),
    (timedelta(hours=24), False, (False, None, None)),
    (timedelta(hours=24), True, (True, "MESSAGE_TAG", "HUMAN_AGENT")),
    (timedelta(days=6, hours=23, minutes=59), True, (True, "MESSAGE_TAG", "HUMAN_AGENT")),
    (timedelta(days=7), True, (False, None, None)),
    (timedelta(days=30), False, (False, None, None)),
    (-timedelta(minutes=5), False, (True, "RESPONSE", None)),  # clocks a little apart
])
def test_messaging_window(channel, age, human, expected):
    decision = messaging_window(channel, NOW - age, NOW, human)
    assert isinstance(decision, PageSendDecision)
    assert (decision.allowed, decision.messaging_type, decision.tag) == expected
    assert decision.reason


def test_window_reasons_are_readable():
    inside = messaging_window("messenger", NOW - timedelta(hours=3), NOW, False)
    assert inside.reason == "The guest wrote 3 hours ago, within Messenger's 24-hour window."
    bot_late = messaging_window("instagram", NOW - timedelta(hours=30), NOW, False)
    assert bot_late.reason == ("The guest wrote 30 hours ago, more than 24 hours: Instagram only lets a staff "
                               "member reply now (up to 7 days), not automated messages.")
    tagged = messaging_window("instagram", NOW - timedelta(days=3), NOW, True)
    assert "3 days ago" in tagged.reason and "human agent" in tagged.reason
    too_late = messaging_window("messenger", NOW - timedelta(days=9), NOW, True)
    assert too_late.reason == ("The guest wrote 9 days ago: Messenger allows no reply more than 7 days after the "
                               "guest's last message. Wait for the guest to write again.")
    assert messaging_window("messenger", NOW - timedelta(minutes=10), NOW, False).reason.startswith(
        "The guest wrote less than an hour ago")
    assert "1 hour ago" in messaging_window("messenger", NOW - timedelta(minutes=70), NOW, False).reason


def test_window_without_any_guest_message():
    decision = messaging_window("instagram", None, NOW, True)
    assert (decision.allowed, decision.messaging_type, decision.tag) == (False, None, None)
    assert "has not written" in decision.reason and "Instagram" in decision.reason


def test_window_needs_aware_datetimes_and_a_known_channel():
    with pytest.raises(ValueError, match="timezone-aware"):
        messaging_window("messenger", NOW.replace(tzinfo=None), NOW, False)
    with pytest.raises(ValueError, match="timezone-aware"):
        messaging_window("messenger", NOW, NOW.replace(tzinfo=None), False)
    with pytest.raises(ValueError, match="channel"):
        messaging_window("whatsapp", NOW, NOW, False)


def test_window_works_across_time_zones():
    madrid = timezone(timedelta(hours=1))
    last = datetime(2026, 3, 10, 12, 30, tzinfo=madrid)  # 11:30 UTC, 30 minutes before NOW
    assert messaging_window("messenger", last, NOW, False).messaging_type == "RESPONSE"


def test_allowed_decisions_build_valid_bodies():
    decision = messaging_window("instagram", NOW - timedelta(days=2), NOW, True)
    body = text_payload(IGSID, "Hello again", channel="instagram", messaging_type=decision.messaging_type,
                        tag=decision.tag)
    assert (body["messaging_type"], body["tag"]) == ("MESSAGE_TAG", "HUMAN_AGENT")


# --- page_payloads --------------------------------------------------------------------------------------------


ROOMS = (
    Option("room:deluxe", "Deluxe double room", "Sea view, 180 EUR/night", "https://hotel.example/deluxe.jpg"),
    Option("room:twin", "Standard twin room", "Garden view, 120 EUR/night"),
)


def test_text_on_both_channels():
    assert page_payloads(degrade(Text("Welcome!"), FB), PSID) == [text_payload(PSID, "Welcome!")]
    assert page_payloads(degrade(Text("é" * 800), IG), IGSID)[0]["message"]["text"].endswith("…")


def test_buttons_on_messenger_become_a_button_template():
    rendered = degrade(Buttons("Late check-out?", (Option("yes", "Yes"), Option("no", "No"))), FB)
    assert page_payloads(rendered, PSID) == [button_template_payload(PSID, "Late check-out?",
                                                                     [("yes", "Yes"), ("no", "No")])]


def test_buttons_on_instagram_become_quick_replies():
    rendered = degrade(Buttons("Late check-out?", (Option("yes", "Yes"), Option("no", "No"))), IG)
    assert page_payloads(rendered, IGSID) == [{
        "recipient": {"id": IGSID}, "messaging_type": "RESPONSE",
        "message": {"text": "Late check-out?", "quick_replies": [
            {"content_type": "text", "title": "Yes", "payload": "yes"},
            {"content_type": "text", "title": "No", "payload": "no"}]}}]


def test_room_cards_on_messenger_send_the_question_then_the_carousel():
    rendered = degrade(OptionList("Which room would you like?", "Rooms", ROOMS), FB)
    assert rendered.kind == "generic"
    question, carousel = page_payloads(rendered, PSID, messaging_type="MESSAGE_TAG", tag="HUMAN_AGENT")
    assert question == {"recipient": {"id": PSID}, "messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT",
                        "message": {"text": "Which room would you like?"}}
    assert carousel["tag"] == "HUMAN_AGENT"
    assert carousel["message"]["attachment"]["payload"] == {"template_type": "generic", "elements": [
        {"title": "Deluxe double room", "subtitle": "Sea view, 180 EUR/night",
         "image_url": "https://hotel.example/deluxe.jpg",
         "buttons": [{"type": "postback", "title": "Select", "payload": "room:deluxe"}]},
        {"title": "Standard twin room", "subtitle": "Garden view, 120 EUR/night",
         "buttons": [{"type": "postback", "title": "Select", "payload": "room:twin"}]},
    ]}


def test_numbered_text_on_instagram():
    rendered = degrade(OptionList("Which room?", "Rooms", tuple(
        Option(f"r{i}", f"Room {i}") for i in range(1, 15))), IG)
    [body] = page_payloads(rendered, IGSID)
    assert body["message"]["text"].startswith("Which room?\n\n1. Room 1\n")
    assert "quick_replies" not in body["message"]


def test_page_payloads_refuse_other_renderings():
    with pytest.raises(ValueError, match="Messenger or Instagram"):
        page_payloads(degrade(Text("hi"), PROFILES["whatsapp"]), PSID)
    with pytest.raises(ValueError, match="Messenger or Instagram"):
        page_payloads(Rendered(kind="text", body="hi"), PSID)
    with pytest.raises(ValueError, match="no 'list' messages"):
        page_payloads(Rendered(kind="list", body="hi", profile="messenger"), PSID)


def test_every_social_rendering_is_accepted_by_the_builders():
    titles = ["Continue with assistant", "Yes", "Late check-out until 2 pm", "🍳 Breakfast in bed",
              "Crème brûlée dessert menu", "Habitación doble superior con vistas al mar y terraza privada", "Spa"]
    kinds = set()
    for profile, recipient in ((FB, PSID), (IG, IGSID)):
        for count in range(1, 16):
            opts = tuple(Option(f"id{i}", f"{titles[i % len(titles)]} {i}", "Desc " * 30,
                                "https://hotel.example/r.jpg" if i % 2 else "not a url") for i in range(count))
            for message in (Buttons("Body " * 300, opts, header="H " * 40, footer="F " * 40),
                            OptionList("Body " * 1000, "Choose something nice", opts, header="H", footer="F")):
                rendered = degrade(message, profile, select_label="Reservar esta habitación")
                bodies = page_payloads(rendered, recipient)
                assert bodies and all(b["recipient"] == {"id": recipient} for b in bodies)
                kinds.add((profile.name, rendered.kind))
    assert kinds == {("messenger", "generic"), ("messenger", "buttons"), ("messenger", "quick_replies"),
                     ("messenger", "text"), ("instagram", "quick_replies"), ("instagram", "text")}
