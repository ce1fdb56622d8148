from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import GuestMessagingCase


@tagged("guest_messaging")
class TestSatisfaction(GuestMessagingCase):
    """After an agent resolves a conversation the guest rates the help, once per resolution, in the window."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connection.satisfaction_survey = True
        cls._seq = 0

    def guest_writes(self, text=None, reply_id=None, guest="34600900001", connection=None):
        type(self)._seq += 1
        vals = {"body": text or "", "message_type": "interactive" if reply_id else "text",
                "payload": {"reply_id": reply_id} if reply_id else {}}
        message = self.env["guest.conversation"]._ingest_inbound(
            connection or self.connection, guest, f"sat.{guest}.{self._seq}", vals)
        return message.conversation_id

    def resolved(self, guest="34600900001", connection=None):
        conversation = self.guest_writes("Hello, a question", guest=guest, connection=connection)
        conversation.with_user(self.agent).action_take_over()
        conversation.with_user(self.agent).action_resolve()
        return conversation

    def survey_questions(self, conversation):
        return conversation.guest_message_ids.filtered(
            lambda m: m.direction == "outbound" and any(
                o["id"].startswith("rating:") for o in (m.payload or {}).get("options", [])))

    def test_the_guest_rates_then_comments_and_the_conversation_stays_resolved(self):
        conversation = self.resolved()
        [question] = self.survey_questions(conversation)
        self.assertEqual([o["id"] for o in question.payload["options"]],
                         ["rating:5", "rating:4", "rating:3", "rating:2", "rating:1"])
        self.assertEqual((conversation.rating_agent_id, conversation.rating), (self.agent, 0))
        self.guest_writes(reply_id="rating:4")
        self.assertRecordValues(conversation, [{"status": "resolved", "rating": 4}])
        self.guest_writes("Very quick, thank you")
        self.assertRecordValues(conversation, [{"status": "resolved", "rating_comment": "Very quick, thank you"}])
        self.assertEqual(self.env["guest.inbox"].with_user(self.agent).load_guest(conversation.id)["rating"]["score"], 4)
        self.guest_writes("Hello again")
        self.assertEqual(conversation.status, "bot_handling", "anything after the comment is a new conversation")
        self.assertEqual(len(self.survey_questions(conversation)), 1)

    def test_a_typed_rating_counts_and_anything_else_reopens(self):
        conversation = self.resolved(guest="34600900002")
        self.guest_writes("2 nights in May", guest="34600900002")
        self.assertEqual((conversation.status, conversation.rating), ("bot_handling", 0))
        other = self.resolved(guest="34600900003")
        self.guest_writes("⭐⭐⭐⭐⭐", guest="34600900003")
        self.assertEqual((other.status, other.rating), ("resolved", 5))

    def test_never_twice_for_one_resolution_and_not_without_the_setting(self):
        conversation = self.resolved(guest="34600900004")
        conversation.with_user(self.agent).action_resolve()
        self.assertEqual(len(self.survey_questions(conversation)), 1)
        quiet = self.resolved(guest="34600900005", connection=self.connection_2)
        self.assertFalse(self.survey_questions(quiet))
        self.assertFalse(quiet.rating_requested_at)

    def test_not_sent_outside_the_messaging_window_and_not_taken_late(self):
        conversation = self.guest_writes("Hello", guest="34600900006")
        conversation.with_user(self.agent).action_take_over()
        self.env.cr.execute("UPDATE guest_conversation SET last_inbound_at = %s WHERE id = %s",
                            (fields.Datetime.now() - timedelta(days=2), conversation.id))
        conversation.invalidate_recordset()
        conversation.with_user(self.agent).action_resolve()
        self.assertFalse(self.survey_questions(conversation))
        late = self.resolved(guest="34600900007")
        late.sudo().rating_requested_at = fields.Datetime.now() - timedelta(days=2)
        self.guest_writes("5", guest="34600900007")
        self.assertEqual((late.status, late.rating), ("bot_handling", 0))

    def test_agents_cannot_write_a_rating(self):
        conversation = self.resolved(guest="34600900008")
        with self.assertRaises(AccessError):
            conversation.with_user(self.agent).write({"rating": 5})

    def test_ratings_are_reported_per_agent(self):
        for guest, score in (("34600900011", 5), ("34600900012", 2)):
            self.resolved(guest=guest)
            self.guest_writes(reply_id=f"rating:{score}", guest=guest)
        self.resolved(guest="34600900013")  # asked, not answered
        self.env.flush_all()
        rows = self.env["guest.conversation.report"]._read_group(
            [("connection_id", "=", self.connection.id), ("rated_agent_id", "!=", False)],
            ["rated_agent_id"], ["__count", "rating:avg"])
        self.assertEqual(rows, [(self.agent, 3, 3.5)], "the unanswered survey counts, not in the average")
