from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import GuestMessagingCase


@tagged("guest_messaging")
class TestGuestMessage(GuestMessagingCase):
    def _inbound(self, conversation, platform_id, body="Hello"):
        return self.env["guest.message"].create(
            {
                "conversation_id": conversation.id,
                "direction": "inbound",
                "author_type": "guest",
                "body": body,
                "platform_message_id": platform_id,
            }
        )

    def test_duplicate_platform_message_id_refused_by_database(self):
        self._inbound(self.conversation, "wamid.DUP")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._inbound(self.conversation, "wamid.DUP")
            self.env.flush_all()

    def test_duplicate_refused_even_by_raw_sql(self):
        message = self._inbound(self.conversation, "wamid.RAW")
        self.env.flush_all()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.env.cr.execute(
                """INSERT INTO guest_message (conversation_id, connection_id, direction, author_type,
                                              message_type, platform_message_id)
                   VALUES (%s, %s, 'inbound', 'guest', 'text', %s)""",
                (message.conversation_id.id, self.connection.id, "wamid.RAW"),
            )

    def test_same_platform_id_on_another_connection_is_allowed(self):
        other = self.env["guest.conversation"].create(
            {"connection_id": self.connection_2.id, "guest_external_id": "34600000001"}
        )
        self._inbound(self.conversation, "wamid.SHARED")
        self._inbound(other, "wamid.SHARED")
        self.env.flush_all()
        self.assertEqual(self.env["guest.message"].search_count([("platform_message_id", "=", "wamid.SHARED")]), 2)

    def test_messages_without_platform_id_do_not_collide(self):
        for _i in range(2):
            self.env["guest.message"].create(
                {"conversation_id": self.conversation.id, "direction": "outbound", "author_type": "bot", "body": "Hi"}
            )
        self.env.flush_all()
        self.assertEqual(len(self.conversation.guest_message_ids), 2)

    def test_inbound_message_updates_conversation_columns(self):
        self._inbound(self.conversation, "wamid.A", body="First")
        self._inbound(self.conversation, "wamid.B", body="Second message")
        self.assertEqual(self.conversation.unread_count, 2)
        self.assertEqual(self.conversation.last_message_preview, "Second message")
        self.assertTrue(self.conversation.last_inbound_at)
        self.assertTrue(self.conversation.last_message_at)
        self.assertEqual(self.conversation.guest_message_ids.mapped("delivery_status"), ["received", "received"])

    def test_outbound_message_does_not_count_as_unread(self):
        self.env["guest.message"].create(
            {"conversation_id": self.conversation.id, "direction": "outbound", "author_type": "bot", "body": "Hi!"}
        )
        self.assertEqual(self.conversation.unread_count, 0)
        self.assertFalse(self.conversation.last_inbound_at)
        self.assertEqual(self.conversation.last_message_preview, "Hi!")

    def test_one_conversation_per_guest_and_connection(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._new_conversation("34600000001")
            self.env.flush_all()
