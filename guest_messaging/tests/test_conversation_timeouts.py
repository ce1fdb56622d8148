from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import GuestMessagingCase


@tagged("guest_messaging")
class TestConversationTimeouts(GuestMessagingCase):
    def _conversation(self, key, status, minutes_ago, **vals):
        at = fields.Datetime.now() - timedelta(minutes=minutes_ago)
        conversation = self._new_conversation(key, status=status, **vals)
        self.env.cr.execute(
            "UPDATE guest_conversation SET last_message_at = %s, escalated_at = %s WHERE id = %s",
            (at, at if status == "awaiting_agent" else None, conversation.id),
        )
        conversation.invalidate_recordset()
        return conversation

    def test_idle_bot_conversation_expires(self):
        idle = self._conversation("idle", "bot_handling", 61, bot_state="ask_dates")
        active = self._conversation("active", "bot_handling", 59)
        self.env["guest.conversation"]._cron_conversation_timeouts()
        self.assertEqual((idle.status, idle.bot_state), ("expired", False))
        self.assertEqual(active.status, "bot_handling")
        self.assertIn("expired", idle.guest_message_ids[-1].body)
        self.assertEqual(idle.guest_message_ids[-1].author_type, "system")

    def test_unclaimed_escalation_returns_to_the_bot(self):
        waiting = self._conversation("waiting", "awaiting_agent", 31)
        recent = self._conversation("recent", "awaiting_agent", 10)
        self.env["guest.conversation"]._cron_conversation_timeouts()
        self.assertEqual(waiting.status, "bot_handling")
        self.assertFalse(waiting.escalated_at)
        self.assertEqual(recent.status, "awaiting_agent")
        self.assertIn("handed back to the bot", waiting.guest_message_ids[-1].body)

    def test_assigned_and_ended_conversations_are_left_alone(self):
        assigned = self._conversation("assigned", "agent_assigned", 600, agent_id=self.agent.id)
        resolved = self._conversation("resolved", "resolved", 600)
        self.env["guest.conversation"]._cron_conversation_timeouts()
        self.assertEqual(assigned.status, "agent_assigned")
        self.assertEqual(resolved.status, "resolved")

    def test_batches(self):
        idle = [self._conversation(f"idle-{i}", "bot_handling", 120) for i in range(5)]
        expired, _unclaimed = self.env["guest.conversation"]._cron_conversation_timeouts(batch_size=3)
        self.assertEqual(expired, 3)
        self.env["guest.conversation"]._cron_conversation_timeouts(batch_size=3)
        self.assertEqual({c.status for c in idle}, {"expired"})

    def test_next_message_after_expiry_starts_fresh(self):
        idle = self._conversation("fresh", "bot_handling", 90, bot_state="ask_dates", bot_context={"adults": 2})
        self.env["guest.conversation"]._cron_conversation_timeouts()
        message = self.env["guest.conversation"]._ingest_inbound(
            self.connection, "fresh", "wamid.fresh", {"body": "Hello again"})
        self.assertEqual(message.conversation_id, idle)
        self.assertEqual(idle.status, "bot_handling")
        self.assertFalse(idle.bot_state)
        self.assertFalse(idle.bot_context)
