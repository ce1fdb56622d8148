import time

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import IG_ID, PAGE_ID, SocialMixin, messaging_payload, signed, text_event


@tagged("guest_messaging", "post_install", "-at_install")
class TestPageWebhook(SocialMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_social()
        cls.setup_fake_graph()
        cls.Message = cls.env["guest.message"]
        cls.Conversation = cls.env["guest.conversation"]

    def post(self, channel, payload=None, body=None, headers=None):
        if payload is not None:
            body, signed_headers = signed(payload)
            headers = {**signed_headers, **(headers or {})}
        return self.url_open(f"/guest_messaging/webhook/{channel}", data=body, headers=headers)

    def conversation(self, connection, guest):
        return self.Conversation.search([("connection_id", "=", connection.id), ("guest_external_id", "=", guest)])

    def test_handshake_on_both_routes(self):
        for channel in ("messenger", "instagram"):
            connection = self.env["guest.channel.connection"].create({"channel_type": channel, "setup_mode": "manual"})
            token = connection.verify_token
            response = self.url_open(f"/guest_messaging/webhook/{channel}?hub.mode=subscribe"
                                     f"&hub.verify_token={token}&hub.challenge=42")
            self.assertEqual((response.status_code, response.text), (200, "42"))
            self.assertEqual(connection.state, "connected")

    def test_messenger_text_becomes_a_guest_message_and_the_profile_is_fetched_once(self):
        self.graph.add_profile("PSID-1", name="Marta Ruiz", profile_pic="https://cdn.example/marta.jpg",
                               locale="es_ES")
        first = messaging_payload("messenger", [text_event("PSID-1", "m_1", "Hola, ¿tenéis sitio?")])
        self.assertEqual(self.post("messenger", first).status_code, 200)
        self.assertEqual(self.post("messenger", first).status_code, 200)  # Meta redelivers
        self.process_events()
        conversation = self.conversation(self.messenger, "PSID-1")
        self.assertRecordValues(conversation, [{"guest_name": "Marta Ruiz", "channel_type": "messenger",
                                                "guest_picture_url": "https://cdn.example/marta.jpg",
                                                "guest_locale": "es_ES"}])
        inbound = conversation.guest_message_ids.filtered(lambda m: m.direction == "inbound")
        self.assertEqual((inbound.body, inbound.platform_message_id), ("Hola, ¿tenéis sitio?", "m_1"))
        profile_calls = [r for r in self.graph.requests if r.path.endswith("/PSID-1")]
        self.post("messenger", messaging_payload("messenger", [text_event("PSID-1", "m_2", "¿Y el parking?")]))
        self.process_events()
        self.assertEqual(len([r for r in self.graph.requests if r.path.endswith("/PSID-1")]), len(profile_calls))
        self.assertEqual(len(profile_calls), 1)
        self.assertEqual(self.env["guest.inbox"].load_guest(conversation.id)["guest"]["picture_url"],
                         "https://cdn.example/marta.jpg")

    def test_instagram_quick_reply_and_postback_carry_the_tapped_id(self):
        events = [
            text_event("IGSID-1", "ig_1", "Book a Stay", account_id=IG_ID, quick_reply="BOOK"),
            {"sender": {"id": "IGSID-1"}, "recipient": {"id": IG_ID}, "timestamp": int(time.time() * 1000) + 1,
             "postback": {"mid": "ig_2", "title": "Room 12", "payload": "ROOM_12"}},
        ]
        self.post("instagram", messaging_payload("instagram", events))
        self.process_events()
        conversation = self.conversation(self.instagram, "IGSID-1")
        inbound = conversation.guest_message_ids.filtered(lambda m: m.direction == "inbound")
        self.assertEqual([(m.body, m.payload["reply_id"]) for m in inbound],
                         [("Book a Stay", "BOOK"), ("Room 12", "ROOM_12")])

    def test_echoes_are_not_guest_messages(self):
        self.post("messenger", messaging_payload("messenger", [text_event("PSID-2", "m_10", "Hi")]))
        self.process_events()
        conversation = self.conversation(self.messenger, "PSID-2")
        ours = conversation.guest_message_ids.filtered(lambda m: m.direction == "outbound")[:1]
        echo = lambda mid, text, metadata=None: {  # noqa: E731
            "sender": {"id": PAGE_ID}, "recipient": {"id": "PSID-2"}, "timestamp": int(time.time() * 1000),
            "message": {"mid": mid, "text": text, "is_echo": True, "app_id": 1000,
                        **({"metadata": metadata} if metadata else {})}}
        before = len(conversation.guest_message_ids)
        self.post("messenger", messaging_payload("messenger", [
            echo("m_echo_ours", "from Odoo", f"guest_messaging:{ours.id or 1}"),
            echo("m_echo_inbox", "Sent from Meta Business Suite"),
        ]))
        self.process_events()
        self.assertEqual(len(conversation.guest_message_ids), before + 1)
        added = conversation.guest_message_ids[-1]
        self.assertEqual((added.direction, added.author_type, added.body, added.delivery_status),
                         ("outbound", "agent", "Sent from Meta Business Suite", "sent"))
        self.assertFalse(conversation.guest_message_ids.filtered(
            lambda m: m.direction == "inbound" and m.body in ("from Odoo", "Sent from Meta Business Suite")))

    def test_delivery_and_read_update_outbound_messages(self):
        self.post("messenger", messaging_payload("messenger", [text_event("PSID-3", "m_20", "Hi")]))
        self.process_events()
        conversation = self.conversation(self.messenger, "PSID-3")
        sent = self.Message.create([{
            "conversation_id": conversation.id, "direction": "outbound", "author_type": "agent", "body": body,
            "platform_message_id": mid, "delivery_status": "sent"} for body, mid in (("one", "m_o1"), ("two", "m_o2"))])
        delivery = {"sender": {"id": "PSID-3"}, "recipient": {"id": PAGE_ID}, "timestamp": int(time.time() * 1000),
                    "delivery": {"mids": ["m_o1"], "watermark": int(time.time() * 1000)}}
        self.post("messenger", messaging_payload("messenger", [delivery]))
        self.process_events()
        self.assertEqual(sent.mapped("delivery_status"), ["delivered", "sent"])
        read = {"sender": {"id": "PSID-3"}, "recipient": {"id": PAGE_ID}, "timestamp": int(time.time() * 1000) + 5,
                "read": {"watermark": int(time.time() * 1000) + 60000}}
        self.post("messenger", messaging_payload("messenger", [read]))
        self.process_events()
        self.assertEqual(sent.mapped("delivery_status"), ["read", "read"])

    @mute_logger("odoo.addons.guest_messaging.controllers.webhook")
    def test_hostile_requests_are_refused_and_store_nothing(self):
        payload = messaging_payload("messenger", [text_event("PSID-X", "m_x", "hi")])
        body, headers = signed(payload)
        Event = self.env["guest.webhook.event"]
        before = Event.search_count([])
        cases = [
            (body, {"Content-Type": "application/json"}, 401),
            (body, {**headers, "X-Hub-Signature-256": "sha256=" + "0" * 64}, 401),
            (body, signed(payload, secret="forged")[1], 401),
            (b"{not json", {"Content-Type": "application/json", "X-Hub-Signature-256": "sha256=00"}, 400),
            (body, {**headers, "Content-Type": "text/plain"}, 400),
            (b"\xff\xfe" * 50, {"Content-Type": "application/json", "X-Hub-Signature-256": "sha256=00"}, 400),
        ]
        for channel in ("messenger", "instagram"):
            for data, request_headers, status in cases:
                with self.subTest(channel=channel, status=status):
                    self.assertEqual(self.post(channel, body=data, headers=request_headers).status_code, status)
        self.assertEqual(Event.search_count([]), before)

    @mute_logger("odoo.addons.guest_messaging.controllers.webhook")
    def test_signed_garbage_is_acknowledged_and_loses_nothing_else(self):
        for payload in ({"object": "page", "entry": "nope"}, {"object": "page", "entry": [{"id": PAGE_ID,
                         "messaging": [{"sender": 5, "message": {"mid": ["x"]}}]}]}, {"object": "instagram"}):
            with self.subTest(payload=payload):
                self.assertIn(self.post("messenger", payload).status_code, (200, 401))
        good = messaging_payload("messenger", [text_event("PSID-4", "m_ok", "still here")])
        self.assertEqual(self.post("messenger", good).status_code, 200)
        with mute_logger("odoo.addons.guest_messaging.models.guest_webhook_event"):
            self.process_events()
        self.assertTrue(self.Message.search([("platform_message_id", "=", "m_ok")]))

    def test_an_unknown_page_is_acknowledged_and_dropped(self):
        self.env["ir.config_parameter"].sudo().set_param("guest_messaging.meta_app_secret", "social-app-secret")
        payload = messaging_payload("messenger", [text_event("PSID-5", "m_u", "hi", account_id="999")],
                                    account_id="999")
        self.assertEqual(self.post("messenger", payload).status_code, 200)
        self.process_events()
        self.assertFalse(self.Message.search([("platform_message_id", "=", "m_u")]))

    def test_an_entry_without_id_cannot_write_into_another_page(self):
        other = self.env["guest.channel.connection"].create({
            "name": "Another hotel's Page", "channel_type": "messenger", "setup_mode": "manual",
            "page_id": "990099", "access_token": "OTHER-TOKEN", "app_secret": "other-app-secret"})
        payload = messaging_payload("messenger", [text_event("PSID-7", "m_mine", "Hola")])
        payload["entry"].append({"time": int(time.time() * 1000),
                                 "messaging": [text_event("PSID-8", "m_planted", "planted", account_id="990099")]})
        self.assertEqual(self.post("messenger", payload).status_code, 200)
        self.process_events()
        self.assertEqual(self.Message.search_count([("platform_message_id", "=", "m_mine")]), 1)
        self.assertFalse(self.Message.search_count([("connection_id", "=", other.id)]),
                         "signed with this Page's secret, nothing reaches the other Page")


@tagged("guest_messaging", "post_install", "-at_install")
class TestPageAccountBodies(SocialMixin, HttpCase):
    """Bodies are routed by every Page or Instagram account they name; account-level fields (``changes``)
    signed by the owning connection are kept and acknowledged, never refused nor failed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_social()
        cls.Event = cls.env["guest.webhook.event"]

    def post(self, channel, payload, secret=None):
        body, headers = signed(payload, **({"secret": secret} if secret else {}))
        return self.url_open(f"/guest_messaging/webhook/{channel}", data=body, headers=headers)

    def changes_body(self, channel, account_id, *fields):
        return {"object": "page" if channel == "messenger" else "instagram", "entry": [{
            "id": account_id, "time": int(time.time() * 1000),
            "changes": [{"field": field, "value": {"verb": "add", "item": "status"}} for field in fields]}]}

    def test_account_level_fields_are_stored_acknowledged_and_done(self):
        for channel, connection, account in (("messenger", self.messenger, PAGE_ID),
                                             ("instagram", self.instagram, IG_ID)):
            with self.subTest(channel=channel):
                payload = self.changes_body(channel, account, "feed", "a_field_meta_adds_next_year")
                self.assertEqual(self.post(channel, payload).status_code, 200)
                event = self.Event.search([("connection_id", "=", connection.id)])
                self.assertEqual(event.state, "pending")
                self.process_events()
                self.assertRecordValues(event, [{"state": "done", "message_count": 0, "last_error": False}])
        self.assertFalse(self.env["guest.message"].search_count(
            [("connection_id", "in", (self.messenger | self.instagram).ids)]))

    @mute_logger("odoo.addons.guest_messaging.controllers.webhook")
    def test_another_apps_secret_is_refused_and_stores_nothing(self):
        for channel, account in (("messenger", PAGE_ID), ("instagram", IG_ID)):
            with self.subTest(channel=channel):
                response = self.post(channel, self.changes_body(channel, account, "feed"), secret="another-app-secret")
                self.assertEqual(response.status_code, 401)
        self.assertFalse(self.Event.search_count([]))

    def test_an_account_no_connection_owns_is_acknowledged_and_dropped(self):
        self.env["ir.config_parameter"].sudo().set_param("guest_messaging.meta_app_secret", "platform-secret")
        for channel in ("messenger", "instagram"):
            with self.subTest(channel=channel):
                response = self.post(channel, self.changes_body(channel, "55500555", "feed"), secret="platform-secret")
                self.assertEqual(response.status_code, 200)
        self.assertFalse(self.Event.search_count([]))

    def test_an_event_naming_the_page_only_as_recipient_or_echo_sender_is_routed(self):
        guest = text_event("PSID-R", "m_recipient_only", "Hola")
        echo = {"sender": {"id": PAGE_ID}, "recipient": {"id": "PSID-R"}, "timestamp": int(time.time() * 1000) + 1,
                "message": {"mid": "m_echo_only", "text": "Sent from Meta Business Suite", "is_echo": True}}
        for events in ([guest], [echo]):
            payload = messaging_payload("messenger", events)
            del payload["entry"][0]["id"]
            self.assertEqual(self.post("messenger", payload).status_code, 200)
            self.process_events()
        routed = self.env["guest.message"].search([("connection_id", "=", self.messenger.id),
                                                   ("conversation_id.guest_external_id", "=", "PSID-R")])
        self.assertLessEqual({("inbound", "m_recipient_only"), ("outbound", "m_echo_only")},
                             {(m.direction, m.platform_message_id) for m in routed})
        self.assertEqual(set(self.Event.search([]).mapped("state")), {"done"})
