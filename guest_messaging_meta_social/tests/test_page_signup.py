from odoo.tests import TransactionCase, new_test_user, tagged

from .common import SocialMixin

APP_ID, APP_SECRET = "1000", "platform-secret"
SCOPES = ("whatsapp_business_messaging", "whatsapp_business_management")


@tagged("guest_messaging")
class TestPageSignup(SocialMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_social()
        cls.setup_fake_graph()
        cls.setup_platform_app(APP_ID, APP_SECRET)
        cls.manager = new_test_user(cls.env, login="social_manager",
                                    groups="base.group_user,guest_messaging.group_manager")
        cls.Connection = cls.env["guest.channel.connection"].with_user(cls.manager)
        cls.codes = 0

    def _code(self, waba=None):
        type(self).codes += 1
        code = f"PAGE-CODE-{self.codes}"
        self.graph.add_oauth_code(code, access_token=f"USER-{code}", scopes=SCOPES, granular_scopes=[])
        return code

    def _new(self, channel_type):
        connection = self.Connection.create({"channel_type": channel_type, "setup_mode": "embedded"})
        connection._onchange_channel_type()
        return connection

    def test_messenger_and_instagram_pick_the_page_and_subscribe_it(self):
        self.graph.add_page("880001", name="Hotel Sol Page", access_token="PAGE-TOKEN-1",
                            instagram_account_id="1784001")
        messenger = self._new("messenger")
        self.assertEqual(messenger.name, "Messenger")
        self.assertEqual(self.Connection.get_embedded_signup_config([messenger.id])["login_extras"], {},
                         "a Page connects with Meta's plain login")
        self.assertEqual(messenger.complete_embedded_signup(self._code(waba=None), {"page_ids": ["880001"]})["state"],
                         "connected")
        self.assertRecordValues(messenger, [{"page_id": "880001", "name": "Hotel Sol Page",
                                             "instagram_account_id": False}])
        self.assertEqual(messenger._get_secret("access_token"), "PAGE-TOKEN-1")
        self.assertIn("messages", self.graph.subscriptions["880001"]["subscribed_fields"])
        instagram = self._new("instagram")
        self.assertEqual(instagram.complete_embedded_signup(self._code(waba=None), {})["state"], "connected")
        self.assertRecordValues(instagram, [{"page_id": "880001", "instagram_account_id": "1784001"}])
