from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import GuestMessagingCase

MODULE_MODELS = [
    "guest.conversation",
    "guest.message",
    "guest.channel.connection",
    "guest.canned.response",
]


@tagged("guest_messaging")
class TestAccessRights(GuestMessagingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.canned = cls.env["guest.canned.response"].create(
            {"name": "Wifi", "shortcut": "/wifi", "content": "The password is at reception."}
        )
        cls.connection.access_token = "EAAG-secret-token"

    def test_agent_reads_and_answers_conversations(self):
        conversation = self.conversation.with_user(self.agent)
        self.assertEqual(conversation.guest_name, "Ana")
        self.conversation.last_inbound_at = fields.Datetime.now()
        conversation.send_agent_message("Hello Ana")
        conversation.message_post(body="Guest prefers a quiet room", message_type="comment", subtype_xmlid="mail.mt_note")
        self.assertIn("quiet room", conversation.message_ids[0].body)
        self.assertEqual(conversation.guest_message_ids.filtered(lambda m: m.author_type == "agent").body, "Hello Ana")

    def test_agent_cannot_assign_others(self):
        with self.assertRaises(AccessError):
            self.conversation.with_user(self.agent).write({"agent_id": self.agent_2.id})

    def test_agent_cannot_manage_connections(self):
        Connection = self.env["guest.channel.connection"].with_user(self.agent)
        self.assertEqual(self.connection.with_user(self.agent).name, "Test Sandbox")
        with self.assertRaises(AccessError):
            Connection.create({"name": "Rogue", "channel_type": "sandbox"})
        with self.assertRaises(AccessError):
            self.connection.with_user(self.agent).write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.connection.with_user(self.agent).unlink()

    def test_agent_cannot_read_secrets(self):
        connection = self.connection.with_user(self.agent)
        for field_name in ("access_token", "app_secret", "verify_token", "access_token_encrypted"):
            with self.subTest(field=field_name), self.assertRaises(AccessError):
                connection.read([field_name])
        self.assertTrue(connection.has_access_token)

    def test_agent_cannot_edit_canned_responses(self):
        self.assertEqual(self.canned.with_user(self.agent).shortcut, "/wifi")
        with self.assertRaises(AccessError):
            self.canned.with_user(self.agent).write({"content": "changed"})
        with self.assertRaises(AccessError):
            self.env["guest.canned.response"].with_user(self.agent).create(
                {"name": "x", "shortcut": "/x", "content": "x"}
            )

    def test_manager_can_do_all_of_it(self):
        self.conversation.with_user(self.manager).action_assign(self.agent_2.id)
        self.assertEqual(self.conversation.agent_id, self.agent_2)
        connection = self.connection.with_user(self.manager)
        self.assertTrue(connection.has_access_token)
        self.assertEqual(connection._get_secret("access_token"), "EAAG-secret-token")
        self.assertTrue(connection.verify_token)
        connection.write({"name": "Renamed", "app_secret": "app-secret"})
        self.assertEqual(connection._get_secret("app_secret"), "app-secret")
        self.canned.with_user(self.manager).write({"content": "Ask at reception."})
        new = self.env["guest.channel.connection"].with_user(self.manager).create(
            {"name": "Another Sandbox", "channel_type": "sandbox"}
        )
        new.unlink()

    def test_manager_cannot_read_ciphertext_columns(self):
        with self.assertRaises(AccessError):
            self.connection.with_user(self.manager).read(["access_token_encrypted"])

    def test_internal_user_outside_the_groups_sees_nothing(self):
        for model in MODULE_MODELS:
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.internal).search([], limit=1)
        with self.assertRaises(AccessError):
            self.conversation.with_user(self.internal).read(["guest_name"])

    def test_users_set_their_own_agent_status(self):
        self.agent.with_user(self.agent).write({"guest_agent_status": "online"})
        self.assertEqual(self.agent.guest_agent_status, "online")
        with self.assertRaises(AccessError):
            self.agent_2.with_user(self.agent).write({"guest_agent_status": "online"})
        with self.assertRaises(AccessError):
            self.agent.with_user(self.agent).write({"guest_max_conversations": 50})
