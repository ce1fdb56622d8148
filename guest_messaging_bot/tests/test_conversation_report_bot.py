from odoo.tests import TransactionCase, tagged

from .common import BotFixtures


@tagged("guest_messaging", "post_install", "-at_install")
class TestConversationReportBot(BotFixtures, TransactionCase):
    """The conversation analysis says which conversations booked and why the bot handed over."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patch_key()
        cls.setup_hotel(cls.env)

    def row(self, conversation):
        self.env.flush_all()
        return self.env["guest.conversation.report"].search([("conversation_id", "=", conversation.id)])

    def test_a_booking_conversation_counts_as_booked_until_cancelled(self):
        booked = self.book("34699000301", "guest301@example.com")
        browsing = self.say("Hello", guest="34699000302")
        self.assertRecordValues(self.row(booked), [{"booked": True, "booked_rate": 100}])
        self.assertRecordValues(self.row(browsing), [{"booked": False, "booked_rate": 0}])
        rows = self.env["guest.conversation.report"]._read_group(
            [("conversation_id", "in", (booked | browsing).ids)], [], ["booked_rate:avg"])
        self.assertEqual(rows, [(50.0,)])
        booked.reservation_ids.cancel_reservation()
        self.assertFalse(self.row(booked).booked)

    def test_the_reason_of_the_handover_is_reported(self):
        asked = self.say("I want to talk to a human", guest="34699000311")
        self.say(reply_id="escalate", guest="34699000311")
        self.assertEqual(asked.status, "awaiting_agent")
        self.assertEqual(self.row(asked).escalation_reason, "guest_request")
        self.assertFalse(self.row(self.say("Hello", guest="34699000312")).escalation_reason)
