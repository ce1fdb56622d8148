"""A guest on Messenger or Instagram, as the e2e tests play one: signed webhooks in, the fake Graph API's
log of Send API calls out."""

import itertools
import json
import time

import requests

from guestmsg.meta.signature import sign

_ids = itertools.count(1)


def reply_ids(messages):
    """Every id the guest could tap: quick replies, buttons and card buttons."""
    ids = []
    for message in messages:
        body = message.get("message", {})
        ids += [q["payload"] for q in body.get("quick_replies", [])]
        payload = body.get("attachment", {}).get("payload", {})
        ids += [b["payload"] for b in payload.get("buttons", []) if b.get("type") == "postback"]
        ids += [b["payload"] for e in payload.get("elements", []) for b in e.get("buttons", [])]
    return ids


def texts(messages):
    parts = []
    for message in messages:
        body = message.get("message", {})
        payload = body.get("attachment", {}).get("payload", {})
        parts += [body.get("text") or "", payload.get("text") or ""]
        parts += [f"{e.get('title', '')} {e.get('subtitle', '')}" for e in payload.get("elements", [])]
    return " ".join(p for p in parts if p)


class PageGuest:
    def __init__(self, server, fake_graph, channel, guest_id, account_id, page_id, app_secret):
        self.server, self.graph, self.channel = server, fake_graph, channel
        self.guest_id, self.account_id, self.page_id, self.app_secret = guest_id, account_id, page_id, app_secret

    def _event(self, **content):
        return {"sender": {"id": self.guest_id}, "recipient": {"id": self.account_id},
                "timestamp": int(time.time() * 1000), **content}

    def _mid(self):
        return f"m_e2e_{next(_ids)}_{time.time_ns()}"

    def text(self, body):
        return self._event(message={"mid": self._mid(), "text": body})

    def tap(self, payload, title):
        """A quick reply on Instagram; a postback (button or card) on Messenger."""
        if self.channel == "instagram":
            return self._event(message={"mid": self._mid(), "text": title, "quick_reply": {"payload": payload}})
        return self._event(postback={"mid": self._mid(), "title": title, "payload": payload})

    def sent_to_me(self):
        return [m for m in self.graph.sent_page_messages(self.page_id)
                if m.get("recipient", {}).get("id") == self.guest_id]

    def post(self, event):
        payload = {"object": "page" if self.channel == "messenger" else "instagram",
                   "entry": [{"id": self.account_id, "time": int(time.time() * 1000), "messaging": [event]}]}
        body = json.dumps(payload).encode()
        response = requests.post(f"{self.server.url}/guest_messaging/webhook/{self.channel}", data=body, timeout=30,
                                 headers={"Content-Type": "application/json",
                                          "X-Hub-Signature-256": sign(self.app_secret, body)})
        assert response.status_code == 200

    def send(self, event):
        """Write to the hotel and return what reached the guest in answer."""
        before = len(self.sent_to_me())
        self.post(event)
        self.server.wait_for(lambda: len(self.sent_to_me()) > before, timeout=60, message="the hotel's reply")
        time.sleep(1.0)
        return self.sent_to_me()[before:]
