from datetime import timedelta

from guestmsg.channels.capabilities import Option, OptionList, resolve_reply
from guestmsg.channels.meta_social.webhook import SUBSCRIBED_FIELDS as PAGE_FIELDS

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import PAGE_ID, SocialMixin

ROOMS = tuple(Option(f"room-{n}", f"Room {n}", f"€{90 + n}/night · 2 guests") for n in range(3))


@tagged("guest_messaging")
class TestPageOutbox(SocialMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_social()
        cls.setup_fake_graph()
        Conversation = cls.env["guest.conversation"]
        cls.on_messenger = Conversation.create({"connection_id": cls.messenger.id, "guest_external_id": "PSID-O"})
        cls.on_instagram = Conversation.create({"connection_id": cls.instagram.id, "guest_external_id": "IGSID-O"})

    def setUp(self):
        super().setUp()
        self.graph.clear_requests()
        self.wrote(hours=1)

    def wrote(self, hours):
        (self.on_messenger | self.on_instagram).sudo().last_inbound_at = fields.Datetime.now() - timedelta(hours=hours)

    def test_an_agent_reply_inside_24_hours_is_a_response(self):
        message_id = self.on_messenger.with_user(self.agent).send_agent_message("Sí, tenemos sitio.")
        self.send_outbox()
        [sent] = self.graph.sent_page_messages(PAGE_ID)
        message = self.env["guest.message"].browse(message_id)
        self.assertEqual(sent, {"recipient": {"id": "PSID-O"}, "messaging_type": "RESPONSE",
                                "message": {"text": "Sí, tenemos sitio.", "metadata": f"guest_messaging:{message_id}"}})
        self.assertEqual(message.delivery_status, "sent")
        self.assertTrue(message.platform_message_id.startswith("m_"))

    def test_after_24_hours_only_a_person_replies_with_the_human_agent_tag(self):
        self.wrote(hours=72)
        header = self.env["guest.inbox"].with_user(self.agent)._header(self.on_messenger)
        self.assertTrue(header["in_service_window"])
        self.on_messenger.with_user(self.agent).send_agent_message("Your room is ready.")
        bot = self.on_messenger._queue_outbound([{"author_type": "bot", "body": "Anything else?"}])
        self.send_outbox()
        [sent] = self.graph.sent_page_messages(PAGE_ID)
        self.assertEqual((sent["messaging_type"], sent["tag"]), ("MESSAGE_TAG", "HUMAN_AGENT"))
        self.assertEqual((bot.delivery_status, bot.error_code), ("failed", "window_closed"))
        self.assertIn("not automated messages", bot.error_message)

    def test_after_7_days_nothing_goes_and_the_inbox_says_why(self):
        self.wrote(hours=8 * 24)
        header = self.env["guest.inbox"].with_user(self.agent)._header(self.on_instagram)
        self.assertFalse(header["in_service_window"])
        self.assertIn("no reply more than 7 days", header["reply_refusal"])
        with self.assertRaisesRegex(UserError, "no reply more than 7 days"):
            self.on_instagram.with_user(self.agent).send_agent_message("Hello?")
        self.assertFalse(self.graph.sent_page_messages())

    def test_room_choices_are_cards_on_messenger_and_quick_replies_on_instagram(self):
        choice = OptionList("Three rooms are free:", "Choose a room", ROOMS)
        self.on_messenger._queue_rich(choice)
        self.on_instagram._queue_rich(choice)
        self.send_outbox()
        question, cards = self.graph.sent_page_messages(PAGE_ID)[:2]
        self.assertEqual(question["message"]["text"], "Three rooms are free:")
        payload = cards["message"]["attachment"]["payload"]
        self.assertEqual(payload["template_type"], "generic")
        self.assertEqual([(e["title"], e["subtitle"], e["buttons"][0]["payload"]) for e in payload["elements"]],
                         [(o.title, o.description, o.id) for o in ROOMS])
        instagram = self.graph.sent_page_messages(PAGE_ID)[2]
        self.assertEqual(instagram["recipient"], {"id": "IGSID-O"})
        self.assertEqual([q["payload"] for q in instagram["message"]["quick_replies"]], [o.id for o in ROOMS])

    def test_too_many_options_for_instagram_become_numbered_text_and_a_typed_number_works(self):
        rooms = tuple(Option(f"room-{n}", f"Room {n}") for n in range(15))
        [message] = self.on_instagram._queue_rich(OptionList("Pick one:", "Rooms", rooms))
        self.send_outbox()
        [sent] = self.graph.sent_page_messages(PAGE_ID)
        self.assertIn("15. Room 14", sent["message"]["text"])
        options = [Option(o["id"], o["title"]) for o in message.payload["options"]]
        self.assertEqual(resolve_reply("7", options).id, "room-6")

    def test_a_message_meta_would_refuse_fails_before_the_call(self):
        self.on_instagram.sudo()._queue_outbound([{"author_type": "agent", "body": "é" * 600}])
        self.send_outbox()
        message = self.on_instagram.guest_message_ids[-1]
        self.assertEqual((message.delivery_status, message.error_code), ("failed", "invalid_message"))
        self.assertFalse(self.graph.sent_page_messages())

    def test_an_image_goes_by_url_and_a_bad_url_is_refused_before_queueing(self):
        self.on_messenger.with_user(self.agent).sudo()._queue_page_image("https://cdn.example/room-12.jpg")
        self.send_outbox()
        [sent] = self.graph.sent_page_messages(PAGE_ID)
        self.assertEqual(sent["message"]["attachment"], {
            "type": "image", "payload": {"url": "https://cdn.example/room-12.jpg"}})
        for link in ("ftp://x/y.jpg", "javascript:alert(1)", "", "https://" + "x" * 5000):
            with self.subTest(link=link[:30]), self.assertRaises(UserError):
                self.on_messenger._queue_page_image(link)

    def test_the_test_button_checks_the_page(self):
        self.env["ir.config_parameter"].sudo().set_param("guest_messaging.meta_app_id", "1000")
        self.env["guest.channel.connection"]._set_platform_app_secret("platform-secret")
        self.graph.set_token_state("PAGE-TOKEN", scopes=("pages_messaging", "pages_manage_metadata",
                                                         "instagram_manage_messages"))
        self.graph.add_page(PAGE_ID, name="Hotel Page", access_token="PAGE-TOKEN", instagram_account_id="999")
        result = self.instagram.action_test_connection()
        self.assertEqual(result["params"]["title"], "Some checks failed")
        self.assertIn("not linked to the Instagram account", result["params"]["message"])
        self.assertIn("not subscribed", result["params"]["message"])
        self.graph.subscriptions[PAGE_ID] = {"subscribed_fields": ["messages", "messaging_postbacks"]}
        result = self.messenger.action_test_connection()
        self.assertEqual(result["params"]["title"], "Some checks failed")
        self.assertIn("✘ webhooks: Meta does not send message_echoes, message_deliveries, message_reads, "
                      "message_reactions of this Page to the app", result["params"]["message"])
        self.assertTrue(self.messenger._check_ok(), "the Page's messages still arrive")
        self.graph.subscriptions[PAGE_ID] = {"subscribed_fields": list(PAGE_FIELDS)}
        self.assertEqual(self.messenger.action_test_connection()["params"]["title"], "The connection works")
