# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from guestmsg.channels.whatsapp.outbound import OutboundValidationError, image_payload, rendered_payloads, template_payload

from odoo import models
from odoo.exceptions import UserError


class GuestConversation(models.Model):
    _inherit = "guest.conversation"

    def _wire_payloads_whatsapp(self, rendered):
        return [self._strip_recipient(p) for p in rendered_payloads(rendered, self.guest_external_id)]

    @staticmethod
    def _strip_recipient(payload):
        # the recipient is set when the message is sent
        return {k: v for k, v in payload.items() if k not in ("to", "messaging_product", "recipient_type")}

    def _queue_whatsapp_template(self, name, language, body_parameters, author_type="system", summary=None):
        """Queue an approved template; templates are the one way to write outside the 24-hour window."""
        self.ensure_one()
        try:
            wire = template_payload(self.guest_external_id, name, language, [str(p) for p in body_parameters])
        except OutboundValidationError as exc:
            raise UserError(str(exc)) from None
        return self._queue_outbound([{
            "author_type": author_type,
            "message_type": "template",
            "body": summary or self.env._("Template %(name)s (%(language)s)", name=name, language=language),
            "payload": {"wire": self._strip_recipient(wire), "template": name, "parameters": body_parameters},
        }])

    def _queue_whatsapp_image(self, link=None, media_id=None, caption=None, author_type="agent"):
        self.ensure_one()
        self._check_service_window()
        try:
            wire = image_payload(self.guest_external_id, link=link, media_id=media_id, caption=caption)
        except OutboundValidationError as exc:
            raise UserError(str(exc)) from None
        return self._queue_outbound([{
            "author_type": author_type,
            "message_type": "image",
            "body": caption or "",
            "payload": {"wire": self._strip_recipient(wire)},
        }])
