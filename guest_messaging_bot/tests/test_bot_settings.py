import typing
from datetime import timedelta

import anthropic.types
import pytz
from guestmsg.bot.nlu.claude import DEFAULT_MODEL
from guestmsg.testing import FakeMessagesAPI

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..lib.bot_nlu import HAIKU_MODELS, anthropic_timeout, build_nlu
from .common import BotFixtures

KEY = "sk-ant-api03-settings-key"


class SettingsFixtures(BotFixtures):
    def save_settings(self, **values):
        """What Save in Settings does: create the record with the values typed, then execute it."""
        settings = self.env["res.config.settings"].create(values)
        settings.execute()
        return settings

    def settings_shown(self):
        return self.env["res.config.settings"].create({})

    def claude(self):
        """A Messages API on loopback that answers every message as not understood, aimed at by the bot."""
        fake = FakeMessagesAPI(api_key=KEY)
        fake.responder = lambda request: {"content": [{
            "type": "tool_use", "id": "toolu_1", "name": request["tool_choice"]["name"],
            "input": {"intent": "unknown", "confidence": 0.3, "language": "en"}}],
            "stop_reason": "tool_use", "usage": {"input_tokens": 10, "output_tokens": 5}}
        fake.start()
        self.addCleanup(fake.stop)
        self.env["ir.config_parameter"].set_param("guest_messaging_bot.anthropic_base_url", fake.base_url)
        return fake


@tagged("guest_messaging", "post_install", "-at_install")
class TestBotSettings(SettingsFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patch_key()
        cls.setup_hotel(cls.env)

    def test_the_key_set_in_settings_is_what_the_nlu_sends(self):
        claude = self.claude()
        self.save_settings(guest_bot_natural_language=True, guest_bot_anthropic_api_key=f"  {KEY}  ")
        self.say("Hello there, something odd", guest="34699000301")
        self.assertEqual(len(claude.requests), 1)
        self.assertEqual(claude.requests[0].bearer, KEY)
        self.assertEqual(claude.requests[0].json["model"], DEFAULT_MODEL)

    def test_natural_language_off_means_the_offline_parser_even_with_a_key(self):
        claude = self.claude()
        self.save_settings(guest_bot_natural_language=False, guest_bot_anthropic_api_key=KEY)
        self.assertFalse(self.settings_shown().guest_bot_natural_language)
        self.assertTrue(self.settings_shown().guest_bot_anthropic_api_key_set)
        self.assertFalse(build_nlu(self.env).uses_llm)
        self.say("Hello there, something odd", guest="34699000302")
        self.assertEqual(claude.requests, [])
        self.save_settings(guest_bot_natural_language=True)
        self.assertTrue(build_nlu(self.env).uses_llm)

    def test_when_claude_fails_the_offline_parser_answers(self):
        claude = self.claude()
        self.save_settings(guest_bot_anthropic_api_key=KEY)
        claude.fail_next(529, "overloaded_error", n=5)
        with mute_logger("guestmsg.bot.nlu.claude"):
            self.say("Hi", guest="34699000305")
            self.say(reply_id="book", guest="34699000305")
            conversation = self.say(f"{self.day(10)} to {self.day(12)}, 2 adults", guest="34699000305")
        self.assertEqual(conversation.bot_state, "rooms")
        self.assertTrue(claude.requests, "Claude was asked first")

    def test_natural_language_is_on_until_turned_off(self):
        self.env["ir.config_parameter"].set_param("guest_messaging_bot.natural_language", False)
        self.assertTrue(self.settings_shown().guest_bot_natural_language)

    def test_another_model_and_the_timeout_reach_the_call(self):
        claude = self.claude()
        self.save_settings(guest_bot_anthropic_api_key=KEY, guest_bot_anthropic_model="other",
                           guest_bot_anthropic_model_other=" claude-haiku-4-5-20251001 ", guest_bot_anthropic_timeout=3)
        shown = self.settings_shown()
        self.assertEqual((shown.guest_bot_anthropic_model, shown.guest_bot_anthropic_model_other,
                          shown.guest_bot_anthropic_timeout), ("other", "claude-haiku-4-5-20251001", 3.0))
        self.assertEqual(build_nlu(self.env).inner.timeout, 3.0)
        self.say("Hello there, something odd", guest="34699000303")
        self.assertEqual(claude.requests[0].json["model"], "claude-haiku-4-5-20251001")
        self.save_settings(guest_bot_anthropic_model="claude-haiku-4-5")
        shown = self.settings_shown()
        self.assertEqual((shown.guest_bot_anthropic_model, shown.guest_bot_anthropic_model_other),
                         ("claude-haiku-4-5", False))

    def test_the_models_offered_are_haiku_models_the_sdk_knows(self):
        known = typing.get_args(typing.get_args(anthropic.types.Model)[0])
        ids = [model for model, _label in HAIKU_MODELS]
        self.assertEqual(ids[0], DEFAULT_MODEL)
        for model in ids:
            self.assertIn("haiku", model)
            self.assertIn(model, known)

    def test_hostile_model_ids_and_timeouts_are_refused(self):
        for model in ("", "claude haiku", "claude-haiku\n-x", "../../v1/files", "x" * 101, "<script>"):
            with self.subTest(model=model), self.assertRaises(ValidationError):
                self.save_settings(guest_bot_anthropic_model="other", guest_bot_anthropic_model_other=model)
        for seconds in (0, -5, 0.5, 61, 1e9):
            with self.subTest(seconds=seconds), self.assertRaises(ValidationError):
                self.save_settings(guest_bot_anthropic_timeout=seconds)
        self.assertEqual(self.settings_shown().guest_bot_anthropic_model, DEFAULT_MODEL)

    def test_parameters_typed_by_hand_fall_back_to_what_the_bot_uses(self):
        params = self.env["ir.config_parameter"]
        params.set_param("guest_messaging_bot.anthropic_model", "not a model; drop table")
        params.set_param("guest_messaging_bot.check_in_hour", "25")
        params.set_param("guest_messaging_bot.check_out_hour", "eleven")
        for typed, expected in (("abc", 8.0), ("-3", 8.0), ("nan", 8.0), ("inf", 8.0), ("0.2", 1.0), ("600", 60.0),
                                ("2.5", 2.5)):
            with self.subTest(typed=typed):
                params.set_param("guest_messaging_bot.anthropic_timeout", typed)
                self.assertEqual(anthropic_timeout(self.env), expected)
        params.set_param("guest_messaging_bot.anthropic_timeout", "abc")
        with mute_logger("odoo.addons.base.models.res_config"):
            shown = self.settings_shown()
        self.assertEqual((shown.guest_bot_anthropic_model, shown.guest_bot_anthropic_timeout), (DEFAULT_MODEL, 8.0))
        self.assertEqual((shown.guest_bot_check_in_hour, shown.guest_bot_check_out_hour), ("14", "11"))

    def test_the_hours_of_settings_are_the_ones_the_bot_books_and_answers_with(self):
        self.env.company.partner_id.tz = "Europe/Madrid"
        self.save_settings(guest_bot_check_in_hour="16", guest_bot_check_out_hour="10")
        shown = self.settings_shown()
        self.assertEqual((shown.guest_bot_check_in_hour, shown.guest_bot_check_out_hour), ("16", "10"))
        reservation = self.book("34699000304", "hours@example.com").reservation_ids
        madrid = pytz.timezone("Europe/Madrid")
        self.assertEqual(pytz.UTC.localize(reservation.checkin).astimezone(madrid).hour, 16)
        self.assertEqual(pytz.UTC.localize(reservation.checkout).astimezone(madrid).hour, 10)
        entry = self.env["guest.knowledge.entry"].create({
            "name": "When is check-in?", "answer": "From {check_in_time}, out by {check_out_time}."})
        answers = {e.key: e.answer for e in
                   self.env["guest.knowledge.entry"]._bot_entries(self.env.company, self.connection, None)}
        self.assertEqual(answers[str(entry.id)], "From 16:00, out by 10:00.")

    def test_a_hostile_secret_is_refused_and_nothing_is_stored(self):
        for secret in ("sk-ant with spaces", "sk-ant\nx-api-key: other", "k" * 513, "sk-ant-é"):
            with self.subTest(secret=secret[:20]), self.assertRaises(UserError):
                self.save_settings(guest_bot_anthropic_api_key=secret)
        self.assertFalse(self.settings_shown().guest_bot_anthropic_api_key_set)

    def test_the_stored_key_can_be_removed(self):
        self.save_settings(guest_bot_anthropic_api_key=KEY)
        self.settings_shown().action_guest_bot_forget_anthropic_key()
        self.assertFalse(self.settings_shown().guest_bot_anthropic_api_key_set)
        self.assertFalse(build_nlu(self.env).uses_llm)

    def test_an_empty_key_field_keeps_the_stored_key(self):
        self.save_settings(guest_bot_anthropic_api_key=KEY)
        self.save_settings(guest_bot_anthropic_api_key="   ", guest_bot_max_bookings_per_day=5)
        self.assertTrue(self.settings_shown().guest_bot_anthropic_api_key_set)


@tagged("guest_messaging", "post_install", "-at_install")
class TestTimeoutSettings(SettingsFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patch_key()
        cls.setup_hotel(cls.env)

    def _conversation(self, guest, status, minutes_ago):
        conversation = self.say("Hi", guest=guest)
        at = fields.Datetime.now() - timedelta(minutes=minutes_ago)
        self.env.flush_all()
        self.env.cr.execute("UPDATE guest_conversation SET status = %s, last_message_at = %s, escalated_at = %s "
                            "WHERE id = %s", (status, at, at if status == "awaiting_agent" else None, conversation.id))
        conversation.invalidate_recordset()
        return conversation

    def test_the_cron_uses_the_timeouts_of_settings(self):
        self.save_settings(guest_bot_idle_timeout=15, guest_unclaimed_timeout=5)
        idle = self._conversation("34699000311", "bot_handling", 16)
        active = self._conversation("34699000312", "bot_handling", 14)
        waiting = self._conversation("34699000313", "awaiting_agent", 6)
        recent = self._conversation("34699000314", "awaiting_agent", 4)
        self.env["guest.conversation"]._cron_conversation_timeouts()
        self.assertEqual((idle.status, active.status), ("expired", "bot_handling"))
        self.assertEqual((waiting.status, recent.status), ("bot_handling", "awaiting_agent"))
        self.assertIn("after 15 minutes", idle.guest_message_ids[-1].body)
        self.assertIn("within 5 minutes", waiting.guest_message_ids.filtered(
            lambda m: m.author_type == "system")[-1].body)

    def test_unusable_timeouts_fall_back_to_the_spec(self):
        params = self.env["ir.config_parameter"]
        for typed in ("0", "-5", "abc", "2.5", False):
            with self.subTest(typed=typed), mute_logger("odoo.addons.base.models.res_config"):
                params.set_param("guest_messaging.bot_idle_timeout_minutes", typed)
                params.set_param("guest_messaging.unclaimed_timeout_minutes", typed)
                shown = self.settings_shown()
                self.assertEqual((shown.guest_bot_idle_timeout, shown.guest_unclaimed_timeout), (60, 30))
        idle = self._conversation("34699000321", "bot_handling", 61)
        active = self._conversation("34699000322", "bot_handling", 59)
        waiting = self._conversation("34699000323", "awaiting_agent", 31)
        self.env["guest.conversation"]._cron_conversation_timeouts()
        self.assertEqual((idle.status, active.status, waiting.status), ("expired", "bot_handling", "bot_handling"))
        params.set_param("guest_messaging.bot_idle_timeout_minutes", "99999999")
        self.assertEqual(self.settings_shown().guest_bot_idle_timeout, 7 * 24 * 60)

    def test_settings_refuse_timeouts_out_of_range(self):
        for minutes in (0, -5, 7 * 24 * 60 + 1):
            with self.subTest(minutes=minutes), self.assertRaises(ValidationError):
                self.save_settings(guest_bot_idle_timeout=minutes)
            with self.subTest(minutes=minutes), self.assertRaises(ValidationError):
                self.save_settings(guest_unclaimed_timeout=minutes)


@tagged("guest_messaging", "post_install", "-at_install")
class TestSettingsAccess(SettingsFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patch_key()
        cls.agent = new_test_user(cls.env, login="c23_settings_agent",
                                  groups="base.group_user,guest_messaging.group_agent")
        cls.manager = new_test_user(cls.env, login="c23_settings_manager",
                                    groups="base.group_user,guest_messaging.group_manager")
        cls.admin = new_test_user(cls.env, login="c23_settings_admin", groups="base.group_system")

    def test_only_settings_administrators_reach_the_bot_settings(self):
        self.save_settings(guest_bot_anthropic_api_key=KEY)
        fields_read = ["guest_bot_anthropic_api_key", "guest_bot_anthropic_model", "guest_bot_check_in_hour",
                       "guest_bot_idle_timeout", "guest_bot_natural_language"]
        for user in (self.agent, self.manager):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.env["res.config.settings"].with_user(user).create({})
                with self.assertRaises(AccessError):
                    self.settings_shown().with_user(user).read(fields_read)
                with self.assertRaises(AccessError):
                    self.env["ir.config_parameter"].with_user(user).search_read(
                        [("key", "like", "guest_messaging_bot.")], ["value"])
                with self.assertRaises(AccessError):
                    self.settings_shown().with_user(user).action_guest_bot_test_claude()
        read = self.env["res.config.settings"].with_user(self.admin).create({}).read(fields_read)[0]
        self.assertFalse(read["guest_bot_anthropic_api_key"])
        self.assertEqual(read["guest_bot_idle_timeout"], 60)

    def test_the_key_cannot_be_searched_for(self):
        self.save_settings(guest_bot_anthropic_api_key=KEY)
        Settings = self.env["res.config.settings"].with_user(self.admin)
        with mute_logger("odoo.osv.expression"):
            self.assertEqual(Settings.search_count([("guest_bot_anthropic_api_key", "=", KEY)]),
                             Settings.search_count([("guest_bot_anthropic_api_key", "=", "sk-ant-wrong-guess")]))

    def test_settings_values_cannot_be_read_through_their_public_methods(self):
        self.save_settings(guest_bot_check_in_hour="16")
        settings = self.settings_shown()
        for user in (self.agent, self.manager):
            for call in (lambda s: s.default_get(["guest_bot_check_in_hour", "guest_bot_idle_timeout"]),
                         lambda s: s.get_values(),
                         lambda s: s.onchange({}, [], {"guest_bot_check_in_hour": {}}),
                         lambda s: s.set_values()):
                with self.subTest(user=user.login), self.assertRaises(AccessError):
                    call(settings.with_user(user))
        self.assertEqual(settings.with_user(self.admin).get_values()["guest_bot_check_in_hour"], "16")
