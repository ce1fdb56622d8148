from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import SocialMixin


@tagged("guest_messaging")
class TestPageChannels(SocialMixin, TransactionCase):
    """Messenger and Instagram, as their declarations in guestmsg.channels say."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_social()

    def _conversation(self, connection, guest):
        message = self.env["guest.conversation"]._ingest_inbound(connection, guest, f"mid.{guest}", {"body": "Hi"})
        conversation = message.conversation_id
        conversation.with_user(self.agent).action_take_over()
        return conversation.with_user(self.agent)

    def test_the_inbox_offers_both_with_their_icons(self):
        channels = self.env["guest.inbox"].with_user(self.agent).load_vocabulary()["channels"]
        self.assertIn({"code": "instagram", "label": "Instagram", "icon": "fa-instagram"}, channels)
        self.assertIn({"code": "messenger", "label": "Messenger", "icon": "fa-facebook"}, channels)

    def test_an_instagram_reply_over_1000_bytes_is_refused_when_sent(self):
        conversation = self._conversation(self.instagram, "ig-guest-1")
        with self.assertRaisesRegex(UserError, "Instagram takes messages of at most 1000 bytes; this one has 1002"):
            conversation.send_agent_message("é" * 501)
        self.assertFalse(conversation.guest_message_ids.filtered(lambda m: m.author_type == "agent"))
        conversation.send_agent_message("é" * 500)
        self.assertEqual(len(conversation.guest_message_ids.filtered(lambda m: m.author_type == "agent")), 1)

    def test_a_messenger_reply_over_2000_characters_is_refused_when_sent(self):
        conversation = self._conversation(self.messenger, "fb-guest-1")
        with self.assertRaisesRegex(UserError, "Messenger takes messages of at most 2000 characters"):
            conversation.send_agent_message("x" * 2001)
        conversation.send_agent_message("x" * 2000)
