from contextlib import contextmanager
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import GuestMessagingCase

START = datetime(2026, 5, 4, 10, 0)


@tagged("guest_messaging")
class TestMessageCounts(GuestMessagingCase):
    """The conversation's message counters, kept as messages are written, against a count of the messages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._inbox_alone()

    @contextmanager
    def _at(self, minutes):
        """Messages and escalations ``minutes`` after START."""
        moment = START + timedelta(minutes=minutes)
        with freeze_time(moment):
            self.env.cr._now = moment
            yield
        self.env.cr._now = None

    def _guest_writes(self, body):
        Conversation = self.env["guest.conversation"]
        message = Conversation._ingest_inbound(
            self.connection, "34600000077", f"counts.{Conversation.env['guest.message'].search_count([])}",
            {"body": body})
        return message.conversation_id

    def _report(self, conversation):
        self.env.flush_all()
        self.env.invalidate_all()
        row = self.env["guest.conversation.report"].search([("conversation_id", "=", conversation.id)])
        return (row.message_count, row.inbound_count, row.escalated, row.first_response_minutes,
                row.resolution_minutes)

    def _counted_again(self, conversation):
        """The report's figures once the counters are counted again from the messages."""
        before = self._report(conversation)
        conversation._recount_messages()
        self.env.invalidate_all()
        return before, self._report(conversation)

    def test_counters_follow_every_turn_of_a_conversation(self):
        with self._at(0):
            conversation = self._guest_writes("Hello")
            self._guest_writes("Anyone there?")
        self.assertEqual(self._report(conversation), (2, 2, False, 0.0, 0.0))
        with self._at(5):
            conversation._request_agent()
        with self._at(7):
            conversation.with_user(self.agent).action_claim()
            conversation.with_user(self.agent).send_agent_message("Reception here")
        with self._at(9):
            conversation.with_user(self.agent).send_agent_message("How can I help?")
        messages = conversation.guest_message_ids
        self.assertEqual(conversation.guest_message_count, len(messages))
        self.assertEqual(conversation.guest_inbound_count, 2)
        self.assertEqual(conversation.agent_message_count, 2)
        # the first answer 2 minutes after the escalation; the second changes nothing
        self.assertEqual(self._report(conversation)[2:4], (True, 2.0))
        before, after = self._counted_again(conversation)
        self.assertEqual(before, after)

        with self._at(10):
            conversation.with_user(self.agent).action_hand_back_to_bot()
        with self._at(20):
            self._guest_writes("I need a person again")
        with self._at(25):
            conversation._request_agent()
        # an answer to the earlier escalation is no answer to this one
        self.assertEqual(self._report(conversation)[3], 0.0)
        with self._at(31):
            conversation.with_user(self.agent).action_claim()
            conversation.with_user(self.agent).send_agent_message("Back with you")
        self.assertEqual(self._report(conversation)[3], 6.0)
        with self._at(40):
            conversation.with_user(self.agent).action_resolve()
        figures = self._report(conversation)
        self.assertEqual(figures[0], len(conversation.guest_message_ids))
        self.assertEqual(figures[1:], (3, True, 6.0, 40.0))
        before, after = self._counted_again(conversation)
        self.assertEqual(before, after)

    def test_counting_again_mends_counters_lost(self):
        with self._at(0):
            conversation = self._guest_writes("Hello")
        with self._at(3):
            conversation._request_agent()
        with self._at(4):
            conversation.with_user(self.agent).send_agent_message("Hi")
        expected = self._report(conversation)
        self.env.cr.execute(
            "UPDATE guest_conversation SET guest_message_count = 0, guest_inbound_count = 0, agent_message_count = 0, "
            "first_response_at = NULL WHERE id = %s", (conversation.id,))
        self.env.invalidate_all()
        self.assertNotEqual(self._report(conversation), expected)
        conversation._recount_messages()
        self.assertEqual(self._report(conversation), expected)
        self.assertEqual(expected[:4], (len(conversation.guest_message_ids), 1, True, 1.0))

    def test_staff_cannot_write_the_counters(self):
        conversation = self._guest_writes("Hello")
        for field, value in (("guest_message_count", 0), ("agent_message_count", 9), ("first_response_at", START)):
            with self.assertRaises(AccessError, msg=field):
                conversation.with_user(self.manager).write({field: value})
        self.assertEqual(conversation.guest_message_count, 1)
