import time
import uuid
from datetime import timedelta

from guestmsg.channels.whatsapp.webhook import OBJECT_TYPE, SUBSCRIBED_FIELDS

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .common import WhatsAppMixin


@tagged("guest_messaging")
class TestTokenRefresh(WhatsAppMixin, TransactionCase):
    """The daily cron against a Graph API on loopback that keeps real token states."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_whatsapp()
        cls.setup_fake_graph()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("guest_messaging.meta_app_id", "1000")
        params.set_param("guest_messaging.meta_app_secret", "platform-secret")
        cls.graph.set_app("1000", "platform-secret")
        cls.connection.write({"state": "connected"})
        cls.cron = cls.env.ref("guest_messaging.ir_cron_refresh_tokens")

    def setUp(self):
        super().setUp()
        # a token of this test's own: the fake Graph API keeps token states for the whole class
        self.token = f"EAAG-{uuid.uuid4().hex}"
        self.connection.sudo().access_token = self.token
        self.graph.clear_requests()

    def _refresh(self):
        return self.env["guest.channel.connection"]._cron_refresh_tokens()

    def _token(self):
        return self.connection._get_secret("access_token")

    def test_a_token_expiring_in_three_days_is_renewed_once(self):
        self.graph.set_token_state(self.token, expires_at=time.time() + 3 * 86400, token_type="USER")
        self.assertEqual(self._refresh(), 1)
        renewed = self._token()
        self.assertNotEqual(renewed, self.token)
        self.assertEqual(self.connection.state, "connected")
        self.assertGreater(self.connection.token_expires_at, fields.Datetime.now() + timedelta(days=50))
        self.assertIn("Access token renewed", self.connection.message_ids[0].body)
        exchange = [r for r in self.graph.requests if r.path.endswith("oauth/access_token")]
        self.assertEqual(exchange[-1].params["fb_exchange_token"], self.token)
        self.assertEqual(self._refresh(), 0, "the new token is far from expiry")
        self.assertEqual(self._token(), renewed)

    def test_a_connection_in_error_comes_back_when_meta_accepts_its_token_again(self):
        self.graph.set_token_state(self.token, valid=False)
        self._refresh()
        self.assertEqual(self.connection.state, "error")
        told = len(self.connection.message_ids)
        self._refresh()
        self.assertEqual(len(self.connection.message_ids), told, "the managers are told once, not every day")
        self.graph.set_token_state(self.token, expires_at=time.time() + 30 * 86400, token_type="USER")
        self._refresh()
        self.assertEqual((self.connection.state, self.connection.last_error), ("connected", False))
        self.assertIn("back to Connected", self.connection.message_ids[0].body)

    def test_a_token_far_from_expiry_is_only_read(self):
        expires = time.time() + 30 * 86400
        self.graph.set_token_state(self.token, expires_at=expires, token_type="USER")
        self.assertEqual(self._refresh(), 0)
        self.assertEqual(self._token(), self.token)
        self.assertEqual(self.connection.token_expires_at, fields.Datetime.to_datetime(
            time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(int(expires)))))

    def test_a_system_user_token_never_expires(self):
        self.graph.set_token_state(self.token, expires_at=0)
        self.assertEqual(self._refresh(), 0)
        self.assertFalse(self.connection.token_expires_at)
        self.assertEqual(self.connection.state, "connected")

    def test_a_revoked_token_puts_the_connection_in_error_and_tells_the_managers(self):
        self.graph.set_token_state(self.token, valid=False, expires_at=time.time() + 3 * 86400)
        self.assertEqual(self._refresh(), 0)
        self.assertEqual(self.connection.state, "error")
        self.assertIn("Reconnect the channel", self.connection.last_error)
        notice = self.connection.message_ids[0]
        self.assertIn(self.manager.partner_id, notice.partner_ids)
        self.assertEqual(self._token(), self.token, "nothing was exchanged")
        self.assertEqual(self._refresh(), 0, "a connection in error is not checked again")

    def test_a_token_meta_does_not_know_is_an_error(self):
        self.assertEqual(self._refresh(), 0)
        self.assertEqual(self.connection.state, "error")

    def test_meta_unreachable_changes_nothing(self):
        self.graph.set_token_state(self.token, expires_at=time.time() + 3 * 86400, token_type="USER")
        self.graph.fail_next(status=500, error={"code": 2, "message": "Service temporarily unavailable"}, n=5)
        with self.assertLogs("odoo.addons.guest_messaging.models.guest_channel_connection_meta", "WARNING"):
            self.assertEqual(self._refresh(), 0)
        self.assertEqual((self.connection.state, self._token()), ("connected", self.token))

    def test_without_the_platform_app_nothing_is_checked(self):
        self.env["ir.config_parameter"].sudo().set_param("guest_messaging.meta_app_secret", "")
        self.assertEqual(self._refresh(), 0)
        self.assertFalse([r for r in self.graph.requests if "debug_token" in r.path])

    def test_the_cron_is_daily(self):
        self.assertEqual((self.cron.interval_number, self.cron.interval_type), (1, "days"))


@tagged("guest_messaging")
class TestConnectionCheck(WhatsAppMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_whatsapp()
        cls.setup_fake_graph()
        cls.env["ir.config_parameter"].sudo().set_param("guest_messaging.meta_app_id", "1000")
        cls.env["ir.config_parameter"].sudo().set_param("guest_messaging.meta_app_secret", "platform-secret")
        cls.graph.add_phone_number(cls.connection.phone_number_id, verified_name="Front Desk Hotel")
        cls.graph.set_token_state("EAAG-test-token", scopes=("whatsapp_business_messaging",
                                                             "whatsapp_business_management"))

    def test_the_test_button_reports_each_check(self):
        with self.assertRaises(AccessError):
            self.connection.with_user(self.agent).action_test_connection()
        result = self.connection.with_user(self.manager).action_test_connection()
        self.assertEqual(result["params"]["type"], "warning", "no app is subscribed to the webhooks yet")
        self.assertIn("✔ token", result["params"]["message"])
        self.assertIn("Front Desk Hotel", result["params"]["message"])
        self.assertIn("✘ webhooks", result["params"]["message"])
        self.assertIn("Connection test", self.connection.message_ids[0].body)
        self.connection._graph_client().subscribe_app(self.connection.waba_id)
        result = self.connection.with_user(self.manager).action_test_connection()
        self.assertIn("✔ webhooks", result["params"]["message"])
        self.assertIn("✘ webhook fields: Meta does not send messages", result["params"]["message"])
        # the advanced setup's app (named by its token) subscribed to every field the inbox handles
        self.graph.set_app_subscription("1000", OBJECT_TYPE, SUBSCRIBED_FIELDS)
        result = self.connection.with_user(self.manager).action_test_connection()
        self.assertEqual((result["params"]["type"], result["params"]["title"]), ("success", "The connection works"))
