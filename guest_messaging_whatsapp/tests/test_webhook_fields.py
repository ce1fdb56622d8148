from guestmsg.channels.whatsapp.webhook import OBJECT_TYPE, SUBSCRIBED_FIELDS

from odoo.tests import HttpCase, tagged

from .common import APP_SECRET, WhatsAppMixin

URL = "/guest_messaging/webhook/whatsapp"
PLATFORM_ID, PLATFORM_SECRET = "1000", "platform-secret"
MANUAL_APP_ID = "2000"
SCOPES = ("whatsapp_business_messaging", "whatsapp_business_management")


@tagged("guest_messaging", "post_install", "-at_install")
class TestWebhookFields(WhatsAppMixin, HttpCase):
    """Connecting a number subscribes its app to the WhatsApp fields the inbox handles (messages, the template
    updates, account_update); the connection's Test names those Meta does not send."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_whatsapp()
        cls.setup_fake_graph()
        cls.setup_platform_app(PLATFORM_ID, PLATFORM_SECRET)
        # the advanced setup's own app: its token names it, its secret is the connection's
        cls.graph.set_app(MANUAL_APP_ID, APP_SECRET)
        cls.graph.set_token_state("EAAG-test-token", scopes=SCOPES, app_id=MANUAL_APP_ID)
        cls.graph.add_phone_number(cls.connection.phone_number_id, verified_name="Front desk")
        cls.cron = cls.env.ref("guest_messaging_whatsapp.ir_cron_subscribe_webhook_fields")
        cls.codes = 0

    def setUp(self):
        super().setUp()
        # the fake Graph API lives as long as the class: each test starts from an app Meta knows nothing of
        self.graph.app_subscriptions.clear()
        self.graph.set_app(MANUAL_APP_ID, APP_SECRET)
        self.graph.clear_requests()

    def notes(self, connection):
        return "\n".join(connection.message_ids.mapped("body"))

    def test_meta_verifying_an_advanced_setup_subscribes_its_app_once_committed(self):
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)])
        token = self.connection.verify_token
        response = self.url_open(f"{URL}?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=7")
        self.assertEqual((response.status_code, self.connection.state), (200, "connected"))
        # nothing is asked of Meta during its own handshake: the cron does it after the commit
        self.assertFalse([r for r in self.graph.requests if r.endpoint.endswith("/subscriptions")])
        self.assertTrue(self.connection.webhook_fields_pending)
        self.assertEqual(self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)]), triggers + 1)
        self.assertEqual(self.env["guest.channel.connection"]._cron_subscribe_webhook_fields(), 1)
        self.assertFalse(self.connection.webhook_fields_pending)
        self.assertEqual(self.graph.app_fields(MANUAL_APP_ID, OBJECT_TYPE), list(SUBSCRIBED_FIELDS))
        subscription = self.graph.app_subscriptions[MANUAL_APP_ID][OBJECT_TYPE]
        self.assertEqual((subscription["callback_url"], subscription["verify_token"]),
                         (self.connection.webhook_callback_url, token))
        self.assertIn("Meta now sends messages, message_template_status_update", self.notes(self.connection))
        self.assertFalse(self.graph.app_fields(PLATFORM_ID, OBJECT_TYPE), "the platform app is not the hotel's")
        # a second handshake (Meta checking the callback again) changes nothing
        self.url_open(f"{URL}?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=8")
        self.assertFalse(self.connection.webhook_fields_pending)
        self.assertEqual(self.env["guest.channel.connection"]._cron_subscribe_webhook_fields(), 0)

    def test_a_refused_subscription_is_noted_and_the_test_says_what_is_missing(self):
        self.graph.set_app(MANUAL_APP_ID, "the-secret-meta-knows")
        self.url_open(f"{URL}?hub.mode=subscribe&hub.verify_token={self.connection.verify_token}&hub.challenge=1")
        self.env["guest.channel.connection"]._cron_subscribe_webhook_fields()
        self.assertEqual(self.connection.state, "connected")
        self.assertIn("Meta did not subscribe the app", self.notes(self.connection))
        message = self.connection.with_user(self.manager).action_test_connection()["params"]["message"]
        self.assertIn("Meta refused the app's credentials", message)
        # the secret fixed at Meta, the app still misses the fields: the Test names them
        self.graph.set_app(MANUAL_APP_ID, APP_SECRET)
        self.graph.set_app_subscription(MANUAL_APP_ID, OBJECT_TYPE, ["messages", "message_template_status_update",
                                                                     "message_template_quality_update"])
        result = self.connection.with_user(self.manager).action_test_connection()
        self.assertIn("✘ webhook fields: Meta does not send template_category_update, account_update to this app",
                      result["params"]["message"])
        self.assertEqual(result["params"]["title"], "Some checks failed")

    def test_an_advanced_setup_without_its_secret_is_noted_not_called(self):
        self.connection.sudo().app_secret_encrypted = False
        self.connection.sudo().webhook_fields_pending = True
        self.graph.clear_requests()
        self.env["guest.channel.connection"]._cron_subscribe_webhook_fields()
        self.assertFalse(self.graph.requests)
        self.assertIn("the app secret are both needed", self.notes(self.connection))
        self.assertFalse(self.connection.webhook_fields_pending)

    def _signup(self, waba, number):
        type(self).codes += 1
        code = f"FIELDS-CODE-{self.codes}"
        self.graph.add_oauth_code(code, access_token=f"BISU-{code}", scopes=SCOPES, granular_scopes=[
            {"scope": "whatsapp_business_management", "target_ids": [waba]}])
        self.graph.add_phone_number(number, waba_id=waba, status="PENDING")
        connection = self.env["guest.channel.connection"].with_user(self.manager).create(
            {"channel_type": "whatsapp", "setup_mode": "embedded"})
        return connection, connection.complete_embedded_signup(code, {"phone_number_id": number, "waba_id": waba})

    def test_connect_with_meta_subscribes_the_platform_app_through_the_platforms_verify_token(self):
        self.env["ir.config_parameter"].sudo().set_param("guest_messaging.meta_verify_token", "platform-verify")
        self.graph.set_app_subscription(PLATFORM_ID, OBJECT_TYPE, ["messages", "phone_number_quality_update"])
        connection, result = self._signup("301001", "5551001")
        self.assertEqual(result["state"], "connected")
        self.assertEqual(self.graph.app_fields(PLATFORM_ID, OBJECT_TYPE),
                         ["messages", "phone_number_quality_update", *SUBSCRIBED_FIELDS[1:]])
        subscription = self.graph.app_subscriptions[PLATFORM_ID][OBJECT_TYPE]
        self.assertEqual((subscription["callback_url"], subscription["verify_token"]),
                         (connection.webhook_callback_url, "platform-verify"))
        self.assertIn("Meta now sends message_template_status_update", self.notes(connection))
        checks = {c.name: c for c in connection._run_checks()}
        self.assertTrue(checks["webhook fields"].ok, checks["webhook fields"].detail)

    def test_connect_with_meta_without_a_platform_verify_token_uses_the_connections(self):
        connection, result = self._signup("301002", "5551002")
        self.assertEqual(result["state"], "connected")
        verify_token = self.graph.app_subscriptions[PLATFORM_ID][OBJECT_TYPE]["verify_token"]
        self.assertEqual(verify_token, connection.sudo().verify_token)
        # Meta checks the callback with it; the answer leaves a signup's connection to the signup
        connection.sudo().state = "error"
        response = self.url_open(f"{URL}?hub.mode=subscribe&hub.verify_token={verify_token}&hub.challenge=9")
        self.assertEqual((response.status_code, response.text, connection.state), (200, "9", "error"))

    def test_connect_with_meta_still_connects_when_meta_refuses_the_fields(self):
        self.graph.fail_next(status=500, error={"code": 2, "message": "Service temporarily unavailable"},
                             path_contains=f"{PLATFORM_ID}/subscriptions")
        connection, result = self._signup("301003", "5551003")
        self.assertEqual((result["state"], connection.state), ("connected", "connected"))
        self.assertIn("Service temporarily unavailable", self.notes(connection))
        self.assertIn("Press Test", self.notes(connection))
        detail = {c.name: c for c in connection._run_checks()}["webhook fields"].detail
        self.assertIn(f"Meta does not send {', '.join(SUBSCRIBED_FIELDS)} to this app", detail)
