from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import GuestMessagingCase


@tagged("guest_messaging")
class TestMessageResend(GuestMessagingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.conversation.write({"last_inbound_at": fields.Datetime.now() - timedelta(hours=1)})
        Message = cls.env["guest.message"]
        cls.uncertain = Message.create({
            "conversation_id": cls.conversation.id, "direction": "outbound", "author_type": "agent",
            "author_id": cls.agent.id, "body": "Your room is ready", "delivery_status": "uncertain",
            "error_code": "interrupted", "error_message": "Meta may or may not have received this message.",
            "send_attempts": 1,
        })
        cls.sent = Message.create({
            "conversation_id": cls.conversation.id, "direction": "outbound", "author_type": "bot",
            "body": "Welcome", "delivery_status": "sent", "platform_message_id": "wamid.sent",
        })
        cls.inbound = Message.create({
            "conversation_id": cls.conversation.id, "direction": "inbound", "author_type": "guest", "body": "Hi",
            "platform_message_id": "wamid.in",
        })

    def _rows(self, user):
        thread = self.env["guest.inbox"].with_user(user).load_thread(self.conversation.id)
        return {row["id"]: row for row in thread["messages"]}

    def test_an_agent_resends_an_uncertain_message(self):
        self.uncertain.with_user(self.agent).action_resend()
        self.assertEqual(self.uncertain.delivery_status, "queued")
        self.assertFalse(self.uncertain.error_message)
        self.assertEqual(self.uncertain.send_attempts, 0)
        self.assertTrue(self.uncertain.resent_at)
        queued = self.env["guest.message"]._queue_batch(10)
        self.assertIn(self.uncertain, queued, "due for the outbox at once")

    def test_the_thread_says_which_messages_may_be_sent_again(self):
        rows = self._rows(self.agent)
        self.assertEqual((rows[self.uncertain.id]["status"], rows[self.uncertain.id]["can_resend"]), ("uncertain", True))
        self.assertIn("may or may not", rows[self.uncertain.id]["error"])
        self.assertFalse(rows[self.sent.id]["can_resend"])
        self.assertFalse(rows[self.inbound.id]["can_resend"])
        self.conversation.with_user(self.agent_2).action_take_over()
        self.assertFalse(self._rows(self.agent)[self.uncertain.id]["can_resend"], "agent_2's conversation now")
        self.assertTrue(self._rows(self.manager)[self.uncertain.id]["can_resend"])
        self.conversation.write({"last_inbound_at": fields.Datetime.now() - timedelta(hours=25)})
        self.assertFalse(self._rows(self.agent_2)[self.uncertain.id]["can_resend"], "the window is closed")

    def test_only_failed_or_uncertain_staff_messages_go_again(self):
        for message in (self.sent, self.inbound):
            with self.subTest(status=message.delivery_status), self.assertRaises(UserError):
                message.with_user(self.agent).action_resend()
        self.assertEqual(self.sent.delivery_status, "sent")

    def test_only_who_may_act_on_the_conversation_resends(self):
        self.conversation.with_user(self.agent_2).action_take_over()
        with self.assertRaises(AccessError):
            self.uncertain.with_user(self.agent).action_resend()
        with self.assertRaises(AccessError):
            self.uncertain.with_user(self.internal).action_resend()
        self.assertEqual(self.uncertain.delivery_status, "uncertain")
        self.uncertain.with_user(self.manager).action_resend()
        self.assertEqual(self.uncertain.delivery_status, "queued")

    def test_free_text_goes_again_only_inside_the_24_hour_window(self):
        self.conversation.write({"last_inbound_at": fields.Datetime.now() - timedelta(hours=25)})
        with self.assertRaisesRegex(UserError, "24 hours"):
            self.uncertain.with_user(self.agent).action_resend()
        self.assertEqual(self.uncertain.delivery_status, "uncertain")
