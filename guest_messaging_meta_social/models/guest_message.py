# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from guestmsg.channels.meta_social.outbound import text_payload
from guestmsg.channels.meta_social.webhook import MEDIA_TYPES
from guestmsg.channels.wire import OutboundValidationError
from guestmsg.meta.graph import DEFAULT_BASE_URL, GraphClient, GraphError, GraphPermanentError, MediaHostRefused

from odoo import models
from odoo.exceptions import UserError

from .common import CHANNELS, METADATA_PREFIX


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

    def _has_fetchable_media(self):
        if self.connection_id.channel_type in CHANNELS:
            return self.message_type in MEDIA_TYPES and bool((self.payload or {}).get("url"))
        return super()._has_fetchable_media()

    def _fetch_page_media(self):
        url = (self.payload or {}).get("url")
        if self.message_type not in MEDIA_TYPES:
            # shared posts, links, reels, story mentions: links for staff to open, never fetched by the server
            raise self._link_not_fetched(url)
        try:
            with self._page_media_client() as client:
                content = client.download_media(url)
        except MediaHostRefused:
            raise self._link_not_fetched(url) from None
        except GraphError as exc:
            raise UserError(self.env._("The media could not be downloaded: %(error)s", error=exc.message)) from None
        return self.env["ir.attachment"].create({
            "name": f"{self.message_type}-{self.id}",
            "datas": base64.b64encode(content),
            "res_model": "guest.conversation",
            "res_id": self.conversation_id.id,
        })

    def _page_media_client(self):
        """A client without the Page token: attachment URLs are signed CDN links that do not need it."""
        # sudo: ir.config_parameter - the Graph API address bounds where media may come from, whoever asks
        base_url = self.env["ir.config_parameter"].sudo().get_param("guest_messaging.graph_api_base_url")
        return GraphClient(base_url=base_url or DEFAULT_BASE_URL)

    def _link_not_fetched(self, url):
        return UserError(self.env._(
            "This is a link, not media from Meta: the server does not download it. Open it yourself: %(url)s",
            url=url or "",
        ))

    def _fetch_media_messenger(self):
        return self._fetch_page_media()

    def _fetch_media_instagram(self):
        return self._fetch_page_media()
