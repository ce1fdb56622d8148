# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from guestmsg.channels.whatsapp.outbound import normalize_recipient, text_payload
from guestmsg.meta.graph import GraphError

from odoo import models
from odoo.exceptions import UserError


class GuestMessage(models.Model):
    _inherit = "guest.message"

    def _whatsapp_wire_payload(self):
        """The JSON body for /messages: prepared at queue time for rich messages, plain text otherwise."""
        self.ensure_one()
        to = self.conversation_id.guest_external_id
        wire = (self.payload or {}).get("wire")
        if wire:
            return {**wire, "messaging_product": "whatsapp", "recipient_type": "individual",
                    "to": normalize_recipient(to)}
        return text_payload(to, self.body or "")

    def _send_whatsapp(self):
        connection = self.connection_id
        return connection._graph_client().send_message(connection.phone_number_id, self._whatsapp_wire_payload())

    def _fetch_media_whatsapp(self):
        payload = self.payload or {}
        if not payload.get("media_id"):
            # e.g. the link of a shared location: the server never fetches a link
            raise UserError(self.env._(
                "This message holds a link, not media: the server does not download links. Open it yourself: %(url)s",
                url=payload.get("url") or "",
            ))
        try:
            with self.connection_id._graph_client() as client:
                media = client.get_media(payload["media_id"])
                content = client.download_media(media["url"])
        except GraphError as exc:
            raise UserError(self.env._("The media could not be downloaded: %(error)s", error=exc.message)) from None
        return self.env["ir.attachment"].create({
            "name": payload.get("filename") or f"{self.message_type}-{payload['media_id']}",
            "datas": base64.b64encode(content),
            "mimetype": payload.get("mime_type") or media.get("mime_type"),
            "res_model": "guest.conversation",
            "res_id": self.conversation_id.id,
        })
