import requests

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from guestmsg.meta.signature import sign

from .common import WhatsAppMixin, signed, wa_text_payload

URL = "/guest_messaging/webhook/whatsapp"


@tagged("guest_messaging", "post_install", "-at_install")
class TestHostileWebhooks(WhatsAppMixin, HttpCase):
    """What an attacker can send costs nothing and writes nothing where it does not belong."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_whatsapp()
        cls.Event = cls.env["guest.webhook.event"]
        cls.Message = cls.env["guest.message"]

    @mute_logger("odoo.addons.guest_messaging.controllers.webhook")
    def test_a_chunked_upload_without_length_is_cut_at_the_limit(self):
        body, headers = signed(wa_text_payload("wamid.CHUNK"))
        sent = []

        def endless():
            # 64 MiB offered without a Content-Length: the server must stop reading at the limit
            for _ in range(256):
                sent.append(256 * 1024)
                yield b" " * (256 * 1024)

        try:
            response = self.url_open(URL, data=endless(), headers=headers)
        except requests.exceptions.ConnectionError:
            response = None  # the server answered and closed while the client was still sending
        if response is not None:
            self.assertEqual(response.status_code, 413)
        self.assertLess(sum(sent), 32 * 1024 * 1024, "the server read far past its limit")
        self.assertFalse(self.Event.search_count([]))
        # the same body, chunked but within the limit, goes through
        response = self.url_open(URL, data=iter([body[:10], body[10:]]), headers=headers)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.Event.search_count([]), 1)

    @mute_logger("odoo.addons.guest_messaging.controllers.webhook")
    def test_deep_nesting_is_a_bad_request_signed_or_not(self):
        for deep in (b"[" * 200_000 + b"]" * 200_000, b'{"a":' * 100_000 + b"1" + b"}" * 100_000):
            for secret in ("test-app-secret", "forged"):
                with self.subTest(size=len(deep), secret=secret):
                    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(secret, deep)}
                    response = self.url_open(URL, data=deep, headers=headers)
                    self.assertEqual(response.status_code, 400)
                    self.assertNotIn("Traceback", response.text)
        self.assertFalse(self.Event.search_count([]))

    @mute_logger("odoo.addons.guest_messaging.controllers.webhook")
    def test_a_body_naming_too_many_accounts_is_refused(self):
        payload = wa_text_payload("wamid.MANY")
        change = payload["entry"][0]["changes"][0]
        payload["entry"][0]["changes"] = [
            {**change, "value": {**change["value"], "metadata": {"phone_number_id": str(10**9 + i)}}}
            for i in range(51)
        ] + [change]
        body, headers = signed(payload)
        response = self.url_open(URL, data=body, headers=headers)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.Event.search_count([]))

    @mute_logger("odoo.addons.guest_messaging.controllers.webhook")
    def test_unverified_bodies_do_not_grow_any_cache(self):
        cache = self.env.registry._Registry__caches["default"]  # pylint: disable=protected-access

        def routing_entries():
            return sum(1 for key in list(cache.d) if "_webhook_route" in str(key))

        body, headers = signed(wa_text_payload("wamid.C0"))
        self.url_open(URL, data=body, headers=headers)
        before = routing_entries()
        for number in range(40):
            body, headers = signed(wa_text_payload(f"wamid.C{number}", phone_number_id=f"55{number}"), "forged")
            self.assertEqual(self.url_open(URL, data=body, headers=headers).status_code, 401)
        self.assertLessEqual(routing_entries(), max(before, 1))

    def test_a_body_signed_with_one_secret_writes_only_into_its_own_connections(self):
        other = self.env["guest.channel.connection"].create({
            "name": "Another hotel's number", "channel_type": "whatsapp", "setup_mode": "manual",
            "phone_number_id": "555000111", "access_token": "EAAG-other", "app_secret": "other-app-secret",
        })
        payload = wa_text_payload("wamid.MINE")
        extra = wa_text_payload("wamid.PLANTED", wa_id="34699999999", phone_number_id=other.phone_number_id)
        payload["entry"].append(extra["entry"][0])
        body, headers = signed(payload)
        response = self.url_open(URL, data=body, headers=headers)
        self.assertEqual(response.status_code, 200)
        self.process_events()
        self.assertEqual(self.Message.search_count([("platform_message_id", "=", "wamid.MINE")]), 1)
        self.assertFalse(self.Message.search_count([("connection_id", "=", other.id)]),
                         "the other connection's secret did not sign it: nothing is written there")
        self.assertEqual(self.Event.search([]).scope_connection_ids, [self.connection.id])

    def process_events(self):
        self.env["guest.webhook.event"]._cron_process_webhook_events()
