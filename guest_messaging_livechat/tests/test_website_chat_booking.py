from odoo.tests import tagged

from .common import WebsiteChatCase


@tagged("guest_messaging", "post_install", "-at_install")
class TestWebsiteChatBooking(WebsiteChatCase):
    """A visitor books a room in the widget, through Live Chat's own routes."""

    def test_a_visitor_books_a_room_with_the_buttons(self):
        visitor = self.visitor(cors=False)
        visitor.start()
        session = self.env["discuss.channel"].browse(visitor.session_id)
        self.assertEqual(session.livechat_operator_id, self.bot, "the bot operates the session, nobody is online")
        visitor.post("Hello")
        # the visitor's request only stored the message
        self.assertEqual(len(self.website_events("pending")), 1)
        self.assertFalse(self.Conversation.search([("channel_type", "=", "website_chat")]))
        self.work()
        greeting = visitor.news()
        self.assertEqual([m["author"]["id"] for m in greeting[1:]], [self.bot.id] * (len(greeting) - 1))
        self.assertIn("Welcome to Hotel Test!", self.text(greeting))
        menu = visitor.options()
        self.assertEqual([o["id"] for o in menu], ["book", "availability", "my_reservations"])

        self.assertIn("when would you like to stay", self.text(visitor.say(option="book")).lower())
        visitor.say(f"{self.day(10)} to {self.day(12)}")
        rooms = visitor.say("2 adults")
        offered = visitor.options()
        room = next(o for o in offered if o["id"] == f"room:{self.rooms[0].id}")
        self.assertEqual(room["title"], "Bot-101")
        self.assertIn("90", room["description"], "a room's price shows under its name")
        self.assertTrue(rooms)
        visitor.say(option=room["id"])
        visitor.say("Ana")
        visitor.say("García")
        summary = visitor.say("ana@example.com")
        self.assertIn("Bot-101", self.text(summary))
        self.assertEqual([o["id"] for o in visitor.options()], ["confirm", "change", "cancel"])
        confirmed = visitor.say(option="confirm")

        conversation = self.conversation_of(visitor)
        reservation = conversation.reservation_ids
        self.assertEqual(len(reservation), 1)
        self.assertEqual(reservation.state, "confirm")
        self.assertEqual(reservation.reservation_line.reserve, self.rooms[0])
        self.assertEqual(reservation.partner_id.email, "ana@example.com")
        self.assertIn(reservation.reservation_no, self.text(confirmed))
        self.assertFalse(visitor.options(), "nothing is left to click")
        # every exchange is in the conversation, in order, and each of the widget's messages is one of them
        inbound = conversation.guest_message_ids.filtered(lambda m: m.direction == "inbound")
        self.assertEqual(inbound.mapped("body")[:2], ["Hello", menu[0]["title"]])
        self.assertEqual(inbound[1].payload, {"reply_id": "book"})
        outbound = conversation.guest_message_ids.filtered(lambda m: m.author_type == "bot")
        self.assertEqual(set(outbound.mapped("delivery_status")), {"sent"})
        self.assertTrue(all(outbound.mapped("livechat_message_id")))
        self.assertEqual(len(self.website_events()), len(inbound), "the bot's own posts never come back in")

    def test_the_conversation_is_in_the_inbox_like_any_other(self):
        visitor = self.visitor()
        visitor.start()
        visitor.say("Hi there")
        inbox = self.env["guest.inbox"].with_user(self.agent)
        vocabulary = inbox.load_vocabulary()
        self.assertIn({"code": "website_chat", "label": "Website chat", "icon": "fa-globe"}, vocabulary["channels"])
        rows = inbox.load_conversations(channel="website_chat")["conversations"]
        conversation = self.conversation_of(visitor)
        self.assertEqual([r["id"] for r in rows], conversation.ids)
        self.assertEqual((rows[0]["status"], rows[0]["unread"], rows[0]["name"]), ("bot_handling", 1, "Visitor"))
        guest = self.env["discuss.channel"].browse(visitor.session_id).channel_member_ids.guest_id
        self.assertEqual(conversation.guest_external_id, f"guest-{guest.id}")
        self.assertFalse(conversation.guest_phone, "no phone number is assumed")

    def test_a_logged_in_portal_user_is_their_own_contact(self):
        portal = self.env["res.users"].create({
            "name": "Paula Portal", "login": "gm_web_portal", "password": "gm_web_portal", "email": "paula@example.com",
            "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])]})
        self.authenticate("gm_web_portal", "gm_web_portal")
        visitor = self.visitor(cors=False)
        visitor.start()
        visitor.say("Hello")
        conversation = self.conversation_of(visitor)
        self.assertEqual(conversation.guest_external_id, f"partner-{portal.partner_id.id}")
        self.assertEqual(conversation.partner_id, portal.partner_id)
        self.assertEqual(conversation.guest_name, "Paula Portal")
