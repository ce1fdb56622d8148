from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import BotFixtures

STAY = "a room for 2 nights starting tomorrow for 2 adults"


@tagged("guest_messaging", "post_install", "-at_install")
class TestEscalationKeywords(BotFixtures, TransactionCase):
    """A hotel's own words for asking for a person, translatable, reach the bot of its company only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patch_key()
        cls.setup_hotel(cls.env)
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.Keyword = cls.env["guest.bot.escalation.keyword"]

    def asked_for_a_person(self, conversation):
        return (conversation.bot_state, (conversation.bot_context or {}).get("escalation_reason")) == (
            "escalation_offer", "guest_request")

    def test_a_keyword_in_any_of_its_translations_offers_the_team(self):
        keyword = self.Keyword.create({"name": "night manager"})
        keyword.update_field_translations("name", {"fr_FR": "veilleur de nuit"})
        self.assertEqual(set(self.Keyword._bot_keywords(self.env.company)), {"night manager", "veilleur de nuit"})
        self.say("Bonjour", guest="34699000401")
        conversation = self.say(f"Veilleur de Nuit : {STAY}", guest="34699000401")
        self.assertTrue(self.asked_for_a_person(conversation))
        conversation = self.say(reply_id="escalate", guest="34699000401")
        self.assertEqual(conversation.status, "awaiting_agent")
        self.say("Hello", guest="34699000402")
        self.assertTrue(self.asked_for_a_person(self.say(f"night manager: {STAY}", guest="34699000402")))

    def test_without_the_keyword_the_same_message_books(self):
        self.say("Hello", guest="34699000403")
        conversation = self.say(f"night manager: {STAY}", guest="34699000403")
        self.assertFalse(self.asked_for_a_person(conversation))
        self.assertIn(conversation.bot_state, ("rooms", "guests"))

    def test_archived_keywords_and_other_companies_keywords_are_not_used(self):
        other = self.env["res.company"].create({"name": "Other hotel"})
        self.Keyword.create([{"name": "night manager", "active": False},
                             {"name": "duty manager", "company_id": other.id}])
        self.assertEqual(self.Keyword._bot_keywords(self.env.company), ())
        self.assertEqual(self.Keyword._bot_keywords(other), ("duty manager",))

    def test_unusable_keywords_are_refused(self):
        for name in ("", "  ", "ok", "a b", "!!!!", "x" * 61):
            with self.subTest(name=name), self.assertRaises(ValidationError):
                self.Keyword.create({"name": name})

    def test_a_company_has_a_bounded_number_of_keywords(self):
        self.Keyword.create([{"name": f"keyword {index}"} for index in range(200)])
        with self.assertRaises(ValidationError):
            self.Keyword.create({"name": "one too many"})

    def test_agents_cannot_see_or_change_the_keywords_and_managers_can(self):
        agent = new_test_user(self.env, login="c23_keyword_agent", groups="base.group_user,guest_messaging.group_agent")
        manager = new_test_user(self.env, login="c23_keyword_manager",
                                groups="base.group_user,guest_messaging.group_manager")
        keyword = self.Keyword.create({"name": "night manager"})
        with self.assertRaises(AccessError):
            keyword.with_user(agent).read(["name"])
        with self.assertRaises(AccessError):
            self.Keyword.with_user(agent).create({"name": "front desk"})
        self.Keyword.with_user(manager).create({"name": "front desk"})
        keyword.with_user(manager).name = "duty manager"
        self.assertEqual(set(self.Keyword._bot_keywords(self.env.company)), {"duty manager", "front desk"})
