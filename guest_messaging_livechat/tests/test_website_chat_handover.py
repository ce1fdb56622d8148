from odoo.tests import tagged

from .common import WebsiteChatCase


@tagged("guest_messaging", "post_install", "-at_install")
class TestWebsiteChatHandover(WebsiteChatCase):
    """The team takes over a website conversation from the inbox; the visitor reads them in the widget."""

    def _escalated(self):
        """A visitor asks for a person: the bot offers the team (or, for words it takes as a plain request,
        hands over at once), and the conversation waits for an agent."""
        visitor = self.visitor()
        visitor.start()
        visitor.say("Hi")
        visitor.say("I want to speak to someone at reception")
        if any(o["id"] == "escalate" for o in visitor.options()):
            visitor.say(option="escalate")
        conversation = self.conversation_of(visitor)
        self.assertIn(conversation.status, ("awaiting_agent", "agent_assigned"))
        self.assertIn("Bot escalated to agent", conversation.guest_message_ids.mapped("body"))
        return visitor, conversation

    def test_an_escalation_goes_to_the_least_loaded_agent_whose_reply_the_visitor_reads_at_once(self):
        (self.agent | self.agent_2).write({"guest_agent_status": "online"})
        busy = self.Conversation.create({"connection_id": self.connection.id, "guest_external_id": "busy-guest"})
        busy.with_user(self.agent).action_take_over()
        visitor, conversation = self._escalated()
        self.assertEqual((conversation.status, conversation.agent_id), ("agent_assigned", self.agent_2))

        conversation.with_user(self.agent_2).send_agent_message("Hello, this is Omar from reception.")
        self.work()
        self.env.cr.precommit.run()
        [reply] = [m for m in visitor.news() if m["author"]["id"] == self.agent_2.partner_id.id]
        self.assertEqual(self.text([reply]), "Hello, this is Omar from reception.")
        live = self.env["bus.bus"].sudo().search([("message", "like", "Omar from reception")])
        self.assertTrue(live, "the widget hears of the reply on the bus, without reloading")
        sent = conversation.guest_message_ids.filtered(lambda m: m.author_type == "agent")
        self.assertEqual((sent.delivery_status, sent.livechat_message_id.id), ("sent", reply["id"]))

        conversation.with_user(self.agent_2).message_post(
            body="VIP, upgrade if possible", message_type="comment", subtype_xmlid="mail.mt_note")
        news = visitor.say("Thank you!")
        self.assertFalse([m for m in news if m["author"]["id"] == self.bot.id], "the bot stays quiet")
        self.assertNotIn("VIP", self.text(visitor.messages()), "internal notes stay internal")
        self.assertEqual(conversation.guest_message_ids.filtered(lambda m: m.direction == "inbound")[-1].body,
                         "Thank you!")
        self.assertEqual(conversation.unread_count,
                         len(conversation.guest_message_ids.filtered(lambda m: m.direction == "inbound")))

    def test_a_claim_then_hand_back_lets_the_bot_answer_again(self):
        visitor, conversation = self._escalated()
        self.assertEqual(conversation.status, "awaiting_agent", "nobody is online: it waits")
        self.assertIn("Our team will respond shortly.", self.text(visitor.messages()))
        conversation.with_user(self.agent).action_claim()
        conversation.with_user(self.agent).send_agent_message("Maria here, how can I help?")
        self.work()
        self.assertIn("Maria here", self.text(visitor.news()))
        conversation.with_user(self.agent).action_hand_back_to_bot()
        news = visitor.say("Hello again")
        self.assertTrue([m for m in news if m["author"]["id"] == self.bot.id], "the bot is back")
        self.assertEqual(conversation.status, "bot_handling")

    def test_after_resolve_the_visitors_next_message_starts_with_the_bot(self):
        visitor, conversation = self._escalated()
        conversation.with_user(self.agent).action_claim()
        conversation.with_user(self.agent).action_resolve()
        self.assertEqual(conversation.status, "resolved")
        visitor.say("One more question")
        self.assertEqual(conversation.status, "bot_handling")
        self.assertEqual([o["id"] for o in visitor.options()], ["book", "availability", "my_reservations"])

    def test_a_new_session_of_the_same_visitor_continues_their_conversation_there(self):
        visitor = self.visitor()
        visitor.start()
        visitor.say("Hi")
        first = self.conversation_of(visitor)
        first_session = visitor.session_id
        visitor.start()
        self.assertNotEqual(visitor.session_id, first_session)
        visitor.seen = 0
        visitor.say("Hello")
        self.assertEqual(self.conversation_of(visitor), first)
        self.assertEqual(first.livechat_session_id.id, visitor.session_id, "answers go to the latest session")
        self.assertTrue([m for m in visitor.messages() if m["author"]["id"] == self.bot.id])

    def test_a_reply_to_a_session_that_is_gone_fails_where_staff_see_it(self):
        visitor = self.visitor()
        visitor.start()
        visitor.say("Hi")
        conversation = self.conversation_of(visitor)
        self.env["discuss.channel"].browse(visitor.session_id).unlink()
        self.assertFalse(conversation.livechat_session_id)
        conversation.with_user(self.agent).send_agent_message("Are you still there?")
        self.work()
        sent = conversation.guest_message_ids.filtered(lambda m: m.author_type == "agent")
        self.assertEqual((sent.delivery_status, sent.error_code), ("failed", "no_session"))
        self.assertIn("no longer exists", sent.error_message)
