# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from guestmsg.meta_social_webhook import account_ids

from odoo import http

from odoo.addons.guest_messaging.controllers.webhook import MAX_BODY_BYTES, MetaWebhookController

CHANNELS = ("messenger", "instagram")


class MetaSocialWebhookController(MetaWebhookController):
    @http.route(["/guest_messaging/webhook/messenger", "/guest_messaging/webhook/instagram"], type="http",
                auth="public", methods=["GET"], csrf=False, save_session=False)
    def meta_social_verify(self, **kwargs):
        return self._verification_handshake(self._channel_of_path())

    @http.route(["/guest_messaging/webhook/messenger", "/guest_messaging/webhook/instagram"], type="http",
                auth="public", methods=["POST"], max_content_length=MAX_BODY_BYTES, csrf=False,
                save_session=False)
    def meta_social_receive(self, **kwargs):
        return self._receive(self._channel_of_path())

    def _channel_of_path(self):
        return http.request.httprequest.path.rstrip("/").rsplit("/", 1)[-1]

    def _account_ids(self, channel_type, payload):
        if channel_type in CHANNELS:
            return account_ids(payload)
        return super()._account_ids(channel_type, payload)
