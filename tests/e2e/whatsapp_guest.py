"""A guest on WhatsApp, as the e2e tests play one: signed webhooks in, the fake Graph API's log out."""

import itertools
import json
import time

import requests

from guestmsg.meta.signature import sign

_ids = itertools.count(1)


def text(body):
    return {"type": "text", "text": {"body": body}}


def button(reply_id, title="x"):
    return {"type": "interactive", "interactive": {"type": "button_reply",
                                                   "button_reply": {"id": reply_id, "title": title}}}


def row(reply_id, title="x"):
    return {"type": "interactive", "interactive": {"type": "list_reply",
                                                   "list_reply": {"id": reply_id, "title": title}}}


def reply_ids(messages):
    ids = []
    for message in messages:
        action = message.get("interactive", {}).get("action", {})
        ids += [b["reply"]["id"] for b in action.get("buttons", [])]
        ids += [r["id"] for section in action.get("sections", []) for r in section.get("rows", [])]
    return ids


def texts(messages):
    return " ".join(m.get("text", {}).get("body", "") or m.get("interactive", {}).get("body", {}).get("text", "")
                    for m in messages)


class WhatsAppGuest:
    def __init__(self, server, fake_graph, wa_id, phone_number_id, app_secret, name="Ana"):
        self.server, self.graph, self.wa_id = server, fake_graph, wa_id
        self.phone_number_id, self.app_secret, self.name = phone_number_id, app_secret, name

    def webhook(self, message):
        message = {"from": self.wa_id, "id": f"wamid.e2e.{next(_ids)}.{time.time_ns()}",
                   "timestamp": str(int(time.time())), **message}
        return {"object": "whatsapp_business_account", "entry": [{"id": "WABA-E2E", "changes": [{
            "field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550100777", "phone_number_id": self.phone_number_id},
                "contacts": [{"profile": {"name": self.name}, "wa_id": self.wa_id}],
                "messages": [message]}}]}]}

    def sent_to_me(self):
        return [m for m in self.graph.sent_messages(self.phone_number_id) if m.get("to") == "+" + self.wa_id]

    def post(self, message):
        body = json.dumps(self.webhook(message)).encode()
        response = requests.post(f"{self.server.url}/guest_messaging/webhook/whatsapp", data=body, timeout=30,
                                 headers={"Content-Type": "application/json",
                                          "X-Hub-Signature-256": sign(self.app_secret, body)})
        assert response.status_code == 200

    def send(self, message):
        """Write to the hotel and return what reached the guest in answer."""
        before = len(self.sent_to_me())
        self.post(message)
        # answered once a reply reached Meta; give a multi-part answer a moment to finish
        self.server.wait_for(lambda: len(self.sent_to_me()) > before, timeout=60, message="the hotel's reply")
        time.sleep(1.0)
        return self.sent_to_me()[before:]
