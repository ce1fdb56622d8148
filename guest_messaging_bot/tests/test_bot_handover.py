from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import BotFixtures

WAIT = "Our team will respond shortly."


@tagged("guest_messaging", "post_install", "-at_install")
class TestBotHandover(BotFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patch_key()
        cls.setup_hotel(cls.env)
        cls.env["res.users"].search([("guest_agent_status", "!=", "offline")]).guest_agent_status = "offline"
        cls.env["guest.conversation"].search([("status", "=", "awaiting_agent")]).write({"status": "bot_handling"})
        cls.agent = new_test_user(cls.env, login="bot_handover_agent",
                                  groups="base.group_user,guest_messaging.group_agent")

    def _escalated(self):
        self.say("Hi")
        self.say("I want to talk to a real person")
        conversation = self.say(reply_id="escalate")
        self.assertEqual(conversation.status, "awaiting_agent")
        return conversation

    def _route(self):
        self.env["guest.conversation"]._cron_route_conversations()

    def test_an_online_agent_gets_it_and_the_bot_says_no_more(self):
        self.agent.guest_agent_status = "online"
        conversation = self._escalated()
        self._route()
        self.assertEqual((conversation.status, conversation.agent_id), ("agent_assigned", self.agent))
        count = len(self.replies(conversation))
        self.say("Hello? I need to change my booking")
        self.assertEqual(len(self.replies(conversation)), count)
        self.assertNotIn(WAIT, self.replies(conversation).mapped("body"))

    def test_while_waiting_the_bot_only_acknowledges_once(self):
        conversation = self._escalated()
        self.say("hello?")
        self._route()
        self.say("anyone there?")
        self.assertEqual(self.replies(conversation).mapped("body").count(WAIT), 1)
        self.assertEqual(conversation.status, "awaiting_agent")

    def test_a_second_escalation_is_acknowledged_again(self):
        conversation = self._escalated()
        self._route()
        conversation.with_user(self.agent).action_hand_back_to_bot()
        self.say("ok")
        self.say("human please")
        self.say(reply_id="escalate")
        self._route()
        self.assertEqual(self.replies(conversation).mapped("body").count(WAIT), 2)

    def test_handed_back_the_bot_greets_on_the_next_message(self):
        conversation = self._escalated()
        conversation.with_user(self.agent).action_claim()
        conversation.with_user(self.agent).action_hand_back_to_bot()
        mark = self.replies(conversation)[-1].id
        self.say("thanks!")
        greeting = self.replies(conversation, mark)
        self.assertEqual(greeting.mapped("body"), ["Welcome to Hotel Test!"])
        self.assertEqual([o["id"] for o in greeting.payload["options"]], ["book", "availability", "my_reservations"])

    def test_handed_back_a_request_is_greeted_and_answered(self):
        conversation = self._escalated()
        conversation.with_user(self.agent).action_claim()
        conversation.with_user(self.agent).action_hand_back_to_bot()
        mark = self.replies(conversation)[-1].id
        self.say(f"I'd like a room from {self.day(20)} to {self.day(22)} for 2 adults")
        replies = self.replies(conversation, mark)
        self.assertEqual(replies[0].body, "Welcome to Hotel Test!")
        self.assertEqual(conversation.bot_state, "rooms")

    def test_after_resolve_the_next_message_starts_a_fresh_bot_conversation(self):
        conversation = self._escalated()
        conversation.with_user(self.agent).action_claim()
        conversation.with_user(self.agent).action_resolve()
        mark = self.replies(conversation)[-1].id
        self.say("Hello again")
        self.assertEqual(conversation.status, "bot_handling")
        self.assertEqual(self.replies(conversation, mark)[0].body, "Welcome to Hotel Test!")

    def test_unclaimed_for_30_minutes_the_bot_takes_it_back_and_greets(self):
        conversation = self._escalated()
        self._route()
        conversation.escalated_at = fields.Datetime.now() - timedelta(minutes=31)
        self.env["guest.conversation"]._cron_conversation_timeouts()
        self.assertEqual(conversation.status, "bot_handling")
        mark = self.replies(conversation)[-1].id
        self.say("still there?")
        self.assertEqual(self.replies(conversation, mark)[0].body, "Welcome to Hotel Test!")

    def test_routed_before_the_timeout_it_stays_with_the_agent(self):
        conversation = self._escalated()
        self._route()
        conversation.escalated_at = fields.Datetime.now() - timedelta(minutes=29)
        self.agent.guest_agent_status = "online"
        self._route()
        conversation.escalated_at = fields.Datetime.now() - timedelta(minutes=45)
        self.env["guest.conversation"]._cron_conversation_timeouts()
        self.assertEqual((conversation.status, conversation.agent_id), ("agent_assigned", self.agent))

    def test_one_broken_conversation_does_not_stop_the_others_being_routed(self):
        broken = self.env["guest.conversation"].create({
            "connection_id": self.connection.id, "guest_external_id": "not-a-phone-number"})
        broken._request_agent()
        conversation = self._escalated()
        self.agent.write({"guest_agent_status": "online", "guest_max_conversations": 1})
        self.agent.guest_max_conversations = 0
        with mute_logger("odoo.addons.guest_messaging.models.guest_conversation"):
            self._route()
        self.assertEqual(broken.status, "awaiting_agent")
        self.assertIn(WAIT, self.replies(conversation).mapped("body"), "the other guest was still told")
        self.agent.guest_max_conversations = 2
        with mute_logger("odoo.addons.guest_messaging.models.guest_conversation"):
            self._route()
        self.assertEqual({broken.agent_id, conversation.agent_id}, {self.agent})
