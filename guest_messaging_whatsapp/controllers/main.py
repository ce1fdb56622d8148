# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from guestmsg.whatsapp_webhook import account_ids

from odoo import http

from odoo.addons.guest_messaging.controllers.webhook import MAX_BODY_BYTES, MetaWebhookController


class WhatsAppWebhookController(MetaWebhookController):
    @http.route("/guest_messaging/webhook/whatsapp", type="http", auth="public", methods=["GET"],
                csrf=False, save_session=False)
    def whatsapp_verify(self, **kwargs):
        return self._verification_handshake("whatsapp")

    @http.route("/guest_messaging/webhook/whatsapp", type="http", auth="public", methods=["POST"],
                max_content_length=MAX_BODY_BYTES, csrf=False, save_session=False)
    def whatsapp_receive(self, **kwargs):
        return self._receive("whatsapp")

    def _account_ids(self, channel_type, payload):
        if channel_type == "whatsapp":
            return account_ids(payload)
        return super()._account_ids(channel_type, payload)
