import socket

from guestmsg.testing import FakeMessagesAPI

from odoo.tests import TransactionCase, tagged

from .test_bot_settings import KEY, SettingsFixtures


@tagged("guest_messaging", "post_install", "-at_install")
class TestClaudeTestButton(SettingsFixtures, TransactionCase):
    """The Test button of Settings makes one real call with the anthropic client to a Messages API on loopback."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patch_key()

    def setUp(self):
        super().setUp()
        self.api = FakeMessagesAPI(api_key=KEY)
        self.api.start()
        self.addCleanup(self.api.stop)
        self.env["ir.config_parameter"].set_param("guest_messaging_bot.anthropic_base_url", self.api.base_url)

    def press_test(self):
        notification = self.settings_shown().action_guest_bot_test_claude()
        self.assertEqual(notification["tag"], "display_notification")
        return notification["params"]

    def test_success_says_how_long_the_call_took(self):
        self.save_settings(guest_bot_natural_language=True, guest_bot_anthropic_api_key=KEY)
        result = self.press_test()
        self.assertEqual((result["type"], result["title"]), ("success", "Claude works"))
        self.assertRegex(result["message"], r"^Claude answered in \d+ ms with claude-haiku-5-5: the key, the model "
                                            r"and the network work\.$")
        request = self.api.requests[-1].json
        self.assertEqual((request["model"], request["max_tokens"]), ("claude-haiku-5-5", 1))
        self.assertEqual(self.api.requests[-1].bearer, KEY)

    def test_a_refused_key_is_named(self):
        self.save_settings(guest_bot_anthropic_api_key="sk-ant-api03-revoked")
        result = self.press_test()
        self.assertEqual((result["type"], result["sticky"]), ("danger", True))
        self.assertIn("refused the API key (401)", result["message"])
        self.assertNotIn("sk-ant-api03-revoked", result["message"])

    def test_an_unknown_model_is_named(self):
        self.save_settings(guest_bot_anthropic_api_key=KEY, guest_bot_anthropic_model="other",
                           guest_bot_anthropic_model_other="claude-haiku-9")
        self.api.fail_next(404, "not_found_error", "model: claude-haiku-9")
        result = self.press_test()
        self.assertIn("does not know the model claude-haiku-9 (404)", result["message"])

    def test_a_timeout_is_told_with_the_seconds_waited(self):
        self.save_settings(guest_bot_anthropic_api_key=KEY, guest_bot_anthropic_timeout=1)
        self.api.delay_next(4)
        result = self.press_test()
        self.assertIn("did not answer within 1 seconds", result["message"])
        self.assertIn("127.0.0.1", result["message"])

    def test_no_server_listening_is_a_network_error(self):
        self.save_settings(guest_bot_anthropic_api_key=KEY)
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))
            port = closed.getsockname()[1]
        self.env["ir.config_parameter"].set_param("guest_messaging_bot.anthropic_base_url", f"http://127.0.0.1:{port}")
        result = self.press_test()
        self.assertIn("could not be reached", result["message"])

    def test_other_api_errors_give_the_api_s_words(self):
        self.save_settings(guest_bot_anthropic_api_key=KEY)
        self.api.fail_next(529, "overloaded_error", "Overloaded")
        result = self.press_test()
        self.assertEqual(result["message"], "Claude answered with an error (529): Overloaded")

    def test_without_a_key_nothing_is_called(self):
        result = self.press_test()
        self.assertIn("No Claude API key is stored", result["message"])
        self.assertEqual(self.api.requests, [])

    def test_natural_language_off_is_mentioned(self):
        self.save_settings(guest_bot_natural_language=False, guest_bot_anthropic_api_key=KEY)
        result = self.press_test()
        self.assertEqual(result["type"], "success")
        self.assertIn("Natural language is off", result["message"])
