from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

CONTROLLER_LOGGER = "odoo.addons.guest_messaging.controllers.webhook"


@tagged("guest_messaging", "post_install", "-at_install")
class TestWebhookRoute(HttpCase):
    """/guest_messaging/webhook/<channel> answers only for installed channels that receive webhooks."""

    def test_no_webhook_for_the_sandbox_nor_for_an_unknown_channel(self):
        new_test_user(self.env, login="gm_route_agent", groups="base.group_user,guest_messaging.group_agent")
        before = self.env["guest.webhook.event"].search_count([])
        body = b'{"connection_id": 1, "guest_key": "x", "message_id": "sandbox.forged", "text": "hi"}'
        for path in ("/guest_messaging/webhook/sandbox", "/guest_messaging/webhook/telegram",
                     "/guest_messaging/webhook/whatsapp%27--", "/guest_messaging/webhook/_process_sandbox"):
            with self.subTest(path=path), mute_logger(CONTROLLER_LOGGER):
                posted = self.url_open(path, data=body, headers={"Content-Type": "application/json",
                                                                  "X-Hub-Signature-256": "sha256=" + "0" * 64})
                self.assertEqual(posted.status_code, 404)
                handshake = self.url_open(f"{path}?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1")
                self.assertEqual(handshake.status_code, 404)
        self.authenticate("gm_route_agent", "gm_route_agent")
        with mute_logger(CONTROLLER_LOGGER):
            self.assertEqual(self.url_open("/guest_messaging/webhook/sandbox", data=body,
                                           headers={"Content-Type": "application/json"}).status_code, 404,
                             "a signed-in user is no webhook either")
        self.assertEqual(self.env["guest.webhook.event"].search_count([]), before, "nothing stored")
