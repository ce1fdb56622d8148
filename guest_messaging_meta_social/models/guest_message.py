# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from guestmsg.graph import GraphClient, GraphPermanentError
from guestmsg.meta_social_outbound import text_payload
from guestmsg.whatsapp_outbound import OutboundValidationError

from odoo import models

from .common import METADATA_PREFIX


class GuestMessage(models.Model):
    _inherit = "guest.message"

    def _page_send_body(self):
        """The Send API body, with the messaging type Meta's windows allow now; refused before calling Meta
        when no window is open."""
        self.ensure_one()
        conversation = self.conversation_id
        decision = conversation._messaging_window(human_agent=self.author_type == "agent")
        if not decision.allowed:
            raise GraphPermanentError(decision.reason, code="window_closed")
        recipient = conversation.guest_external_id
        wire = (self.payload or {}).get("wire")
        try:
            body = text_payload(recipient, self.body or "", channel=conversation.channel_type,
                                messaging_type=decision.messaging_type, tag=decision.tag) if not wire else {
                "recipient": {"id": recipient}, "messaging_type": decision.messaging_type,
                **({"tag": decision.tag} if decision.tag else {}), "message": dict(wire["message"]),
            }
        except OutboundValidationError as exc:
            raise GraphPermanentError(str(exc), code="invalid_message") from None
        body["message"]["metadata"] = f"{METADATA_PREFIX}{self.id}"
        return body

    def _send_page(self):
        connection = self.connection_id
        account = connection.page_id or connection.instagram_account_id
        return connection._graph_client().send_page_message(account, self._page_send_body())

    def _send_messenger(self):
        return self._send_page()

    def _send_instagram(self):
        return self._send_page()

    def _fetch_page_media(self):
        # attachment URLs are public CDN links: fetched without the Page token, which must not travel there
        with GraphClient() as client:
            content = client.download_media(self.payload["url"])
        return self.env["ir.attachment"].create({
            "name": f"{self.message_type}-{self.id}",
            "datas": base64.b64encode(content),
            "res_model": "guest.conversation",
            "res_id": self.conversation_id.id,
        })

    def _fetch_media_messenger(self):
        return self._fetch_page_media()

    def _fetch_media_instagram(self):
        return self._fetch_page_media()
