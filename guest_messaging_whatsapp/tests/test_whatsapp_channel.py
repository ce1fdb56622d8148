from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import WhatsAppMixin


@tagged("guest_messaging")
class TestWhatsAppChannel(WhatsAppMixin, TransactionCase):
    """WhatsApp, as its declaration in guestmsg.channels says."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_whatsapp()

    def test_the_inbox_offers_it_with_its_icon(self):
        channels = self.env["guest.inbox"].with_user(self.agent).load_vocabulary()["channels"]
        self.assertIn({"code": "whatsapp", "label": "WhatsApp", "icon": "fa-whatsapp"}, channels)

    def test_a_reply_over_4096_utf16_units_is_refused_when_sent(self):
        message = self.env["guest.conversation"]._ingest_inbound(self.connection, "34600777001", "wamid.len.1",
                                                                 {"body": "Hi"})
        conversation = message.conversation_id
        conversation.with_user(self.agent).action_take_over()
        conversation = conversation.with_user(self.agent)
        # an emoji outside the Basic Multilingual Plane counts twice
        with self.assertRaisesRegex(UserError, "WhatsApp takes messages of at most 4096 characters; this one has 4098"):
            conversation.send_agent_message("🙂" * 2049)
        conversation.send_agent_message("🙂" * 2048)

    def test_the_callback_url_is_the_declared_webhook_path(self):
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", "https://hotel.example")
        self.connection.invalidate_recordset(["webhook_callback_url"])
        self.assertEqual(self.connection.webhook_callback_url, "https://hotel.example/guest_messaging/webhook/whatsapp")
