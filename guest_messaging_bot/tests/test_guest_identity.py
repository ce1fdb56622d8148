from datetime import timedelta

from guestmsg.core.secretbox import PREFIX as SECRET_PREFIX
from guestmsg.testing import FakeMessagesAPI

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user, tagged

from ..lib.bot_nlu import anthropic_api_key, build_nlu, count_param
from .common import BotFixtures


@tagged("guest_messaging", "post_install", "-at_install")
class TestGuestIdentity(BotFixtures, TransactionCase):
    """A guest is who the channel says, never who they type they are."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patch_key()
        cls.setup_hotel(cls.env)

    def test_a_typed_email_never_links_an_existing_contact(self):
        victim = self.env["res.partner"].create({"name": "Victor Victim", "email": "victim@example.com"})
        conversation = self.book("34699000010", "VICTIM@example.com")
        self.assertTrue(conversation.reservation_ids)
        self.assertNotEqual(conversation.partner_id, victim)
        self.assertNotEqual(conversation.reservation_ids.partner_id, victim)
        wildcard = self.book("34699000011", "%@example.com", day=20)
        self.assertNotEqual(wildcard.partner_id, victim)

    def test_my_reservations_lists_only_what_was_booked_here_or_by_the_verified_number(self):
        victim = self.env["res.partner"].create({"name": "Victor Victim", "email": "victim@example.com"})
        theirs = self.book("34699000020", "victim@example.com", first_name="Victor", day=30)
        self.assertTrue(theirs.reservation_ids)
        # the booking of another guest is made on the victim's contact by the hotel
        theirs.reservation_ids.partner_id = victim
        attacker = "34699000021"
        self.say("Hi", guest=attacker)
        self.say(reply_id="book", guest=attacker)
        self.say("victim@example.com", guest=attacker)
        conversation = self.say(reply_id="my_reservations", guest=attacker)
        listed = " ".join(self.replies(conversation).mapped("body"))
        self.assertNotIn(theirs.reservation_ids.reservation_no, listed)
        # the victim, writing from the number on their contact, sees their booking
        victim.mobile = "+34699000022"
        conversation = self.say("Hi", guest="34699000022")
        conversation = self.say(reply_id="my_reservations", guest="34699000022")
        self.assertEqual(conversation.partner_id, victim)
        self.assertIn(theirs.reservation_ids.reservation_no, " ".join(self.replies(conversation).mapped("body")))


@tagged("guest_messaging", "post_install", "-at_install")
class TestBookingNotice(BotFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patch_key()
        cls.setup_hotel(cls.env)

    def test_a_booking_is_announced_to_the_agents_of_its_company_only(self):
        agent_groups = "base.group_user,guest_messaging.group_agent"
        ours = new_test_user(self.env, login="gm_bot_ours", groups=agent_groups)
        elsewhere = self.env["res.company"].create({"name": "Other Hotel"})
        theirs = new_test_user(self.env, login="gm_bot_theirs", groups=agent_groups, company_id=elsewhere.id,
                               company_ids=[Command.set(elsewhere.ids)])
        conversation = self.book("34699000050", "nora@example.com", first_name="Nora", day=60)
        notice = conversation.message_ids.filtered(lambda m: m.message_type == "notification")[:1]
        self.assertIn(ours.partner_id, notice.partner_ids)
        self.assertNotIn(theirs.partner_id, notice.partner_ids)


@tagged("guest_messaging", "post_install", "-at_install")
class TestGuestLimits(BotFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patch_key()
        cls.setup_hotel(cls.env)

    def test_bookings_per_day_are_capped_with_a_polite_offer_of_the_team(self):
        self.env["ir.config_parameter"].set_param("guest_messaging_bot.max_bookings_per_day", 1)
        guest = "34699000030"
        for offset, expected in ((40, 1), (50, 1)):
            self.say("Hi", guest=guest)
            self.say(reply_id="book", guest=guest)
            self.say(f"{self.day(offset)} to {self.day(offset + 1)}", guest=guest)
            self.say("1 adult", guest=guest)
            self.say(reply_id=f"room:{self.rooms[1].id}", guest=guest)
            self.say("Ana", guest=guest)
            self.say("Lopez", guest=guest)
            self.say("ana@example.com", guest=guest)
            conversation = self.say(reply_id="confirm", guest=guest)
            self.assertEqual(len(conversation.reservation_ids), expected)
        offer = self.replies(conversation)[-1]
        self.assertIn("several bookings", offer.body)
        self.assertEqual([o["id"] for o in offer.payload["options"]], ["escalate", "continue"])

    def test_limits_typed_by_hand_that_are_not_counts_fall_back(self):
        params = self.env["ir.config_parameter"]
        for typed, expected in (("abc", 3), ("-5", 0), ("2.5", 3), ("", 3), ("7", 7)):
            with self.subTest(typed=typed):
                params.set_param("guest_messaging_bot.max_bookings_per_day", typed)
                self.assertEqual(count_param(self.env, "guest_messaging_bot.max_bookings_per_day", 3), expected)

    def test_language_model_calls_per_hour_are_capped(self):
        params = self.env["ir.config_parameter"]
        params.set_param("guest_messaging_bot.max_llm_calls_per_hour", 2)
        with FakeMessagesAPI(api_key="sk-ant-limit") as claude:
            claude.responder = lambda request: {"content": [{
                "type": "tool_use", "id": "toolu_1", "name": request["tool_choice"]["name"],
                "input": {"intent": "unknown", "confidence": 0.3, "language": "en"}}],
                "stop_reason": "tool_use", "usage": {"input_tokens": 10, "output_tokens": 5}}
            params.set_param("guest_messaging_bot.anthropic_api_key", "sk-ant-limit")
            params.set_param("guest_messaging_bot.anthropic_base_url", claude.base_url)
            guest = "34699000040"
            self.say("Hello there, something odd", guest=guest)
            self.say("what about the sea view", guest=guest)
            conversation = self.say("and the garden view", guest=guest)
            self.assertEqual(len(claude.requests), 2)
            self.assertEqual(conversation.bot_llm_calls, 2)
            offer = self.replies(conversation)[-1]
            self.assertIn("a lot of messages", offer.body)
            self.assertEqual([o["id"] for o in offer.payload["options"]], ["escalate", "continue"])
            conversation.bot_llm_window_start = fields.Datetime.now() - timedelta(hours=2)
            self.say("one more question", guest=guest)
            self.assertEqual(len(claude.requests), 3, "a new hour, a new budget")


@tagged("guest_messaging", "post_install", "-at_install")
class TestClaudeKeyAtRest(BotFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patch_key()

    def test_the_key_is_write_only_and_encrypted(self):
        settings = self.env["res.config.settings"].create({"guest_bot_anthropic_api_key": "sk-ant-secret-1"})
        settings.execute()
        stored = self.env["ir.config_parameter"].get_param("guest_messaging_bot.anthropic_api_key")
        self.assertTrue(stored.startswith(SECRET_PREFIX))
        self.assertNotIn("sk-ant-secret-1", stored)
        self.assertEqual(anthropic_api_key(self.env), "sk-ant-secret-1")
        fresh = self.env["res.config.settings"].create({})
        self.assertFalse(fresh.guest_bot_anthropic_api_key)
        self.assertTrue(fresh.guest_bot_anthropic_api_key_set)
        self.assertTrue(build_nlu(self.env).uses_llm)

    def test_a_key_typed_in_system_parameters_is_encrypted_when_first_used(self):
        params = self.env["ir.config_parameter"]
        params.set_param("guest_messaging_bot.anthropic_api_key", "sk-ant-typed")
        self.assertEqual(anthropic_api_key(self.env), "sk-ant-typed")
        self.assertTrue(params.get_param("guest_messaging_bot.anthropic_api_key").startswith(SECRET_PREFIX))
        self.assertEqual(anthropic_api_key(self.env), "sk-ant-typed")
