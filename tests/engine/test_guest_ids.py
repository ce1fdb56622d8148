"""A guest id is stored only when the channel can answer it: a signed body naming a sender that is no
WhatsApp number, PSID or IGSID is a problem logged, not a conversation the bot then fails to answer."""

import pytest

from guestmsg.channels.meta_social.webhook import parse_webhook as parse_page
from guestmsg.channels.whatsapp.webhook import parse_webhook as parse_whatsapp

JUNK = ["'; DROP TABLE guest_message; --", "💥" * 40, "\ufffd", "1e+308", "-1", "9223372036854775808",
        "<script>alert(1)</script>", "%s%s%n", "a b", ""]


def whatsapp(sender):
    return {"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp", "metadata": {"phone_number_id": "1001"},
            "messages": [{"from": sender, "id": "wamid.1", "timestamp": "1764086400", "type": "text",
                          "text": {"body": "hi"}}]}}]}]}


def page(sender):
    return {"object": "page", "entry": [{"id": "880001", "time": 1764086400000, "messaging": [{
        "sender": {"id": sender}, "recipient": {"id": "880001"}, "timestamp": 1764086400000,
        "message": {"mid": "m_1", "text": "hi"}}]}]}


@pytest.mark.parametrize("sender", JUNK)
def test_whatsapp_senders_that_are_not_numbers_are_skipped(sender):
    batch = parse_whatsapp(whatsapp(sender))
    assert batch.messages == []
    assert batch.problems


@pytest.mark.parametrize("sender", [s for s in JUNK if s not in ("-1", "9223372036854775808")])
def test_page_senders_that_are_not_ids_are_skipped(sender):
    batch = parse_page(page(sender))
    assert batch.messages == []
    assert batch.problems


def test_real_senders_still_pass():
    assert parse_whatsapp(whatsapp("34612345678")).messages[0].wa_id == "34612345678"
    assert parse_page(page("24012345678901234")).messages[0].sender_id == "24012345678901234"
