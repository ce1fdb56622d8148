import json

from guestmsg.channels.website_chat import TEXT_MAX, html_to_text

from odoo.tests import JsonRpcException, tagged

from .common import WebsiteChatCase


@tagged("guest_messaging", "post_install", "-at_install")
class TestWebsiteChatHostile(WebsiteChatCase):
    """Anyone on the internet can open the website's chat: what they send is bounded, read as text, and
    reaches nobody else's conversation."""

    def _limit(self, key, hits):
        self.env["ir.config_parameter"].set_param(f"guest_messaging_livechat.{key}", hits)

    def _visitor_posts(self, session_id):
        session = self.env["discuss.channel"].browse(session_id)
        return session.message_ids.filtered(lambda m: m.author_guest_id or m.author_id != self.bot)

    def test_a_message_over_the_size_limit_is_refused_and_nothing_is_kept(self):
        visitor = self.visitor()
        visitor.start()
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            visitor.post("a" * (TEXT_MAX + 1))
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            visitor.post("<b>" * 30000)
        self.env.invalidate_all()
        self.assertFalse(self.website_events())
        self.assertFalse(self._visitor_posts(visitor.session_id))
        visitor.post("a" * TEXT_MAX)
        self.assertEqual(len(self.website_events()), 1, "a message at the limit goes through")

    def test_messages_per_visitor_are_rate_limited(self):
        self._limit("visitor_messages_per_minute", 3)
        visitor, other = self.visitor(), self.visitor()
        visitor.start()
        other.start()
        for n in range(3):
            visitor.post(f"message {n}")
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            visitor.post("one too many")
        other.post("I am someone else")
        self.assertEqual(len(self.website_events()), 4)
        self.work()
        self.assertEqual(len(self.conversation_of(visitor).guest_message_ids.filtered(
            lambda m: m.direction == "inbound")), 3)

    def test_messages_per_address_are_rate_limited(self):
        self._limit("address_messages_per_minute", 4)
        first, second = self.visitor(), self.visitor()
        first.start()
        second.start()
        for _n in range(2):
            first.post("from the first tab")
            second.post("from the second tab")
        for visitor in (first, second):
            with self.assertRaisesRegex(JsonRpcException, "UserError"):
                visitor.post("same address, one too many")
        self.assertEqual(len(self.website_events()), 4)

    def test_sessions_per_address_are_rate_limited(self):
        self._limit("address_sessions_per_hour", 3)
        for _n in range(3):
            self.visitor().start()
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            self.visitor().start()
        preview = self.visitor().start(persisted=False)
        self.assertEqual(preview["discuss.channel"][0]["operator"]["id"], self.bot.id,
                         "the widget still opens; only new sessions wait")
        self.assertEqual(self.env["discuss.channel"].search_count([("livechat_channel_id", "=", self.livechat.id)]), 3)

    def test_a_flood_of_visitors_waits_behind_the_platforms_webhooks(self):
        for n in range(12):
            visitor = self.visitor(name=f"Flood {n}")
            visitor.start()
            visitor.post("spam")
        self.connection.sandbox_send(self.connection.id, "sandbox-guest", text="Hi, I booked by WhatsApp")
        sandbox_event = self.Event.search([("channel_type", "=", "sandbox")])
        self.assertGreater(self.website_events("pending")[-1].id, 0)
        self.assertLess(self.website_events("pending")[-1].id, sandbox_event.id, "the flood came first")
        self.Event._cron_process_webhook_events(batch_size=5)
        self.assertEqual(sandbox_event.state, "done", "the platform's event did not wait for the flood")
        self.assertEqual(len(self.website_events("done")), 4)
        self.assertEqual(len(self.website_events("pending")), 8)
        self.Event._cron_process_webhook_events(batch_size=50)
        self.assertFalse(self.website_events("pending"), "the visitors are answered next")

    def test_html_and_markdown_are_text_both_ways(self):
        visitor = self.visitor()
        visitor.start()
        visitor.post('<b>bold</b> <img src="x" onerror="alert(1)"> **md** &lt;i&gt;typed&lt;/i&gt;')
        self.work()
        conversation = self.conversation_of(visitor)
        inbound = conversation.guest_message_ids.filtered(lambda m: m.direction == "inbound")
        self.assertEqual(inbound.body, "bold **md** <i>typed</i>")
        conversation.with_user(self.agent).send_agent_message("<script>alert(1)</script> **not bold** <b>nor</b>")
        self.work()
        posted = conversation.guest_message_ids.filtered(lambda m: m.author_type == "agent").livechat_message_id
        self.assertNotIn("<script", posted.body)
        self.assertNotIn("<b>", posted.body)
        self.assertIn("&lt;script&gt;", posted.body)
        [seen] = [m for m in visitor.news() if m["id"] == posted.id]
        self.assertEqual(html_to_text(seen["body"]), "<script>alert(1)</script> **not bold** <b>nor</b>")

    def test_nobody_but_the_visitor_writes_in_the_session(self):
        visitor, intruder = self.visitor(), self.visitor()
        visitor.start()
        intruder.start()
        visitor.say("Hi")
        with self.assertRaises(JsonRpcException):
            intruder.post("let me in", session_id=visitor.session_id)
        with self.assertRaises(JsonRpcException):
            intruder.messages(session_id=visitor.session_id)
        # staff write from the inbox, not in Live Chat's session, which the inbox would not show
        staff = self.visitor(cors=False)
        staff.session_id = visitor.session_id
        self.authenticate("admin", "admin")
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            staff.post("Hello from Discuss")
        self.assertEqual(len(self.website_events()), 1)

    def test_a_forged_event_reaches_no_other_visitors_conversation(self):
        visitor, intruder = self.visitor(), self.visitor()
        visitor.start()
        intruder.start()
        visitor.say("Hi")
        intruder.post("I am the other visitor")
        self.env.invalidate_all()
        intruder_post = self._visitor_posts(intruder.session_id)
        victim_conversation = self.conversation_of(visitor)
        count = len(victim_conversation.guest_message_ids)
        victim_key = victim_conversation.guest_external_id
        for session_id, visitor_key in ((visitor.session_id, victim_key), (visitor.session_id, "guest-999999"),
                                        (intruder.session_id, victim_key), ("1", victim_key), (True, victim_key)):
            self.Event.sudo()._store("website_chat", json.dumps({
                "session_id": session_id, "message_id": intruder_post.id, "visitor": visitor_key,
                "text": "show me the reservations", "reply_id": "my_reservations"}).encode(),
                connection=self.website_chat)
        self.Event.sudo()._store("website_chat", b'["not", "an", "object"]', connection=self.website_chat)
        self.work()
        self.assertEqual(len(victim_conversation.guest_message_ids), count)
        self.assertEqual(set(self.website_events().mapped("message_count")), {0, 1})
        self.assertFalse(self.website_events().filtered(lambda e: e.state != "done"))

    def test_a_spoofed_outbox_mark_is_still_the_visitors_message(self):
        visitor = self.visitor()
        visitor.start()
        visitor.post("Hi", context={"guest_messaging_livechat_outbound": {"message_id": 1}})
        self.assertEqual(len(self.website_events()), 1)

    def test_an_option_the_bot_did_not_offer_is_not_obeyed(self):
        visitor = self.visitor()
        visitor.start()
        visitor.say("Hi")
        visitor.post("Confirm", reply_id="confirm")
        visitor.post("Room", reply_id=f"room:{self.rooms[0].id}")
        self.work()
        self.assertFalse(self.conversation_of(visitor).reservation_ids)
        self.assertFalse(self.env["hotel.reservation"].search([("reservation_line.reserve", "in", self.rooms.ids)]))

    def test_a_typed_email_never_links_a_visitor_to_someone_elses_bookings(self):
        victim = self.env["res.partner"].create({"name": "Victor Victim", "email": "victim@example.com"})
        visitor = self.visitor()
        visitor.start()
        visitor.say("Hi")
        visitor.say(option="book")
        visitor.say(f"{self.day(10)} to {self.day(12)}")
        visitor.say("2 adults")
        visitor.say(option=f"room:{self.rooms[0].id}")
        visitor.say("Eve")
        visitor.say("Smith")
        visitor.say("VICTIM@example.com")
        visitor.say(option="confirm")
        conversation = self.conversation_of(visitor)
        self.assertTrue(conversation.reservation_ids)
        self.assertNotEqual(conversation.partner_id, victim)
        self.assertNotEqual(conversation.reservation_ids.partner_id, victim)
        # another visitor typing the same email sees none of the first one's bookings
        other = self.visitor()
        other.start()
        other.say("Hi")
        other.say("victim@example.com")
        listed = self.text(other.say(option="my_reservations"))
        self.assertNotIn(conversation.reservation_ids.reservation_no, listed)

    def test_a_deleted_bot_contact_is_replaced_before_the_next_session(self):
        self.bot.unlink()
        visitor = self.visitor()
        visitor.start()
        news = visitor.say("Hi")
        bot = self.website_chat.livechat_bot_partner_id
        self.assertTrue(bot)
        self.assertEqual(self.env["discuss.channel"].browse(visitor.session_id).livechat_operator_id, bot)
        self.assertTrue([m for m in news if m["author"]["id"] == bot.id])
