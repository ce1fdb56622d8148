import copy
import json
import random
from datetime import datetime, timezone

import pytest

from guestmsg.channels.meta_social.webhook import (
    MESSAGE_TYPES, Echo, InboundMessage, PayloadError, StatusUpdate, WebhookBatch, account_ids, parse_webhook,
)

PAGE_ID = "104520339012345"
PSID = "7312345678901234"
IG_ID = "17841400000000001"
IGSID = "1158937645678901"
APP_ID = 1517776481860111
TS = 1767225600123  # 2026-01-01T00:00:00.123Z
WHEN = datetime(2026, 1, 1, 0, 0, 0, 123000, tzinfo=timezone.utc)


def page(*events, entry_id=PAGE_ID):
    return {"object": "page", "entry": [{"id": entry_id, "time": TS + 500, "messaging": list(events)}]}


def instagram(*events, entry_id=IG_ID):
    return {"object": "instagram", "entry": [{"id": entry_id, "time": TS + 500, "messaging": list(events)}]}


def from_guest(key, content, guest=PSID, account=PAGE_ID, timestamp=TS):
    return {"sender": {"id": guest}, "recipient": {"id": account}, "timestamp": timestamp, key: content}


def parse_one(payload):
    batch = parse_webhook(payload)
    assert len(batch.messages) == 1, batch.problems
    assert batch.echoes == [] and batch.statuses == []
    return batch.messages[0], batch


# --- Messenger messages -----------------------------------------------------------------


def test_messenger_text_message():
    payload = json.loads("""
    {"object":"page","entry":[{"id":"104520339012345","time":1767225600623,"messaging":[
      {"sender":{"id":"7312345678901234"},"recipient":{"id":"104520339012345"},"timestamp":1767225600123,
       "message":{"mid":"m_AbCdEf123","text":"Is breakfast included?"}}]}]}
    """)
    msg, batch = parse_one(payload)
    assert batch.problems == []
    assert isinstance(msg, InboundMessage)
    assert (msg.channel, msg.account_id, msg.sender_id) == ("messenger", PAGE_ID, PSID)
    assert msg.platform_message_id == "m_AbCdEf123"
    assert msg.timestamp == WHEN
    assert (msg.message_type, msg.body, msg.reply_id, msg.payload) == ("text", "Is breakfast included?", None, {})
    assert msg.reply_to_mid is None
    assert msg.raw is payload["entry"][0]["messaging"][0]


def test_quick_reply_tap_is_interactive_with_the_payload():
    msg, _ = parse_one(page(from_guest("message", {
        "mid": "m_qr1", "text": "Late check-out", "quick_reply": {"payload": "svc:late_checkout"}})))
    assert msg.message_type == "interactive"
    assert msg.body == "Late check-out"
    assert msg.reply_id == "svc:late_checkout"
    assert msg.payload == {"kind": "quick_reply", "id": "svc:late_checkout", "title": "Late check-out"}


def test_postback_with_mid():
    msg, batch = parse_one(page(from_guest("postback", {
        "mid": "m_pb1", "title": "Select", "payload": "room:deluxe"})))
    assert batch.problems == []
    assert msg.platform_message_id == "m_pb1"
    assert (msg.message_type, msg.body, msg.reply_id) == ("interactive", "Select", "room:deluxe")
    assert msg.payload == {"kind": "postback", "id": "room:deluxe", "title": "Select", "referral": None}


def test_postback_without_mid_gets_a_stable_synthetic_id():
    def pb_id(payload_value="room:deluxe", timestamp=TS, guest=PSID, title="Select"):
        event = from_guest("postback", {"title": title, "payload": payload_value}, guest=guest, timestamp=timestamp)
        return parse_one(page(event))[0].platform_message_id

    first = pb_id()
    assert first.startswith("postback.") and len(first) == len("postback.") + 32
    assert pb_id() == first  # a redelivery of the same tap
    assert pb_id(title="Choose") == first
    assert pb_id(payload_value="room:suite") != first
    assert pb_id(timestamp=TS + 1) != first
    assert pb_id(guest="999") != first


def test_get_started_postback_keeps_the_referral():
    msg, _ = parse_one(page(from_guest("postback", {
        "title": "Get Started", "payload": "GET_STARTED",
        "referral": {"ref": "summer_offer", "source": "SHORTLINK", "type": "OPEN_THREAD"}})))
    assert msg.reply_id == "GET_STARTED"
    assert msg.payload["referral"] == {"ref": "summer_offer", "source": "SHORTLINK", "type": "OPEN_THREAD"}


def test_postback_with_only_a_payload_uses_it_as_body():
    msg, _ = parse_one(page(from_guest("postback", {"payload": "menu:spa"})))
    assert (msg.body, msg.reply_id) == ("menu:spa", "menu:spa")


@pytest.mark.parametrize("meta_type,message_type,body", [
    ("image", "image", "[image]"), ("audio", "audio", "[audio]"), ("video", "video", "[video]"),
    ("file", "document", "[document]"), ("sticker", "sticker", "[sticker]"),
])
def test_media_attachments(meta_type, message_type, body):
    url = f"https://scontent.xx.fbcdn.net/v/{meta_type}.bin?oh=1"
    msg, batch = parse_one(page(from_guest("message", {
        "mid": "m_media", "attachments": [{"type": meta_type, "payload": {"url": url}}]})))
    assert batch.problems == []
    assert (msg.message_type, msg.body) == (message_type, body)
    assert msg.payload == {"attachments": [{"type": meta_type, "url": url}], "url": url}


def test_sticker_sent_as_image_and_sticker_during_the_transition():
    msg, _ = parse_one(page(from_guest("message", {"mid": "m_st", "attachments": [
        {"type": "image", "payload": {"url": "https://cdn.example/sticker-as-image.png"}},
        {"type": "sticker", "payload": {"url": "https://cdn.example/sticker.png"}}]})))
    assert (msg.message_type, msg.body) == ("sticker", "[sticker]")
    assert msg.payload["url"] == "https://cdn.example/sticker.png"


def test_legacy_messenger_sticker_id_is_a_sticker():
    msg, _ = parse_one(page(from_guest("message", {"mid": "m_like", "sticker_id": 369239263222822, "attachments": [
        {"type": "image", "payload": {"url": "https://cdn.example/like.png", "sticker_id": 369239263222822}}]})))
    assert msg.message_type == "sticker"


def test_several_images_in_one_message():
    msg, _ = parse_one(page(from_guest("message", {"mid": "m_imgs", "attachments": [
        {"type": "image", "payload": {"url": f"https://cdn.example/{i}.jpg"}} for i in range(3)]})))
    assert (msg.message_type, msg.body) == ("image", "[3 images]")
    assert [a["url"] for a in msg.payload["attachments"]] == [f"https://cdn.example/{i}.jpg" for i in range(3)]
    assert msg.payload["url"] == "https://cdn.example/0.jpg"


def test_location_attachment():
    msg, _ = parse_one(page(from_guest("message", {"mid": "m_loc", "attachments": [
        {"type": "location", "title": "Pinned location",
         "payload": {"coordinates": {"lat": 40.4168, "long": -3.7038}}}]})))
    assert (msg.message_type, msg.body) == ("location", "[location]")
    assert (msg.payload["latitude"], msg.payload["longitude"]) == (40.4168, -3.7038)


def test_text_with_a_link_preview_stays_text():
    link = {"type": "fallback", "title": "Offer", "payload": {"url": "https://hotel.example/offer"}}
    msg, _ = parse_one(page(from_guest("message", {"mid": "m_link", "text": "https://hotel.example/offer",
                                                    "attachments": [link]})))
    assert (msg.message_type, msg.body) == ("text", "https://hotel.example/offer")
    assert msg.payload == {
        "attachments": [{"type": "fallback", "url": "https://hotel.example/offer", "title": "Offer"}]}


def test_reply_to_a_message():
    msg, _ = parse_one(page(from_guest("message", {"mid": "m_r", "text": "Yes", "reply_to": {"mid": "m_ours"}})))
    assert msg.reply_to_mid == "m_ours"


def test_message_without_content_is_kept_as_unsupported():
    msg, batch = parse_one(page(from_guest("message", {"mid": "m_empty"})))
    assert (msg.message_type, msg.body) == ("unsupported", "[unsupported message]")
    assert batch.problems == ["entry[0].messaging[0] (m_empty): message with unreadable content; kept as unsupported."]


def test_media_without_url_is_kept_with_a_problem():
    msg, batch = parse_one(page(from_guest("message", {"mid": "m_nourl", "attachments": [{"type": "video"}]})))
    assert msg.message_type == "video" and msg.payload["url"] is None
    assert batch.problems == ["entry[0].messaging[0] (m_nourl): video without a URL."]


# --- Instagram ------------------------------------------------------------------------------


def ig_event(key, content, timestamp=TS):
    return from_guest(key, content, guest=IGSID, account=IG_ID, timestamp=timestamp)


def test_instagram_text_message():
    msg, batch = parse_one(instagram(ig_event("message", {"mid": "aWdfZAG1faXRlbToxOklH", "text": "Hola!"})))
    assert batch.problems == []
    assert (msg.channel, msg.account_id, msg.sender_id) == ("instagram", IG_ID, IGSID)
    assert (msg.platform_message_id, msg.message_type, msg.body) == ("aWdfZAG1faXRlbToxOklH", "text", "Hola!")


@pytest.mark.parametrize("meta_type,body", [
    ("share", "[shared post]"), ("story_mention", "[story mention]"), ("ig_reel", "[reel]"), ("reel", "[reel]"),
    ("something_new", "[unsupported message]"),
])
def test_instagram_attachments_without_a_message_type(meta_type, body):
    url = "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1"
    msg, batch = parse_one(instagram(ig_event("message", {
        "mid": "m_ig", "attachments": [{"type": meta_type, "payload": {"url": url}}]})))
    assert batch.problems == []
    assert (msg.message_type, msg.body) == ("unsupported", body)
    assert (msg.payload["original_type"], msg.payload["url"]) == (meta_type, url)


def test_instagram_unsupported_flag():
    msg, batch = parse_one(instagram(ig_event("message", {"mid": "m_u", "is_unsupported": True})))
    assert (msg.message_type, msg.body) == ("unsupported", "[unsupported message]")
    assert msg.payload["original_type"] == "unsupported"
    assert batch.problems == []


def test_instagram_story_reply():
    msg, _ = parse_one(instagram(ig_event("message", {
        "mid": "m_story", "text": "Love this view!",
        "reply_to": {"story": {"url": "https://lookaside.fbsbx.com/story/1", "id": "17900000000000001"}}})))
    assert (msg.message_type, msg.body) == ("text", "Love this view!")
    assert msg.payload == {"story": {"id": "17900000000000001", "url": "https://lookaside.fbsbx.com/story/1"}}
    assert msg.reply_to_mid is None


def test_instagram_deleted_message_is_not_a_guest_message():
    batch = parse_webhook(instagram(ig_event("message", {"mid": "m_gone", "is_deleted": True})))
    assert batch.messages == [] and batch.echoes == []
    assert batch.problems == ["entry[0].messaging[0] (m_gone): the guest deleted this message; ignored."]


def test_instagram_quick_reply_and_postback():
    batch = parse_webhook(instagram(
        ig_event("message", {"mid": "m_q", "text": "Spa", "quick_reply": {"payload": "svc:spa"}}),
        ig_event("postback", {"mid": "m_p", "title": "Book now", "payload": "BOOK"}, timestamp=TS + 1),
    ))
    assert batch.problems == []
    assert [(m.platform_message_id, m.message_type, m.body, m.reply_id) for m in batch.messages] == [
        ("m_q", "interactive", "Spa", "svc:spa"), ("m_p", "interactive", "Book now", "BOOK")]


# --- echoes ------------------------------------------------------------------------------------


def test_messenger_echo_is_reported_separately():
    payload = page({"sender": {"id": PAGE_ID}, "recipient": {"id": PSID}, "timestamp": TS,
                    "message": {"is_echo": True, "app_id": APP_ID, "metadata": "gm:outbound:42",
                                "mid": "m_echo1", "text": "Your room is ready."}})
    batch = parse_webhook(payload)
    assert batch.messages == [] and batch.statuses == [] and batch.problems == []
    assert batch.echoes == [Echo(
        channel="messenger", account_id=PAGE_ID, recipient_id=PSID, platform_message_id="m_echo1",
        app_id=str(APP_ID), metadata="gm:outbound:42", timestamp=WHEN, message_type="text",
        body="Your room is ready.", payload={}, raw=payload["entry"][0]["messaging"][0])]


def test_echo_of_a_page_inbox_reply_has_no_app_id_and_keeps_attachments():
    batch = parse_webhook(page({"sender": {"id": PAGE_ID}, "recipient": {"id": PSID}, "timestamp": TS,
                                "message": {"is_echo": True, "mid": "m_echo2", "attachments": [
                                    {"type": "image", "payload": {"url": "https://cdn.example/map.png"}}]}}))
    echo = batch.echoes[0]
    assert (echo.app_id, echo.message_type, echo.payload["url"]) == (None, "image", "https://cdn.example/map.png")


def test_instagram_echo_inside_messages():
    batch = parse_webhook(instagram({"sender": {"id": IG_ID}, "recipient": {"id": IGSID}, "timestamp": TS,
                                     "message": {"mid": "m_ig_echo", "text": "Thanks!", "is_echo": True}}))
    assert batch.messages == []
    assert [(e.channel, e.account_id, e.recipient_id, e.body) for e in batch.echoes] == [
        ("instagram", IG_ID, IGSID, "Thanks!")]


def test_echo_flag_must_be_true_not_truthy():
    msg, _ = parse_one(page(from_guest("message", {"mid": "m_x", "text": "hi", "is_echo": "true"})))
    assert msg.sender_id == PSID


def test_unmarked_message_from_the_account_is_not_a_guest_message():
    batch = parse_webhook(page({"sender": {"id": PAGE_ID}, "recipient": {"id": PSID}, "timestamp": TS,
                                "message": {"mid": "m_self", "text": "Your room is ready."}}))
    assert batch.messages == [] and batch.echoes == []
    assert batch.problems == [
        "entry[0].messaging[0]: event sent by the account itself but not marked as an echo; skipped."]


# --- reactions -------------------------------------------------------------------------------


def test_reaction_and_its_removal():
    batch = parse_webhook(page(
        from_guest("reaction", {"mid": "m_ours", "action": "react", "emoji": "\u2764\ufe0f", "reaction": "love"}),
        from_guest("reaction", {"mid": "m_ours", "action": "unreact"}, timestamp=TS + 5000),
    ))
    assert batch.problems == []
    react, unreact = batch.messages
    assert (react.message_type, react.body, react.reply_id) == ("reaction", "\u2764\ufe0f", None)
    assert react.payload == {"message_id": "m_ours", "action": "react", "emoji": "\u2764\ufe0f", "reaction": "love"}
    assert (unreact.message_type, unreact.body) == ("reaction", "[reaction removed]")
    assert unreact.payload == {"message_id": "m_ours", "action": "unreact", "emoji": None, "reaction": None}
    assert react.platform_message_id.startswith("reaction.")
    assert react.platform_message_id != unreact.platform_message_id


@pytest.mark.parametrize("reaction,problem", [
    ({"action": "react", "emoji": "x"}, "reaction without the reacted message id"),
    ({"mid": "m_1", "action": "like", "emoji": "x"}, "reaction without a known action (got 'like')"),
    ({"mid": "m_1"}, "reaction without a known action (got None)"),
])
def test_bad_reactions_are_skipped(reaction, problem):
    batch = parse_webhook(page(from_guest("reaction", reaction)))
    assert batch.messages == []
    assert batch.problems == [f"entry[0].messaging[0]: {problem}; skipped."]


# --- deliveries and reads ---------------------------------------------------------------------


def test_messenger_delivery():
    payload = page(from_guest("delivery", {"mids": ["m_out1", "m_out2", "m_out1"], "watermark": 1767225599000}))
    batch = parse_webhook(payload)
    assert batch.problems == [] and batch.messages == []
    assert batch.statuses == [StatusUpdate(
        channel="messenger", account_id=PAGE_ID, guest_id=PSID, status="delivered", mids=("m_out1", "m_out2"),
        watermark=1767225599000, timestamp=WHEN, raw=payload["entry"][0]["messaging"][0])]


def test_delivery_with_only_a_watermark():
    status = parse_webhook(page(from_guest("delivery", {"watermark": "1767225599000"}))).statuses[0]
    assert (status.status, status.mids, status.watermark) == ("delivered", (), 1767225599000)


def test_messenger_read_watermark():
    status = parse_webhook(page(from_guest("read", {"watermark": 1767225599999}))).statuses[0]
    assert (status.channel, status.status, status.mids, status.watermark) == ("messenger", "read", (), 1767225599999)


def test_instagram_seen_names_the_message():
    status = parse_webhook(instagram(ig_event("read", {"mid": "m_ig_out"}))).statuses[0]
    assert (status.channel, status.account_id, status.guest_id) == ("instagram", IG_ID, IGSID)
    assert (status.status, status.mids, status.watermark) == ("read", ("m_ig_out",), None)


@pytest.mark.parametrize("key", ["delivery", "read"])
def test_receipts_without_ids_or_watermark_are_skipped(key):
    batch = parse_webhook(page(from_guest(key, {"mids": [None, {}, ""], "watermark": "soon"})))
    assert batch.statuses == []
    status = "delivered" if key == "delivery" else "read"
    assert batch.problems == [f"entry[0].messaging[0]: {status} receipt without message ids or a watermark; skipped."]


# --- batching, duplicates, routing ---------------------------------------------------------------


def test_several_entries_and_events_in_order():
    payload = page(from_guest("message", {"mid": "m_1", "text": "one"}),
                   from_guest("read", {"watermark": TS}))
    payload["entry"].append({"id": "2000", "time": TS, "messaging": [
        from_guest("message", {"mid": "m_2", "text": "two"}, account="2000")]})
    batch = parse_webhook(payload)
    assert [(m.account_id, m.body) for m in batch.messages] == [(PAGE_ID, "one"), ("2000", "two")]
    assert [s.status for s in batch.statuses] == ["read"]
    assert account_ids(payload) == {PAGE_ID, "2000"}


def test_duplicates_inside_one_body_are_dropped():
    event = from_guest("message", {"mid": "m_dup", "text": "hello"})
    receipt = from_guest("delivery", {"mids": ["m_o"], "watermark": TS})
    batch = parse_webhook(page(event, copy.deepcopy(event), receipt, copy.deepcopy(receipt)))
    assert [m.platform_message_id for m in batch.messages] == ["m_dup"]
    assert len(batch.statuses) == 1
    assert batch.problems == [
        "entry[0].messaging[1] (m_dup): duplicate of an earlier message in this body; skipped.",
        "entry[0].messaging[3]: duplicate delivered receipt in this body; skipped.",
    ]


def test_account_id_falls_back_to_the_recipient():
    payload = page(from_guest("message", {"mid": "m_1", "text": "hi"}))
    del payload["entry"][0]["id"]
    msg, _ = parse_one(payload)
    assert msg.account_id == PAGE_ID
    assert account_ids(payload) == {PAGE_ID}


def test_every_account_a_body_names_routes_it_and_no_guest_does():
    echo = {"sender": {"id": "2000"}, "recipient": {"id": PSID}, "timestamp": TS,
            "message": {"mid": "m_e", "text": "from the inbox", "is_echo": True}}
    receipt = from_guest("read", {"watermark": TS}, account="3000")
    payload = page(from_guest("message", {"mid": "m_1", "text": "hi"}, account="4000"), echo, receipt,
                   {"sender": {"id": PSID}, "recipient": "4000", "message": []}, "junk", {"recipient": {"id": 5}})
    assert account_ids(payload) == {PAGE_ID, "2000", "3000", "4000"}
    ig = instagram(from_guest("message", {"mid": "m_2", "text": "hi"}, guest=IGSID, account=IG_ID))
    assert account_ids(ig) == {IG_ID}


def test_account_level_changes_are_kept_not_reported_as_problems():
    payload = {"object": "page", "entry": [
        {"id": PAGE_ID, "time": TS, "changes": [{"field": "feed", "value": {"item": "status"}},
                                                {"field": "a_field_meta_adds_next_year", "value": [1, 2]}]},
        {"id": PAGE_ID, "time": TS, "changes": [{"value": {}}, "x", {"field": 7}]},
        {"id": PAGE_ID, "time": TS, "changes": "feed"},
        {"id": IG_ID, "time": TS, "changes": [{"field": "mentions", "value": {}}],
         "messaging": [from_guest("message", {"mid": "m_1", "text": "hi"}, account=IG_ID)]},
    ]}
    batch = parse_webhook(payload)
    assert batch.other_fields == ["feed", "a_field_meta_adds_next_year", "mentions"]
    assert [m.platform_message_id for m in batch.messages] == ["m_1"]
    assert batch.problems == ["entry[1].changes[0]: no field name; ignored.",
                              "entry[1].changes[1]: no field name; ignored.",
                              "entry[1].changes[2]: no field name; ignored.",
                              "entry[2]: changes is a string, not a list; ignored."]
    assert account_ids(payload) == {PAGE_ID, IG_ID}


def test_entry_id_wins_over_the_recipient():
    msg, _ = parse_one(instagram(from_guest("message", {"mid": "m_1", "text": "hi"}, guest=IGSID, account="other")))
    assert msg.account_id == IG_ID


def test_event_without_sender_or_account_is_skipped():
    payload = page({"recipient": {"id": PAGE_ID}, "timestamp": TS, "message": {"mid": "m_1", "text": "hi"}})
    payload["entry"].append({"messaging": [{"sender": {"id": PSID}, "message": {"mid": "m_2", "text": "hi"}}]})
    batch = parse_webhook(payload)
    assert batch.messages == []
    assert batch.problems == ["entry[0].messaging[0]: event without a sender; skipped.",
                              "entry[1].messaging[0]: event without an account id; skipped."]


def test_unhandled_events_and_standby_are_reported():
    payload = page(from_guest("optin", {"ref": "x"}),
                   from_guest("message_edit", {"mid": "m_1", "text": "edited", "num_edit": 1}))
    standby = [from_guest("message", {"mid": "m_s", "text": "x"})]
    payload["entry"].append({"id": PAGE_ID, "time": TS, "standby": standby})
    batch = parse_webhook(payload)
    assert batch.messages == []
    assert batch.problems == [
        "entry[0].messaging[0]: event (optin) is not handled; ignored.",
        "entry[0].messaging[1]: event (message_edit) is not handled; ignored.",
        "entry[1]: standby events (another app owns the thread) are not handled; ignored.",
    ]


def test_timestamps():
    batch = parse_webhook(page(
        from_guest("message", {"mid": "m_1", "text": "a"}, timestamp="1767225600123"),
        from_guest("message", {"mid": "m_2", "text": "b"}, timestamp="yesterday"),
        from_guest("message", {"mid": "m_3", "text": "c"}, timestamp=10 ** 20),
    ))
    assert [m.timestamp for m in batch.messages] == [WHEN, None, None]
    assert batch.problems == ["entry[0].messaging[1]: unreadable timestamp 'yesterday'.",
                              "entry[0].messaging[2]: unreadable timestamp 100000000000000000000."]


def test_empty_bodies():
    assert parse_webhook({"object": "page", "entry": []}) == WebhookBatch()
    assert parse_webhook(instagram()) == WebhookBatch()


@pytest.mark.parametrize("payload", [
    None, [], "page", 42, b"{}", {}, {"object": "whatsapp_business_account", "entry": []},
    {"object": "Page", "entry": []}, {"object": ["page"], "entry": []}, {"object": "page"},
    {"object": "instagram", "entry": {}}, {"object": "page", "entry": None},
])
def test_payload_error(payload):
    with pytest.raises(PayloadError):
        parse_webhook(payload)
    assert account_ids(payload) == set()


def test_account_ids_only_counts_string_ids():
    payload = {"object": "instagram", "entry": [{"id": IG_ID}, {"id": 17841400000000002}, {"id": ""}, "x", None,
                                                {"id": ["1"]}, {"id": "  1784  "}]}
    assert account_ids(payload) == {IG_ID, "1784"}


# --- hostile input ---------------------------------------------------------------------------


JUNK = [None, 0, -1, 3.5, True, "", "x", [], [None], {}, {"a": [1, {"b": None}]}, ["nested", ["deeper", [[]]]],
        float("nan"), 10 ** 40, "\x00", "\ud800"]


def _full_body():
    return page(
        from_guest("message", {"mid": "m_1", "text": "hi", "quick_reply": {"payload": "p"},
                               "attachments": [{"type": "image", "payload": {"url": "https://x.example/1"}}],
                               "reply_to": {"mid": "m_0", "story": {"url": "https://x.example/s", "id": "1"}}}),
        from_guest("postback", {"mid": "m_2", "title": "T", "payload": "P", "referral": {"ref": "r"}}),
        from_guest("reaction", {"mid": "m_0", "action": "react", "emoji": "x", "reaction": "love"}),
        from_guest("delivery", {"mids": ["m_0"], "watermark": TS}),
        from_guest("read", {"watermark": TS, "mid": "m_0"}),
        {"sender": {"id": PAGE_ID}, "recipient": {"id": PSID}, "timestamp": TS,
         "message": {"mid": "m_e", "is_echo": True, "app_id": 1, "text": "e"}},
    )


def _paths(value, prefix=()):
    yield prefix
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield from _paths(child, prefix + (key,))


def _check(batch):
    assert isinstance(batch, WebhookBatch)
    for msg in batch.messages + batch.echoes:
        assert msg.message_type in MESSAGE_TYPES
        assert isinstance(msg.body, str) and msg.body
        msg.body.encode("utf-8")
        json.dumps(msg.payload, allow_nan=False)
    for status in batch.statuses:
        assert status.status in ("delivered", "read")
        assert all(isinstance(m, str) and m for m in status.mids)
    assert all(isinstance(p, str) for p in batch.problems)


@pytest.mark.parametrize("junk", JUNK, ids=repr)
def test_junk_at_every_level_never_raises(junk):
    base = _full_body()
    for path in list(_paths(base))[2:]:  # not the body itself, nor its "object"
        payload = copy.deepcopy(base)
        target = payload
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = copy.deepcopy(junk)
        try:
            batch = parse_webhook(payload)
        except PayloadError:
            assert path in (("object",), ("entry",)), path
            continue
        _check(batch)
        assert len(batch.messages) <= 3 and len(batch.echoes) <= 1 and len(batch.statuses) <= 2
        account_ids(payload)


def _random_junk(rng, depth=0):
    choice = rng.randrange(9 if depth < 4 else 6)
    if choice == 0:
        return None
    if choice == 1:
        return rng.choice([0, -7, 2 ** 63, 1.5, float("nan"), float("inf"), True, TS])
    if choice == 2:
        return rng.choice(["", "x", "\u0000", "\ud800", "🙂", "m_1", "1767225600123", "react", "image", "sticker"])
    if choice == 3:
        return rng.choice(["text", "image", "file", "location", "share", "unreact", "page", "instagram"])
    if choice == 4:
        return "z" * rng.choice([1, 300, 5000])
    if choice == 5:
        return rng.choice([{}, []])
    if choice == 6:
        return [_random_junk(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    keys = ["id", "mid", "mids", "text", "sender", "recipient", "timestamp", "message", "postback", "reaction",
            "delivery", "read", "watermark", "attachments", "type", "payload", "url", "is_echo", "is_deleted",
            "quick_reply", "title", "emoji", "action", "reply_to", "story", "coordinates", "lat", "long"]
    return {rng.choice(keys): _random_junk(rng, depth + 1) for _ in range(rng.randint(0, 5))}


def test_random_structures_never_raise():
    rng = random.Random(2026)
    template = _full_body()
    for _ in range(3000):
        payload = copy.deepcopy(template)
        target = payload
        for _ in range(rng.randint(1, 9)):
            keys = list(target) if isinstance(target, dict) else list(range(len(target)))
            if not keys:
                break
            key = rng.choice(keys)
            if isinstance(target[key], (dict, list)) and rng.random() < 0.8:
                target = target[key]
            else:
                break
        keys = list(target) if isinstance(target, dict) else list(range(len(target)))
        if keys:
            target[rng.choice(keys)] = _random_junk(rng)
        try:
            batch = parse_webhook(payload)
        except PayloadError:
            continue
        _check(batch)
        account_ids(payload)


def test_huge_and_dirty_strings_are_bounded_and_cleaned():
    batch = parse_webhook(page(
        from_guest("message", {"mid": "m_" + "9" * 10_000, "text": "a\x00b" + "c" * 200_000}),
        from_guest("message", {"mid": "m_2", "text": "bad \ud800 surrogate"}),
        from_guest("postback", {"title": "t" * 50_000, "payload": "p" * 50_000}),
    ))
    long_text, surrogate, postback = batch.messages
    assert len(long_text.platform_message_id) == 256
    assert long_text.body == "ab" + "c" * 4093  # 4096 characters, less the NUL
    assert surrogate.body == "bad \ufffd surrogate"
    assert len(postback.reply_id) == 1000 and len(postback.body) == 1024


def test_problems_are_capped():
    batch = parse_webhook(page(*[{"message": "x"} for _ in range(500)]))
    assert len(batch.problems) == 201
    assert batch.problems[-1] == "... and 300 more problems not listed."


def test_payload_error_is_a_value_error():
    assert issubclass(PayloadError, ValueError)



def test_a_location_shared_with_coordinates_as_text_is_read_and_nonsense_dropped():
    cases = (("40.4168", "-3.7038", (40.4168, -3.7038)), ("north", 500, (None, None)),
             (True, float("nan"), (None, None)))
    for lat, long, expected in cases:
        msg, _ = parse_one(page(from_guest("message", {"mid": f"m_loc_{lat}", "attachments": [
            {"type": "location", "payload": {"coordinates": {"lat": lat, "long": long}}}]})))
        assert (msg.payload["latitude"], msg.payload["longitude"]) == expected
