import copy
import json
import random
from datetime import datetime, timezone

import pytest

from guestmsg.channels.whatsapp.webhook import (
    MESSAGE_TYPES, STATUS_RANK, InboundMessage, PayloadError, StatusUpdate, WebhookBatch, parse_webhook,
    phone_number_ids, should_apply_status,
)

WABA_ID = "102290129340398"
PHONE_ID = "106540352242922"
DISPLAY = "34910000000"
GUEST = "34600111222"


def envelope(messages=None, statuses=None, contacts=None, phone_id=PHONE_ID, field="messages"):
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": DISPLAY, "phone_number_id": phone_id}}
    if contacts is not None:
        value["contacts"] = contacts
    if messages is not None:
        value["messages"] = messages
    if statuses is not None:
        value["statuses"] = statuses
    return {"object": "whatsapp_business_account",
            "entry": [{"id": WABA_ID, "changes": [{"field": field, "value": value}]}]}


def ana(wa_id=GUEST):
    return [{"profile": {"name": "Ana Ruiz"}, "wa_id": wa_id, "user_id": "ES.8812345678"}]


def message(msg_type, content, wamid="wamid.IN1", **extra):
    msg = {"from": GUEST, "id": wamid, "timestamp": "1767225600", "type": msg_type}
    if content is not None:
        msg[msg_type] = content
    msg.update(extra)
    return msg


def parse_one(msg, contacts=None):
    batch = parse_webhook(envelope(messages=[msg], contacts=ana() if contacts is None else contacts))
    assert len(batch.messages) == 1, batch.problems
    return batch.messages[0], batch


def status(value, wamid="wamid.OUT1", **extra):
    st = {"id": wamid, "status": value, "timestamp": "1767312000", "recipient_id": GUEST}
    st.update(extra)
    return st


# --- the reference examples -------------------------------------------------


def test_text_message_from_the_reference():
    payload = json.loads("""
    {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",
     "value":{"messaging_product":"whatsapp",
      "metadata":{"display_phone_number":"34910000000","phone_number_id":"106540352242922"},
      "contacts":[{"profile":{"name":"Ana Ruiz"},"wa_id":"34600111222","user_id":"ES.8812345678"}],
      "messages":[{"from":"34600111222","from_user_id":"ES.8812345678","id":"wamid.HBgL...AA==",
       "timestamp":"1767225600","type":"text","text":{"body":"Can I get a late check-out?"}}]}}]}]}
    """)
    batch = parse_webhook(payload)
    assert batch.problems == []
    assert batch.statuses == []
    msg = batch.messages[0]
    assert isinstance(msg, InboundMessage)
    assert msg.phone_number_id == PHONE_ID
    assert msg.display_phone_number == DISPLAY
    assert msg.platform_message_id == "wamid.HBgL...AA=="
    assert msg.wa_id == GUEST
    assert msg.user_id == "ES.8812345678"
    assert msg.profile_name == "Ana Ruiz"
    assert msg.timestamp == datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert msg.timestamp.tzinfo is not None
    assert msg.message_type == "text"
    assert msg.body == "Can I get a late check-out?"
    assert msg.reply_id is None
    assert msg.context_message_id is None
    assert msg.payload == {}
    assert msg.raw is payload["entry"][0]["changes"][0]["value"]["messages"][0]


def test_button_reply():
    msg, _ = parse_one(message(
        "interactive", {"type": "button_reply", "button_reply": {"id": "ci:late:yes", "title": "Yes, 2 pm"}},
        context={"from": DISPLAY, "id": "wamid.OUTBOUND_WITH_BUTTONS"}))
    assert msg.message_type == "interactive"
    assert msg.body == "Yes, 2 pm"
    assert msg.reply_id == "ci:late:yes"
    assert msg.context_message_id == "wamid.OUTBOUND_WITH_BUTTONS"
    assert msg.payload == {"kind": "button_reply", "id": "ci:late:yes", "title": "Yes, 2 pm", "description": None}


def test_list_reply():
    msg, _ = parse_one(message(
        "interactive",
        {"type": "list_reply",
         "list_reply": {"id": "svc:spa", "title": "Spa booking", "description": "Treatments 10:00-20:00"}},
        context={"from": DISPLAY, "id": "wamid.OUTBOUND_LIST"}))
    assert msg.message_type == "interactive"
    assert msg.body == "Spa booking"
    assert msg.reply_id == "svc:spa"
    assert msg.context_message_id == "wamid.OUTBOUND_LIST"
    assert msg.payload == {"kind": "list_reply", "id": "svc:spa", "title": "Spa booking",
                           "description": "Treatments 10:00-20:00"}


def test_template_quick_reply_button_maps_to_interactive():
    msg, _ = parse_one(message("button", {"payload": "checkin:confirm", "text": "Confirm"},
                               context={"from": DISPLAY, "id": "wamid.TEMPLATE"}))
    assert msg.message_type == "interactive"
    assert msg.body == "Confirm"
    assert msg.reply_id == "checkin:confirm"
    assert msg.context_message_id == "wamid.TEMPLATE"
    assert msg.payload == {"kind": "template_button", "id": "checkin:confirm", "title": "Confirm",
                           "description": None}


def test_template_button_without_payload_keeps_the_text():
    msg, _ = parse_one(message("button", {"text": "Stop promotions"}))
    assert msg.reply_id is None
    assert msg.body == "Stop promotions"
    assert msg.payload["kind"] == "template_button"


def test_image_with_caption():
    msg, batch = parse_one(message("image", {
        "caption": "The shower is broken", "mime_type": "image/jpeg", "sha256": "b1e2c3", "id": "1479537139650973",
        "url": "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1479537139650973"}))
    assert batch.problems == []
    assert msg.message_type == "image"
    assert msg.body == "The shower is broken"
    assert msg.payload == {"media_id": "1479537139650973", "mime_type": "image/jpeg", "sha256": "b1e2c3",
                           "caption": "The shower is broken", "filename": None, "voice": False}


@pytest.mark.parametrize("media_type,content,body", [
    ("image", {"id": "m1", "mime_type": "image/jpeg"}, "[image]"),
    ("video", {"id": "m1", "mime_type": "video/mp4"}, "[video]"),
    ("video", {"id": "m1", "mime_type": "video/mp4", "caption": "Pool view"}, "Pool view"),
    ("audio", {"id": "m1", "mime_type": "audio/ogg; codecs=opus", "voice": True}, "[voice message]"),
    ("audio", {"id": "m1", "mime_type": "audio/mpeg", "voice": False}, "[audio]"),
    ("audio", {"id": "m1", "mime_type": "audio/mpeg", "voice": "true"}, "[audio]"),
    ("document", {"id": "m1", "mime_type": "application/pdf", "filename": "passport.pdf"},
     "[document: passport.pdf]"),
    ("document", {"id": "m1", "mime_type": "application/pdf", "filename": "passport.pdf", "caption": "My ID"},
     "My ID"),
    ("document", {"id": "m1", "mime_type": "application/pdf"}, "[document]"),
    ("sticker", {"id": "m1", "mime_type": "image/webp", "animated": False}, "[sticker]"),
])
def test_media_types(media_type, content, body):
    msg, batch = parse_one(message(media_type, content))
    assert batch.problems == []
    assert msg.message_type == media_type
    assert msg.body == body
    assert set(msg.payload) == {"media_id", "mime_type", "sha256", "caption", "filename", "voice"}
    assert msg.payload["media_id"] == "m1"
    assert msg.payload["mime_type"] == content["mime_type"]
    assert msg.payload["voice"] is (content.get("voice") is True)
    assert msg.payload["filename"] == content.get("filename")
    assert msg.payload["caption"] == content.get("caption")


def test_sticker_caption_is_not_read():
    msg, _ = parse_one(message("sticker", {"id": "m1", "caption": "not a thing for stickers"}))
    assert msg.payload["caption"] is None
    assert msg.body == "[sticker]"


def test_media_without_id_is_kept_with_a_problem():
    msg, batch = parse_one(message("image", {"mime_type": "image/jpeg"}))
    assert msg.message_type == "image"
    assert msg.payload["media_id"] is None
    assert any("image without a media id" in p for p in batch.problems)


def test_location_with_name_and_address():
    msg, _ = parse_one(message("location", {
        "latitude": 40.4168, "longitude": -3.7038, "name": "Puerta del Sol", "address": "28013 Madrid",
        "url": "https://maps.example/sol"}))
    assert msg.message_type == "location"
    assert msg.body == "Puerta del Sol — 28013 Madrid"
    assert msg.payload == {"latitude": 40.4168, "longitude": -3.7038, "name": "Puerta del Sol",
                           "address": "28013 Madrid", "url": "https://maps.example/sol"}


def test_location_with_only_coordinates():
    msg, _ = parse_one(message("location", {"latitude": 41.38740, "longitude": 2.1686}))
    assert msg.body == "41.3874, 2.1686"
    assert msg.payload["name"] is None and msg.payload["address"] is None


def test_location_coordinates_as_strings_are_coerced_and_nonsense_dropped():
    msg, _ = parse_one(message("location", {"latitude": "40.5", "longitude": "-3.25"}))
    assert (msg.payload["latitude"], msg.payload["longitude"]) == (40.5, -3.25)
    msg, _ = parse_one(message("location", {"latitude": 123.0, "longitude": float("nan"), "name": "Somewhere"}))
    assert msg.payload["latitude"] is None and msg.payload["longitude"] is None
    assert msg.body == "Somewhere"
    msg, _ = parse_one(message("location", {"latitude": True, "longitude": 10 ** 400, "address": "X street"}))
    assert msg.payload["latitude"] is None and msg.payload["longitude"] is None


def test_contacts():
    msg, _ = parse_one(message("contacts", [
        {"name": {"formatted_name": "Luis Pérez", "first_name": "Luis", "last_name": "Pérez"},
         "phones": [{"phone": "+34 600 222 333", "wa_id": "34600222333", "type": "CELL"}],
         "emails": [{"email": "luis@example.com"}], "org": {"company": "ACME"}},
        {"name": {"first_name": "Marta", "last_name": "Gil"}, "phones": [{"phone": "+34 611 000 000"}]},
    ]))
    assert msg.message_type == "contacts"
    assert msg.body == "Luis Pérez, Marta Gil"
    assert msg.payload == {"contacts": [
        {"name": "Luis Pérez", "phones": [{"phone": "+34 600 222 333", "wa_id": "34600222333", "type": "CELL"}]},
        {"name": "Marta Gil", "phones": [{"phone": "+34 611 000 000", "wa_id": None, "type": None}]},
    ]}
    # emails, organisations and addresses are not carried (names and phones only)
    assert "luis@example.com" not in json.dumps(msg.payload)


def test_contacts_are_bounded():
    card = {"name": {"formatted_name": "X"}, "phones": [{"phone": str(i)} for i in range(50)]}
    msg, _ = parse_one(message("contacts", [card] * 100))
    assert len(msg.payload["contacts"]) == 20
    assert all(len(c["phones"]) == 10 for c in msg.payload["contacts"])


def test_reaction_and_its_removal():
    msg, _ = parse_one(message("reaction", {"message_id": "wamid.OUT7", "emoji": "👍"}))
    assert msg.message_type == "reaction"
    assert msg.body == "👍"
    assert msg.payload == {"message_id": "wamid.OUT7", "emoji": "👍"}
    for removed in ({"message_id": "wamid.OUT7", "emoji": ""}, {"message_id": "wamid.OUT7"}):
        msg, _ = parse_one(message("reaction", removed, wamid="wamid.R" + str(len(removed))))
        assert msg.payload == {"message_id": "wamid.OUT7", "emoji": None}
        assert msg.body == "[reaction removed]"


def test_unsupported_with_errors():
    msg, batch = parse_one(message("unsupported", {"type": "edit"}, errors=[{
        "code": 131051, "title": "Message type unknown", "message": "Message type unknown",
        "error_data": {"details": "Message type is currently not supported."}}]))
    assert batch.problems == []
    assert msg.message_type == "unsupported"
    assert msg.body == "[unsupported message]"
    assert msg.payload == {"original_type": "edit", "errors": [{
        "code": "131051", "title": "Message type unknown", "message": "Message type unknown",
        "details": "Message type is currently not supported."}]}


def test_unknown_meta_types_become_unsupported():
    msg, _ = parse_one(message("order", {"catalog_id": "1"}))
    assert msg.message_type == "unsupported"
    assert msg.payload == {"original_type": "order", "errors": []}
    msg, _ = parse_one(message("system", {"body": "User changed number", "type": "customer_changed_number"}))
    assert msg.payload["original_type"] == "system"


def test_flow_reply_is_unsupported_interactive():
    msg, _ = parse_one(message("interactive", {"type": "nfm_reply", "nfm_reply": {"response_json": "{}"}}))
    assert msg.message_type == "unsupported"
    assert msg.payload["original_type"] == "interactive.nfm_reply"
    assert msg.reply_id is None


def test_every_parsed_type_is_a_known_type():
    samples = [
        message("text", {"body": "hi"}, wamid="w1"),
        message("interactive", {"type": "button_reply", "button_reply": {"id": "a", "title": "A"}}, wamid="w2"),
        message("button", {"payload": "p", "text": "t"}, wamid="w3"),
        message("image", {"id": "1"}, wamid="w4"),
        message("location", {"latitude": 1, "longitude": 2}, wamid="w5"),
        message("contacts", [{"name": {"formatted_name": "A"}}], wamid="w6"),
        message("reaction", {"message_id": "x", "emoji": "❤️"}, wamid="w7"),
        message("unsupported", {"type": "poll_update"}, wamid="w8"),
        message("template", {"name": "checkin_reminder"}, wamid="w9"),
        message("ephemeral", None, wamid="w10"),
    ]
    batch = parse_webhook(envelope(messages=samples, contacts=ana()))
    assert len(batch.messages) == len(samples)
    assert {m.message_type for m in batch.messages} <= set(MESSAGE_TYPES)
    assert all(isinstance(m.body, str) and m.body for m in batch.messages)
    json.dumps([m.payload for m in batch.messages])  # JSON-serialisable


def test_profile_name_is_matched_on_wa_id():
    contacts = [{"profile": {"name": "Someone Else"}, "wa_id": "49111"}, {"profile": {"name": "Ana"}, "wa_id": GUEST}]
    msg, _ = parse_one(message("text", {"body": "hi"}), contacts=contacts)
    assert msg.profile_name == "Ana"
    msg, _ = parse_one(message("text", {"body": "hi"}), contacts=[{"profile": {"name": "Other"}, "wa_id": "1"}])
    assert msg.profile_name is None
    msg, _ = parse_one(message("text", {"body": "hi"}), contacts=[])
    assert msg.profile_name is None


def test_sender_identified_only_by_business_scoped_user_id():
    msg = {"from_user_id": "US.13491208655302741918", "id": "wamid.U", "timestamp": "1767225600",
           "type": "text", "text": {"body": "hello"}}
    contacts = [{"profile": {"name": "Kim", "username": "@kim"}, "user_id": "US.13491208655302741918"}]
    out, batch = parse_one(msg, contacts=contacts)
    assert batch.problems == []
    assert out.wa_id is None
    assert out.user_id == "US.13491208655302741918"
    assert out.profile_name == "Kim"


# --- statuses -----------------------------------------------------------------


def test_failed_status_from_the_reference():
    payload = envelope(statuses=[status("failed", wamid="wamid.OUTBOUND_9", errors=[{
        "code": 131047, "title": "Re-engagement message", "message": "Re-engagement message",
        "error_data": {"details": "More than 24 hours have passed since the recipient last replied to the sender "
                                  "number."},
        "href": "/documentation/business-messaging/whatsapp/support/error-codes"}])])
    batch = parse_webhook(payload)
    assert batch.problems == [] and batch.messages == []
    st = batch.statuses[0]
    assert isinstance(st, StatusUpdate)
    assert st.phone_number_id == PHONE_ID
    assert st.platform_message_id == "wamid.OUTBOUND_9"
    assert st.status == "failed"
    assert st.timestamp == datetime(2026, 1, 2, tzinfo=timezone.utc)
    assert st.recipient_id == GUEST
    assert st.error_code == "131047"
    assert st.error_title == "Re-engagement message"
    assert st.error_message.startswith("More than 24 hours have passed")
    assert st.pricing_category is None
    assert st.raw is payload["entry"][0]["changes"][0]["value"]["statuses"][0]


def test_failed_status_without_details_uses_the_message():
    batch = parse_webhook(envelope(statuses=[status("failed", errors=[
        {"code": "131026", "title": "Message undeliverable", "message": "Message undeliverable."}])]))
    st = batch.statuses[0]
    assert (st.error_code, st.error_title, st.error_message) == ("131026", "Message undeliverable",
                                                                 "Message undeliverable.")


def test_sent_delivered_read_statuses_with_pricing():
    batch = parse_webhook(envelope(statuses=[
        status("sent", pricing={"billable": True, "pricing_model": "PMP", "type": "regular", "category": "utility"},
               biz_opaque_callback_data="outbox:42"),
        status("delivered"),
        status("read"),
    ]))
    assert [s.status for s in batch.statuses] == ["sent", "delivered", "read"]
    assert batch.statuses[0].pricing_category == "utility"
    assert batch.statuses[0].callback_data == "outbox:42"
    assert batch.statuses[1].pricing_category is None
    assert all(s.error_code is None and s.error_message is None for s in batch.statuses)


def test_played_counts_as_read():
    batch = parse_webhook(envelope(statuses=[status("played")]))
    assert [s.status for s in batch.statuses] == ["read"]
    assert batch.problems == []


@pytest.mark.parametrize("value", ["deleted", "warning", "READ", "", None, 3, ["read"]])
def test_unknown_statuses_are_reported_and_skipped(value):
    batch = parse_webhook(envelope(statuses=[status(value), status("delivered", wamid="wamid.OK")]))
    assert [s.platform_message_id for s in batch.statuses] == ["wamid.OK"]
    assert len(batch.problems) == 1
    assert "is not handled" in batch.problems[0]
    assert "statuses[0]" in batch.problems[0]


def test_status_without_id_is_skipped():
    batch = parse_webhook(envelope(statuses=[{"status": "read"}, {"id": 7, "status": "read"}]))
    assert [s.platform_message_id for s in batch.statuses] == ["7"]
    assert any("without a message id" in p for p in batch.problems)


# --- batches ---------------------------------------------------------------


def test_batch_of_two_entries_with_two_changes_each():
    def change(phone_id, n):
        return {"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": DISPLAY, "phone_number_id": phone_id},
            "contacts": ana(),
            "messages": [message("text", {"body": f"m{n}a"}, wamid=f"wamid.{phone_id}.{n}a"),
                         message("text", {"body": f"m{n}b"}, wamid=f"wamid.{phone_id}.{n}b")],
            "statuses": [status("delivered", wamid=f"wamid.out.{phone_id}.{n}"),
                         status("read", wamid=f"wamid.out.{phone_id}.{n}")],
        }}

    payload = {"object": "whatsapp_business_account", "entry": [
        {"id": "waba1", "changes": [change("111", 1), change("111", 2)]},
        {"id": "waba2", "changes": [change("222", 3), change("222", 4)]},
    ]}
    batch = parse_webhook(payload)
    assert batch.problems == []
    assert [m.body for m in batch.messages] == ["m1a", "m1b", "m2a", "m2b", "m3a", "m3b", "m4a", "m4b"]
    assert [m.phone_number_id for m in batch.messages] == ["111"] * 4 + ["222"] * 4
    assert len(batch.statuses) == 8
    assert [s.status for s in batch.statuses] == ["delivered", "read"] * 4
    assert phone_number_ids(payload) == {"111", "222"}


def test_template_updates_are_read_and_unknown_fields_kept_without_a_problem():
    payload = envelope(messages=[message("text", {"body": "hi"})], contacts=ana())
    payload["entry"][0]["changes"].append({"field": "message_template_status_update", "value": {
        "event": "APPROVED", "message_template_id": 123, "message_template_name": "checkin_reminder"}})
    payload["entry"][0]["changes"].append({"field": "business_capability_update", "value": {"max_daily": 1}})
    payload["entry"][0]["changes"].append({"value": {}})
    batch = parse_webhook(payload)
    assert len(batch.messages) == 1
    assert [(u.template_id, u.name, u.status) for u in batch.template_updates] == [
        ("123", "checkin_reminder", "APPROVED")]
    assert batch.other_fields == ["business_capability_update"]
    assert len(batch.problems) == 1
    assert "field None is not a field name" in batch.problems[0]


def test_duplicate_messages_and_statuses_in_one_body_are_dropped():
    msg = message("text", {"body": "hi"}, wamid="wamid.DUP")
    payload = envelope(messages=[msg, copy.deepcopy(msg)], statuses=[status("read"), status("read")],
                       contacts=ana())
    payload["entry"].append(copy.deepcopy(payload["entry"][0]))
    batch = parse_webhook(payload)
    assert [m.platform_message_id for m in batch.messages] == ["wamid.DUP"]
    assert [(s.platform_message_id, s.status) for s in batch.statuses] == [("wamid.OUT1", "read")]
    assert sum("duplicate" in p for p in batch.problems) == 6


def test_empty_lists_and_missing_lists_are_fine():
    assert parse_webhook({"object": "whatsapp_business_account", "entry": []}) == WebhookBatch()
    batch = parse_webhook(envelope(messages=[], statuses=[]))
    assert (batch.messages, batch.statuses, batch.problems) == ([], [], [])
    batch = parse_webhook(envelope())
    assert (batch.messages, batch.statuses, batch.problems) == ([], [], [])


def test_value_level_errors_are_reported():
    payload = envelope()
    payload["entry"][0]["changes"][0]["value"]["errors"] = [
        {"code": 131000, "title": "Something went wrong", "message": "Something went wrong",
         "error_data": {"details": "Unknown error"}}]
    batch = parse_webhook(payload)
    assert batch.problems == ["entry[0].changes[0]: Meta reported error 131000: Unknown error"]


# --- not a WhatsApp payload -----------------------------------------------------


@pytest.mark.parametrize("payload", [
    None, [], "whatsapp_business_account", 42, b"{}",
    {}, {"object": "page", "entry": []}, {"object": "instagram", "entry": []},
    {"object": "whatsapp_business_account"}, {"object": "whatsapp_business_account", "entry": {}},
    {"object": "whatsapp_business_account", "entry": None}, {"object": ["whatsapp_business_account"], "entry": []},
])
def test_payload_error(payload):
    with pytest.raises(PayloadError):
        parse_webhook(payload)
    assert phone_number_ids(payload) == set()


def test_payload_error_is_a_value_error():
    assert issubclass(PayloadError, ValueError)


# --- hostile input --------------------------------------------------------------


JUNK = [None, 0, -1, 3.5, True, "", "x", [], [None], {}, {"a": [1, {"b": None}]}, ["nested", ["deeper", [[]]]]]


@pytest.mark.parametrize("junk", JUNK)
def test_junk_at_every_level_never_raises(junk):
    base = envelope(messages=[message("text", {"body": "hello"})], statuses=[status("read")], contacts=ana())
    paths = [
        ("entry", 0), ("entry", 0, "changes"), ("entry", 0, "changes", 0),
        ("entry", 0, "changes", 0, "value"), ("entry", 0, "changes", 0, "value", "metadata"),
        ("entry", 0, "changes", 0, "value", "metadata", "phone_number_id"),
        ("entry", 0, "changes", 0, "value", "contacts"), ("entry", 0, "changes", 0, "value", "contacts", 0),
        ("entry", 0, "changes", 0, "value", "contacts", 0, "profile"),
        ("entry", 0, "changes", 0, "value", "messages"), ("entry", 0, "changes", 0, "value", "messages", 0),
        ("entry", 0, "changes", 0, "value", "statuses"), ("entry", 0, "changes", 0, "value", "statuses", 0),
    ]
    for key in ("id", "from", "timestamp", "type", "text", "context"):
        paths.append(("entry", 0, "changes", 0, "value", "messages", 0, key))
    for key in ("body",):
        paths.append(("entry", 0, "changes", 0, "value", "messages", 0, "text", key))
    for key in ("id", "status", "timestamp", "recipient_id", "errors", "pricing"):
        paths.append(("entry", 0, "changes", 0, "value", "statuses", 0, key))
    for path in paths:
        payload = copy.deepcopy(base)
        target = payload
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = copy.deepcopy(junk)
        batch = parse_webhook(payload)
        assert isinstance(batch, WebhookBatch)
        assert len(batch.messages) <= 1 and len(batch.statuses) <= 1
        for msg in batch.messages:
            assert msg.message_type in MESSAGE_TYPES
            assert isinstance(msg.body, str)
            json.dumps(msg.payload)
        phone_number_ids(payload)


def _random_junk(rng, depth=0):
    choice = rng.randrange(9 if depth < 4 else 6)
    if choice == 0:
        return None
    if choice == 1:
        return rng.choice([0, -7, 2 ** 63, 1.5, float("nan"), True])
    if choice == 2:
        return rng.choice(["", "x", "\u0000", "\ud800", "🙂", "wamid.1", "1767225600", "text", "messages", "read"])
    if choice == 3:
        return rng.choice(["text", "image", "interactive", "button", "reaction", "location", "contacts"])
    if choice == 4:
        return "z" * rng.choice([1, 300, 5000])
    if choice == 5:
        return rng.choice([{}, []])
    if choice == 6:
        return [_random_junk(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    keys = ["id", "from", "type", "text", "body", "timestamp", "status", "errors", "interactive", "button_reply",
            "list_reply", "title", "image", "caption", "latitude", "contacts", "name", "phones", "reaction", "emoji",
            "metadata", "phone_number_id", "messages", "statuses", "value", "field", "changes", "profile", "wa_id"]
    return {rng.choice(keys): _random_junk(rng, depth + 1) for _ in range(rng.randint(0, 5))}


def test_random_structures_never_raise():
    rng = random.Random(4242)
    template = envelope(messages=[message("text", {"body": "hello"})], statuses=[status("read")], contacts=ana())
    for _ in range(3000):
        payload = copy.deepcopy(template)
        # walk down to a random container and replace one of its values with junk
        target = payload
        for _ in range(rng.randint(1, 8)):
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
        for msg in batch.messages:
            assert msg.message_type in MESSAGE_TYPES and isinstance(msg.body, str)
            json.dumps(msg.payload, allow_nan=False)
        phone_number_ids(payload)


def test_wrong_types_in_message_content():
    cases = [
        message("text", ["not", "a", "dict"], wamid="w1"),
        message("text", {"body": None}, wamid="w2"),
        message("interactive", {"type": "button_reply", "button_reply": "yes"}, wamid="w3"),
        message("interactive", {"type": "list_reply", "list_reply": {}}, wamid="w4"),
        message("image", "media", wamid="w5"),
        message("location", {}, wamid="w6"),
        message("contacts", {"name": "not a list"}, wamid="w7"),
        message("reaction", {"emoji": "👍"}, wamid="w8"),
        message(7, None, wamid="w9"),
        message("button", [], wamid="w10"),
    ]
    batch = parse_webhook(envelope(messages=cases, contacts=ana()))
    assert len(batch.messages) == len(cases)
    by_id = {m.platform_message_id: m for m in batch.messages}
    assert {m.message_type for m in batch.messages} == {"unsupported"}
    assert by_id["w1"].payload["original_type"] == "text"
    assert by_id["w9"].payload["original_type"] == "7"
    assert all(m.body == "[unsupported message]" for m in batch.messages)
    assert sum("unreadable content" in p for p in batch.problems) == len(cases) - 1  # type 7 is just unknown


def test_ints_are_coerced_to_strings_for_ids_and_text():
    msg, _ = parse_one({"from": 34600111222, "id": 98765, "timestamp": 1767225600, "type": "text",
                        "text": {"body": 42}}, contacts=[{"profile": {"name": "Ana"}, "wa_id": 34600111222}])
    assert msg.wa_id == "34600111222"
    assert msg.platform_message_id == "98765"
    assert msg.timestamp == datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert msg.body == "42"
    assert msg.profile_name == "Ana"


def test_phone_number_id_must_be_a_string():
    payload = envelope(messages=[message("text", {"body": "hi"})], phone_id=106540352242922)
    assert phone_number_ids(payload) == set()
    batch = parse_webhook(payload)
    assert batch.messages == []
    assert "no metadata.phone_number_id" in batch.problems[0]


def test_messages_without_id_or_sender_are_skipped():
    batch = parse_webhook(envelope(messages=[
        {"from": GUEST, "type": "text", "text": {"body": "no id"}},
        {"id": "wamid.NOSENDER", "type": "text", "text": {"body": "no sender"}},
        {"id": "  ", "from": GUEST, "type": "text", "text": {"body": "blank id"}},
    ]))
    assert batch.messages == []
    assert len(batch.problems) == 3
    assert "without an id" in batch.problems[0]
    assert "without a sender" in batch.problems[1] and "wamid.NOSENDER" in batch.problems[1]


@pytest.mark.parametrize("value", ["", "abc", "-5", "1e9", "17672256001767225600", "12.5", None, [], {}, True,
                                   float("inf"), 10 ** 20])
def test_bad_timestamps_give_none(value):
    msg, _ = parse_one(message("text", {"body": "x"}, timestamp=value))
    assert msg.timestamp is None


def test_timestamp_with_spaces_and_float():
    assert parse_one(message("text", {"body": "x"}, timestamp=" 1767225600 "))[0].timestamp == datetime(
        2026, 1, 1, tzinfo=timezone.utc)
    assert parse_one(message("text", {"body": "x"}, timestamp=1767225600.9))[0].timestamp == datetime(
        2026, 1, 1, tzinfo=timezone.utc)


def test_huge_strings_are_truncated():
    huge = "é" * 5_000_000
    msg, batch = parse_one(message(
        "interactive", {"type": "list_reply", "list_reply": {"id": huge, "title": huge, "description": huge}},
        wamid="w" * 100_000, context={"id": huge}), contacts=[{"profile": {"name": huge}, "wa_id": GUEST}])
    assert len(msg.platform_message_id) == 256
    assert len(msg.reply_id) == 256
    assert len(msg.body) == 1024
    assert len(msg.payload["description"]) == 1024
    assert len(msg.context_message_id) == 256
    assert len(msg.profile_name) == 256
    text, _ = parse_one(message("text", {"body": huge}))
    assert len(text.body) == 4096
    assert all(len(p) < 500 for p in batch.problems)


def test_huge_field_value_in_problems_is_shortened():
    batch = parse_webhook(envelope(statuses=[status("x" * 1_000_000)]))
    assert len(batch.problems) == 1
    assert len(batch.problems[0]) < 200


def test_nul_and_lone_surrogates_are_cleaned():
    payload = json.loads(json.dumps(envelope(messages=[message("text", {"body": "a\u0000b\ud800c"})],
                                             contacts=[{"profile": {"name": "An\u0000a"}, "wa_id": GUEST}])))
    msg = parse_webhook(payload).messages[0]
    assert msg.body == "ab\ufffdc"
    assert msg.profile_name == "Ana"
    msg.body.encode("utf-8")


def test_unicode_rtl_and_emoji_are_kept():
    body = "مرحبا، هل يمكنني الحصول على منشفة؟ 🙏🏽 \u202eevil\u202c שלום"
    msg, _ = parse_one(message("text", {"body": body}), contacts=[{"profile": {"name": "ليلى 🌙"}, "wa_id": GUEST}])
    assert msg.body == body
    assert msg.profile_name == "ليلى 🌙"


def test_deeply_nested_junk_is_ignored():
    nested = current = {}
    for _ in range(500):
        current["x"] = {}
        current = current["x"]
    msg, _ = parse_one(message("text", {"body": "ok", "extra": nested}, deep=nested))
    assert msg.body == "ok"
    batch = parse_webhook({"object": "whatsapp_business_account", "entry": [nested]})
    assert batch.messages == [] and len(batch.problems) == 1


def test_problem_list_is_capped():
    batch = parse_webhook(envelope(messages=[1] * 5000, statuses=["x"] * 5000))
    assert len(batch.problems) == 201
    assert batch.problems[-1] == "... and 9800 more problems not listed."


def test_dataclasses_are_frozen_and_hashable():
    msg, _ = parse_one(message("text", {"body": "hi"}))
    with pytest.raises(AttributeError):
        msg.body = "changed"
    assert hash(msg) == hash(parse_one(message("text", {"body": "hi"}))[0])
    st = parse_webhook(envelope(statuses=[status("read")])).statuses[0]
    with pytest.raises(AttributeError):
        st.status = "sent"
    hash(st)
    assert "raw" not in repr(msg)


# --- phone_number_ids ---------------------------------------------------------


def test_phone_number_ids_is_tolerant():
    payload = {"object": "whatsapp_business_account", "entry": [
        None, "x", {"changes": "nope"}, {"changes": [None, {"value": []}, {"value": {"metadata": "m"}},
                                                    {"value": {"metadata": {"phone_number_id": 12}}},
                                                    {"value": {"metadata": {"phone_number_id": ""}}},
                                                    {"value": {"metadata": {"phone_number_id": " 555 "}}},
                                                    {"field": "account_update",
                                                     "value": {"metadata": {"phone_number_id": "777"}}}]},
    ]}
    assert phone_number_ids(payload) == {"555", "777"}


# --- status ordering ------------------------------------------------------------


def test_status_rank():
    assert STATUS_RANK == {"queued": 0, "sent": 1, "delivered": 2, "read": 3}


@pytest.mark.parametrize("current,new,expected", [
    (None, "sent", True), (None, "read", True), (None, "failed", True),
    ("queued", "sent", True), ("queued", "delivered", True), ("queued", "failed", True),
    ("sent", "delivered", True), ("sent", "read", True), ("sent", "failed", True), ("sent", "sent", False),
    ("sent", "queued", False),
    ("delivered", "read", True), ("delivered", "sent", False), ("delivered", "delivered", False),
    ("delivered", "failed", False),
    ("read", "delivered", False), ("read", "sent", False), ("read", "read", False), ("read", "failed", False),
    ("failed", "sent", False), ("failed", "queued", False), ("failed", "failed", False),
    ("failed", "delivered", True), ("failed", "read", True),
    ("sent", "played", False), ("sent", "deleted", False), ("sent", None, False),
    ("mystery", "sent", True), ("mystery", "failed", True),
])
def test_should_apply_status(current, new, expected):
    assert should_apply_status(current, new) is expected


def test_out_of_order_statuses_settle_on_read():
    current = None
    for new in ("read", "sent", "delivered", "failed", "sent"):
        if should_apply_status(current, new):
            current = new
    assert current == "read"
