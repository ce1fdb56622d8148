from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import PHONE_NUMBER_ID, WhatsAppMixin, signed, wa_text_payload

URL = "/guest_messaging/webhook/whatsapp"


@tagged("guest_messaging", "post_install", "-at_install")
class TestDisconnect(WhatsAppMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_outbox()
        cls.connection.write({"state": "connected"})

    def test_a_disconnected_channel_receives_and_sends_nothing_and_keeps_its_history(self):
        self.conversation._queue_outbound([{"author_type": "bot", "body": "Before"}])
        self.send_outbox()
        with self.assertRaises(AccessError):
            self.connection.with_user(self.agent).action_disconnect()
        self.connection.with_user(self.manager).action_disconnect()
        self.assertEqual(self.connection.state, "disconnected")
        self.assertIn("Disconnected by", self.connection.message_ids[0].body)

        body, headers = signed(wa_text_payload("wamid.AFTER", body="Anyone?"))
        self.assertEqual(self.url_open(URL, data=body, headers=headers).status_code, 200, "acknowledged")
        self.process_events()
        self.assertFalse(self.env["guest.message"].search([("platform_message_id", "=", "wamid.AFTER")]))

        message = self.conversation._queue_outbound([{"author_type": "bot", "body": "After"}])
        self.send_outbox()
        self.assertEqual(message.delivery_status, "failed")
        self.assertIn("disconnected", message.error_message)
        self.assertEqual([m["text"]["body"] for m in self.graph.sent_messages(PHONE_NUMBER_ID)], ["Before"])
        self.assertEqual(self.conversation.guest_message_ids.mapped("body"), ["Before", "After"])
        self.connection.with_user(self.manager).action_disconnect()
        self.assertEqual(len(self.connection.message_ids.filtered(lambda m: "Disconnected by" in (m.body or ""))), 1)
