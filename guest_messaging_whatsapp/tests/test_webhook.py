import json

from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from .common import WhatsAppMixin, signed, wa_status_payload, wa_text_payload

URL = "/guest_messaging/webhook/whatsapp"


@tagged("guest_messaging", "post_install", "-at_install")
class TestWhatsAppWebhook(WhatsAppMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_whatsapp()
        cls.Event = cls.env["guest.webhook.event"]
        cls.Message = cls.env["guest.message"]

    def post(self, payload=None, body=None, headers=None):
        if payload is not None:
            body, signed_headers = signed(payload)
            headers = {**signed_headers, **(headers or {})}
        return self.url_open(URL, data=body, headers=headers)

    # --- handshake ---
    def test_verification_handshake(self):
        self.assertEqual(self.connection.state, "pending_verification")
        token = self.connection.verify_token
        response = self.url_open(f"{URL}?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=1158201444")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.text, "1158201444")
        self.assertTrue(response.headers["Content-Type"].startswith("text/plain"))
        self.assertEqual(self.connection.state, "connected")

    def test_the_callback_url_shown_to_the_manager_is_the_one_meta_verifies(self):
        shown = self.connection.with_user(self.manager).webhook_callback_url
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url").rstrip("/")
        self.assertEqual(shown, f"{base_url}{URL}")
        token = self.connection.with_user(self.manager).verify_token
        response = self.url_open(f"{shown[len(base_url):]}?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=7")
        self.assertEqual((response.status_code, response.text), (200, "7"))
        self.assertEqual(self.connection.state, "connected")

    @mute_logger("odoo.addons.guest_messaging.models.guest_channel_connection_meta")
    def test_verification_refused(self):
        token = self.connection.verify_token
        for query in (f"hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1",
                      f"hub.mode=unsubscribe&hub.verify_token={token}&hub.challenge=1",
                      f"hub.mode=subscribe&hub.challenge=1",
                      f"hub.mode=subscribe&hub.verify_token={token}"):
            with self.subTest(query=query):
                self.assertEqual(self.url_open(f"{URL}?{query}").status_code, 403)
        self.assertEqual(self.connection.state, "pending_verification")

    def test_platform_verify_token(self):
        self.env["ir.config_parameter"].sudo().set_param("guest_messaging.meta_verify_token", "platform-token")
        response = self.url_open(f"{URL}?hub.mode=subscribe&hub.verify_token=platform-token&hub.challenge=abc")
        self.assertEqual((response.status_code, response.text), (200, "abc"))

    # --- inbound ---
    def test_signed_message_is_stored_then_processed(self):
        partner = self.env["res.partner"].create({"name": "Ana García", "mobile": "+34 612-34-56-78"})
        response = self.post(wa_text_payload("wamid.A1", body="Hola, ¿tenéis habitación? 🛏️"))
        self.assertEqual(response.status_code, 200)
        event = self.Event.search([("connection_id", "=", self.connection.id)])
        self.assertEqual(event.state, "pending")
        self.assertFalse(self.Message.search([("platform_message_id", "=", "wamid.A1")]))
        self.process_events()
        self.assertEqual(event.state, "done")
        message = self.Message.search([("platform_message_id", "=", "wamid.A1")])
        self.assertEqual(message.body, "Hola, ¿tenéis habitación? 🛏️")
        conversation = message.conversation_id
        self.assertEqual(conversation.guest_name, "Ana García")
        self.assertEqual(conversation.guest_phone, "+34612345678")
        self.assertEqual(conversation.partner_id, partner)
        self.assertEqual(conversation.unread_count, 1)

    def test_duplicate_delivery_yields_one_message(self):
        payload = wa_text_payload("wamid.DUP")
        for _i in range(2):
            self.assertEqual(self.post(payload).status_code, 200)
        self.assertEqual(self.Event.search_count([]), 1)
        # the same message inside a different batch body
        other = wa_text_payload("wamid.DUP")
        other["entry"][0]["id"] = "WABA1-redelivery"
        self.assertEqual(self.post(other).status_code, 200)
        self.process_events()
        self.assertEqual(self.Message.search_count([("platform_message_id", "=", "wamid.DUP")]), 1)

    def test_batch_of_messages_and_statuses(self):
        payload = wa_text_payload("wamid.B1")
        value = payload["entry"][0]["changes"][0]["value"]
        value["messages"].append({"from": "34612345678", "id": "wamid.B2", "timestamp": "1764086401",
                                  "type": "interactive", "interactive": {"type": "button_reply",
                                  "button_reply": {"id": "book", "title": "Book a Stay"}}})
        second = wa_text_payload("wamid.B3", wa_id="4915112345678", name="Tom")
        payload["entry"].append(second["entry"][0])
        self.post(payload)
        self.process_events()
        messages = self.Message.search([("platform_message_id", "in", ["wamid.B1", "wamid.B2", "wamid.B3"])])
        self.assertEqual(len(messages), 3)
        self.assertEqual(len(messages.conversation_id), 2)
        reply = messages.filtered(lambda m: m.platform_message_id == "wamid.B2")
        self.assertEqual((reply.message_type, reply.body, reply.payload["reply_id"]),
                         ("interactive", "Book a Stay", "book"))

    @mute_logger("odoo.addons.guest_messaging.controllers.webhook")
    def test_bad_signatures_store_nothing(self):
        body, headers = signed(wa_text_payload("wamid.BAD"), secret="not-the-secret")
        self.assertEqual(self.url_open(URL, data=body, headers=headers).status_code, 401)
        body, headers = signed(wa_text_payload("wamid.BAD"))
        del headers["X-Hub-Signature-256"]
        self.assertEqual(self.url_open(URL, data=body, headers=headers).status_code, 401)
        tampered = body.replace(b"Hello", b"Hellp")
        _b, good_headers = signed(wa_text_payload("wamid.BAD"))
        self.assertEqual(self.url_open(URL, data=tampered, headers=good_headers).status_code, 401)
        self.assertFalse(self.Event.search_count([]))

    @mute_logger("odoo.addons.guest_messaging.controllers.webhook")
    def test_a_new_app_secret_takes_effect_at_once(self):
        self.assertEqual(self.post(wa_text_payload("wamid.S1")).status_code, 200)
        self.connection.app_secret = "rotated-secret"
        self.assertEqual(self.post(wa_text_payload("wamid.S2")).status_code, 401)
        body, headers = signed(wa_text_payload("wamid.S3"), secret="rotated-secret")
        self.assertEqual(self.url_open(URL, data=body, headers=headers).status_code, 200)
        self.connection.action_archive()
        body, headers = signed(wa_text_payload("wamid.S4"), secret="rotated-secret")
        self.assertEqual(self.url_open(URL, data=body, headers=headers).status_code, 200)
        self.assertEqual(self.Event.search_count([]), 2, "an archived connection receives nothing")

    @mute_logger("odoo.addons.guest_messaging.controllers.webhook")
    def test_hostile_requests(self):
        good_body, headers = signed(wa_text_payload("wamid.H"))
        cases = [
            (b"{not json", {**headers, "X-Hub-Signature-256": signed({})[1]["X-Hub-Signature-256"]}, 400),
            (good_body, {**headers, "Content-Type": "text/plain"}, 400),
            (b"x" * (5 * 1024 * 1024 + 10), headers, 413),
            (json.dumps([1, 2]).encode(), headers, 401),
        ]
        for body, hdrs, status in cases:
            with self.subTest(status=status, size=len(body)):
                response = self.url_open(URL, data=body, headers=hdrs)
                self.assertEqual(response.status_code, status)
                self.assertNotIn("Traceback", response.text)
        malformed = b'{"object": "whatsapp_business_account", "entry": '
        self.assertEqual(self.url_open(URL, data=malformed, headers={
            "Content-Type": "application/json", "X-Hub-Signature-256": signed({})[1]["X-Hub-Signature-256"]}
        ).status_code, 400)
        self.assertFalse(self.Event.search_count([]))

    def test_verified_body_for_an_unknown_number(self):
        self.env["ir.config_parameter"].sudo().set_param("guest_messaging.meta_app_secret", "platform-secret")
        # a number of an account no connection owns (entry[].id names the WhatsApp Business Account)
        payload = wa_text_payload("wamid.U", phone_number_id="999")
        payload["entry"][0]["id"] = "WABA-OF-NOBODY"
        body, headers = signed(payload, secret="platform-secret")
        response = self.url_open(URL, data=body, headers=headers)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self.Event.search_count([]))

    def test_hostile_but_signed_payload_is_stored_and_never_crashes_the_worker(self):
        payload = wa_text_payload("wamid.X")
        value = payload["entry"][0]["changes"][0]["value"]
        value["messages"].extend([{"from": None, "id": 12, "type": ["text"]}, "junk", {"type": "text"}])
        value["statuses"] = [{"id": None}, 5]
        self.post(payload)
        self.process_events()
        self.assertEqual(self.Event.search([]).state, "done")
        self.assertEqual(self.Message.search_count([("platform_message_id", "=", "wamid.X")]), 1)

    # --- worker failures ---
    def test_a_worker_that_dies_half_way_loses_nothing(self):
        self.post(wa_text_payload("wamid.K"))
        Conversation = type(self.env["guest.conversation"])
        original = Conversation._on_inbound_message
        calls = []

        def dying(conversation, message):
            calls.append(message.id)
            if len(calls) == 1:
                raise RuntimeError("worker killed")
            return original(conversation, message)

        with mute_logger("odoo.addons.guest_messaging.models.guest_webhook_event"):
            self.patch(Conversation, "_on_inbound_message", dying)
            self.process_events()
        event = self.Event.search([])
        self.assertEqual((event.state, event.attempts), ("failed", 1))
        self.assertIn("worker killed", event.last_error)
        self.assertFalse(self.Message.search_count([("platform_message_id", "=", "wamid.K")]))
        event.next_attempt_at = False
        self.process_events()
        self.assertEqual(event.state, "done")
        self.assertEqual(self.Message.search_count([("platform_message_id", "=", "wamid.K")]), 1)

    def test_failing_event_is_parked_then_replayed(self):
        self.post(wa_text_payload("wamid.P"))
        event = self.Event.search([])
        Conversation = type(self.env["guest.conversation"])
        with mute_logger("odoo.addons.guest_messaging.models.guest_webhook_event"):
            self.patch(Conversation, "_on_inbound_message", lambda *a: 1 / 0)
            for _i in range(5):
                event.next_attempt_at = False
                self.process_events()
        self.assertEqual((event.state, event.attempts), ("parked", 5))
        self.process_events()
        self.assertEqual(event.attempts, 5)
        self.patch(Conversation, "_on_inbound_message", lambda *a: None)
        event.with_user(self.manager).action_replay()
        self.process_events()
        self.assertEqual(event.state, "done")
        self.assertEqual(self.Message.search_count([("platform_message_id", "=", "wamid.P")]), 1)

    # --- statuses ---
    def test_status_webhooks_update_outbound_messages(self):
        self.post(wa_text_payload("wamid.IN"))
        self.process_events()
        conversation = self.Message.search([("platform_message_id", "=", "wamid.IN")]).conversation_id
        out = self.Message.create({"conversation_id": conversation.id, "direction": "outbound",
                                   "author_type": "bot", "body": "Hi", "platform_message_id": "wamid.OUT",
                                   "delivery_status": "sent"})
        for status in ("delivered", "read", "delivered"):
            self.post(wa_status_payload("wamid.OUT", status))
            self.process_events()
        self.assertEqual(out.delivery_status, "read")
        failed = self.Message.create({"conversation_id": conversation.id, "direction": "outbound",
                                      "author_type": "agent", "body": "Late", "platform_message_id": "wamid.F",
                                      "delivery_status": "sent"})
        self.post(wa_status_payload("wamid.F", "failed", error_code=131047))
        self.process_events()
        self.assertEqual((failed.delivery_status, failed.error_code), ("failed", "131047"))
        self.assertIn("24 hours", failed.error_message)


@tagged("guest_messaging")
class TestWebhookWakeUp(WhatsAppMixin, TransactionCase):
    """The acknowledgement path shares one wake-up; every transaction still gets one if none is pending."""

    def test_one_due_trigger_serves_every_webhook(self):
        self.setup_whatsapp()
        cron = self.env.ref("guest_messaging.ir_cron_process_webhook_events")
        Trigger = self.env["ir.cron.trigger"].sudo()
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        Event = self.env["guest.webhook.event"]
        Event._store("whatsapp", json.dumps(wa_text_payload("wamid.w1")).encode())
        Event._store("whatsapp", json.dumps(wa_text_payload("wamid.w2")).encode())
        self._commit_hooks()
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 1)
        # a later transaction: the trigger is due (a test runs in one transaction, so move it back)
        Trigger.search([("cron_id", "=", cron.id)]).call_at = "2000-01-01 00:00:00"
        Trigger.flush_model()
        Event._store("whatsapp", json.dumps(wa_text_payload("wamid.w3")).encode())
        self._commit_hooks()
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 1, "a due trigger is shared")
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        Event._store("whatsapp", json.dumps(wa_text_payload("wamid.w4")).encode())
        self._commit_hooks()
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 1)
