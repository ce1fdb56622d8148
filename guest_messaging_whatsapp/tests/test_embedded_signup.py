from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from .common import WhatsAppMixin

APP_ID, APP_SECRET = "1000", "platform-secret"
SCOPES = ("whatsapp_business_messaging", "whatsapp_business_management")


@tagged("guest_messaging")
class TestEmbeddedSignup(WhatsAppMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_whatsapp()
        cls.setup_fake_graph()
        cls.setup_platform_app(APP_ID, APP_SECRET)
        cls.Connection = cls.env["guest.channel.connection"].with_user(cls.manager)
        cls.codes = 0

    def _code(self, waba="201001", token=None):
        type(self).codes += 1
        code = f"ES-CODE-{self.codes}"
        self.graph.add_oauth_code(code, access_token=token or f"BISU-{code}", scopes=SCOPES, granular_scopes=[
            {"scope": "whatsapp_business_management", "target_ids": [waba]},
        ] if waba else [])
        return code

    def _new(self, channel_type="whatsapp"):
        connection = self.Connection.create({"channel_type": channel_type, "setup_mode": "embedded"})
        connection._onchange_channel_type()
        return connection

    def test_whatsapp_ends_connected_with_its_number_registered(self):
        self.graph.add_phone_number("5550001", display_phone_number="+34 600 555 001", verified_name="Hotel Sol",
                                    waba_id="201001", status="PENDING")
        connection = self._new()
        self.assertEqual((connection.name, connection.state), ("WhatsApp", "pending_verification"))
        code = self._code()
        result = connection.complete_embedded_signup(code, {"phone_number_id": "5550001", "waba_id": "201001"})
        self.assertEqual(result, {"state": "connected", "message": "Hotel Sol is connected."})
        self.assertRecordValues(connection, [{
            "state": "connected", "name": "Hotel Sol", "waba_id": "201001", "phone_number_id": "5550001",
            "display_phone_number": "+34 600 555 001", "setup_mode": "embedded", "last_error": False,
        }])
        self.assertEqual(connection._get_secret("access_token"), f"BISU-{code}")
        self.assertTrue(connection.sudo().access_token_encrypted.startswith("gmenc1:"))
        self.assertEqual(self.graph.registrations["5550001"]["pin"], connection._get_secret("two_step_pin"))
        self.assertIn("201001", self.graph.subscriptions)
        # a second Connect (a new code from the popup) repairs without registering the number again
        connection.complete_embedded_signup(self._code(), {})
        self.assertEqual(connection.state, "connected")
        self.assertEqual(self.graph.registrations["5550001"]["calls"], 1)
        # a stale code (a double click) is reported and leaves the working connection as it was
        result = connection.complete_embedded_signup(code, {})
        self.assertEqual((result["state"], connection.state, connection.last_error), ("error", "connected", False))
        self.assertIn("only once", result["message"])

    def test_a_half_finished_connection_is_repaired_by_connecting_again(self):
        self.graph.add_phone_number("5550002", waba_id="201002", status="PENDING")
        connection = self._new()
        self.graph.fail_next(status=500, error={"code": 2, "message": "Service temporarily unavailable"},
                             path_contains="201002/subscribed_apps")
        result = connection.complete_embedded_signup(self._code("201002"), None)
        self.assertEqual(result["state"], "error")
        self.assertEqual(connection.state, "error")
        self.assertIn("did not subscribe the app", connection.last_error)
        self.assertIn("Connect with Meta stopped", connection.message_ids[0].body)
        self.assertEqual(connection.complete_embedded_signup(self._code("201002"), None)["state"], "connected")
        self.assertEqual((connection.phone_number_id, connection.last_error), ("5550002", False))

    def test_a_number_with_a_pin_waits_for_the_manager_to_enter_it(self):
        self.graph.add_phone_number("5550003", waba_id="201003", status="PENDING", pin="135790")
        connection = self._new()
        result = connection.complete_embedded_signup(self._code("201003"), {})
        self.assertIn("Two-step PIN field", result["message"])
        connection.two_step_pin = "135790"
        self.assertEqual(connection.complete_embedded_signup(self._code("201003"), {})["state"], "connected")

    def test_an_account_already_connected_elsewhere_is_refused(self):
        self.graph.add_phone_number("5550004", waba_id="201004", status="PENDING")
        self.assertEqual(self._new().complete_embedded_signup(self._code("201004"), {})["state"], "connected")
        second = self._new()
        result = second.complete_embedded_signup(self._code("201004"), {})
        self.assertEqual((result["state"], second.state), ("error", "error"))
        self.assertIn("already connected as", second.last_error)

    def test_hostile_arguments_get_a_clear_error_and_change_nothing(self):
        connection = self._new()
        for code, session in [(None, {}), (42, {}), ("", {}), ("   ", {}), ("x" * 5000, {}), (["CODE"], {}),
                              ("CODE", "FINISH"), ("CODE", ["1"]), ("CODE", 7)]:
            with self.subTest(code=str(code)[:20], session=session), self.assertRaises(UserError):
                connection.complete_embedded_signup(code, session)
        self.assertEqual(connection.state, "pending_verification")
        result = connection.complete_embedded_signup("NOT-A-CODE", {"phone_number_id": "1; DROP TABLE x"})
        self.assertIn("did not accept the login code", result["message"])

    def test_without_the_platform_app_nothing_is_called(self):
        self.env["ir.config_parameter"].sudo().set_param("guest_messaging.meta_app_id", "")
        self.graph.clear_requests()
        with self.assertRaisesRegex(UserError, "Settings"):
            self._new().complete_embedded_signup("CODE", {})
        self.assertFalse(self.graph.requests)

    def test_only_managers_connect_and_the_browser_never_sees_the_secret(self):
        connection = self._new()
        with self.assertRaises(AccessError):
            connection.with_user(self.agent).complete_embedded_signup("CODE", {})
        with self.assertRaises(AccessError):
            self.Connection.with_user(self.agent).get_embedded_signup_config()
        config = self.Connection.get_embedded_signup_config()
        self.assertEqual({k: config[k] for k in ("app_id", "config_id")}, {"app_id": APP_ID, "config_id": "777"})
        self.assertNotIn(APP_SECRET, str(config))
        self.assertEqual(config["login_extras"], {})
        # for a WhatsApp connection, Meta's popup opens the WhatsApp signup flow
        self.assertEqual(self.Connection.get_embedded_signup_config([connection.id])["login_extras"], {"setup": {}})
        for hostile in ("1", [True], [connection.id, connection.id], [999999999], [str(connection.id)], {"id": 1}):
            with self.subTest(hostile=hostile), self.assertRaises(UserError):
                self.Connection.get_embedded_signup_config(hostile)


@tagged("guest_messaging")
class TestPlatformAppSettings(WhatsAppMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_whatsapp()

    def test_the_secret_is_stored_encrypted_and_never_read_back(self):
        settings = self.env["res.config.settings"].create({
            "guest_meta_app_id": "2000", "guest_meta_config_id": "3000", "guest_meta_app_secret": "s3cret",
        })
        settings.execute()
        stored = self.env["ir.config_parameter"].sudo().get_param("guest_messaging.meta_app_secret")
        self.assertTrue(stored.startswith("gmenc1:"))
        self.assertNotIn("s3cret", stored)
        self.assertEqual(self.env["guest.channel.connection"]._platform_app(), ("2000", "s3cret"))
        reopened = self.env["res.config.settings"].create({})
        self.assertFalse(reopened.guest_meta_app_secret)
        self.assertTrue(reopened.guest_meta_app_secret_set)
        self.assertEqual(reopened.guest_meta_config_id, "3000")
        # saving Settings again without typing it keeps the secret
        reopened.execute()
        self.assertEqual(self.env["guest.channel.connection"]._platform_app()[1], "s3cret")

    def test_a_secret_typed_in_system_parameters_is_used_as_it_is(self):
        self.env["ir.config_parameter"].sudo().set_param("guest_messaging.meta_app_secret", "plain-secret")
        self.assertEqual(self.env["guest.channel.connection"]._platform_app()[1], "plain-secret")
