"""WhatsApp end to end: a real Odoo server with workers and a cron thread, signed webhooks over HTTP,
and a fake Graph API on loopback that receives what Odoo sends."""

import json
import time

import pytest
import requests

from guestmsg.meta.signature import sign

pytestmark = pytest.mark.odoo

APP_SECRET = "e2e-app-secret"
PHONE_NUMBER_ID = "551234000001"


def text_webhook(wamid, body, wa_id="34612345678", name="Ana García"):
    return {"object": "whatsapp_business_account", "entry": [{"id": "WABA-E2E", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550100199", "phone_number_id": PHONE_NUMBER_ID},
            "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
            "messages": [{"from": wa_id, "id": wamid, "timestamp": str(int(time.time())), "type": "text",
                          "text": {"body": body}}]}}]}]}


def status_webhook(wamid, status):
    return {"object": "whatsapp_business_account", "entry": [{"id": "WABA-E2E", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550100199", "phone_number_id": PHONE_NUMBER_ID},
            "statuses": [{"id": wamid, "status": status, "timestamp": str(int(time.time())),
                          "recipient_id": "34612345678"}]}}]}]}


def post(server, payload, secret=APP_SECRET):
    body = json.dumps(payload).encode()
    return requests.post(f"{server.url}/guest_messaging/webhook/whatsapp", data=body, timeout=30, headers={
        "Content-Type": "application/json", "X-Hub-Signature-256": sign(secret, body)})


@pytest.fixture(scope="module")
def whatsapp(odoo_server, fake_graph):
    admin = odoo_server.session()
    odoo_server.call(admin, "ir.config_parameter", "set_param", "guest_messaging.graph_api_base_url",
                     fake_graph.base_url)
    connection_id = odoo_server.call(admin, "guest.channel.connection", "create", {
        "name": "E2E WhatsApp", "channel_type": "whatsapp", "setup_mode": "manual",
        "phone_number_id": PHONE_NUMBER_ID, "access_token": "EAAG-e2e", "app_secret": APP_SECRET})
    return admin, connection_id


def messages(server, session, domain):
    return server.call(session, "guest.message", "search_read", domain,
                       fields=["body", "delivery_status", "platform_message_id", "conversation_id"])


def test_webhook_to_reply_and_back(odoo_server, fake_graph, whatsapp):
    admin, connection_id = whatsapp
    assert post(odoo_server, text_webhook("wamid.E2E1", "Hola, ¿hay sitio el viernes?")).status_code == 200
    inbound = odoo_server.wait_for(
        lambda: messages(odoo_server, admin, [("platform_message_id", "=", "wamid.E2E1")]),
        message="the cron worker to process the webhook")
    conversation_id = inbound[0]["conversation_id"][0]
    conversation = odoo_server.call(admin, "guest.conversation", "read", [conversation_id],
                                    ["guest_name", "guest_phone", "connection_id"])[0]
    assert (conversation["guest_name"], conversation["guest_phone"]) == ("Ana García", "+34612345678")

    fake_graph.clear_requests()
    message_id = odoo_server.call(admin, "guest.conversation", "send_agent_message", [conversation_id],
                                  "Sí, tenemos habitaciones libres.")
    reply = "Sí, tenemos habitaciones libres."
    sent = odoo_server.wait_for(
        lambda: [m for m in fake_graph.sent_messages(PHONE_NUMBER_ID) if m.get("text", {}).get("body") == reply],
        message="the outbox send")
    assert len(sent) == 1
    assert sent[0]["to"] == "+34612345678"
    out = odoo_server.wait_for(lambda: [m for m in messages(odoo_server, admin, [("id", "=", message_id)])
                                        if m["delivery_status"] == "sent"], message="the sent status")
    wamid = out[0]["platform_message_id"]
    assert wamid.startswith("wamid.")

    for status in ("delivered", "read"):
        assert post(odoo_server, status_webhook(wamid, status)).status_code == 200
    odoo_server.wait_for(lambda: messages(odoo_server, admin, [("id", "=", message_id),
                                                               ("delivery_status", "=", "read")]),
                         message="the read status")


def test_bad_signature_is_refused_and_stores_nothing(odoo_server, whatsapp):
    admin, _connection_id = whatsapp
    response = post(odoo_server, text_webhook("wamid.FORGED", "hi"), secret="forged")
    assert response.status_code == 401
    time.sleep(1)
    assert not messages(odoo_server, admin, [("platform_message_id", "=", "wamid.FORGED")])
    body = json.dumps(text_webhook("wamid.FORGED", "hi")).encode()
    for data, status in ((body, 401), (b"\x00\xff" * 10, 401)):
        assert requests.post(f"{odoo_server.url}/guest_messaging/webhook/whatsapp", data=data, timeout=30,
                             headers={"Content-Type": "application/json"}).status_code == status


def test_a_killed_server_loses_nothing_and_duplicates_nothing(odoo_server, whatsapp):
    admin, _connection_id = whatsapp
    count = 40
    for i in range(count):
        payload = text_webhook(f"wamid.KILL{i}", f"message {i}", wa_id=f"3461200{i:04d}", name=f"Guest {i}")
        assert post(odoo_server, payload).status_code == 200
        if i % 10 == 0:  # Meta redelivers some of them
            assert post(odoo_server, payload).status_code == 200
    odoo_server.kill()
    odoo_server.start()
    admin = odoo_server.session()
    stored = odoo_server.wait_for(
        lambda: (lambda found: found if len(found) >= count else None)(
            messages(odoo_server, admin, [("platform_message_id", "=like", "wamid.KILL%")])),
        timeout=180, message="every acknowledged webhook to be processed after the restart")
    assert len(stored) == count
    assert len({m["platform_message_id"] for m in stored}) == count
