# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from guestmsg.channels.errors import ChannelPermanentError
from guestmsg.channels.website_chat import TEXT_MAX, read_wire
from guestmsg.channels.wire import OutboundValidationError, check_text
from guestmsg.core.json_values import is_int

from odoo import fields, models
from odoo.tools import plaintext2html

from ..lib.posting import CONTEXT_KEY, OutboundPost


class GuestMessage(models.Model):
    _inherit = "guest.message"

    livechat_message_id = fields.Many2one(
        "mail.message", "Message in the chat", readonly=True, copy=False, index="btree_not_null",
        ondelete="set null", help="The message of the Live Chat session this one is, in either direction.")

    def _send_website_chat(self):
        """Post the message in the visitor's chat session, as the bot or as the agent who wrote it; the
        visitor's widget shows it at once (Odoo's bus)."""
        self.ensure_one()
        conversation = self.conversation_id
        session = conversation.livechat_session_id
        connection = self.connection_id
        if not session or session.livechat_channel_id != connection.livechat_channel_id:
            raise ChannelPermanentError(message=self.env._("The visitor's chat session no longer exists."),
                                        code="no_session")
        try:
            wire = (self.payload or {}).get("wire")
            if wire:
                text, _options = read_wire(wire)
            else:
                text = check_text(self.body, "The text", TEXT_MAX, platform="Website chat")
        except OutboundValidationError as exc:
            raise ChannelPermanentError(message=str(exc), code="invalid") from None
        author = self.author_id.partner_id if self.author_type == "agent" and self.author_id else \
            connection.livechat_bot_partner_id
        if not author:
            raise ChannelPermanentError(message=self.env._("The connection's bot has no name in the chat."),
                                        code="no_author")
        # sudo: discuss.channel - the outbox posts in the visitor's session as the bot or the agent
        posted = session.sudo().with_context(**{CONTEXT_KEY: OutboundPost(self.id)}).message_post(
            author_id=author.id, body=plaintext2html(text), message_type="comment", subtype_xmlid="mail.mt_comment")
        return str(posted.id)

    def _livechat_options(self):
        """The options the widget shows under this message as buttons: ``[{id, title, description?}]``."""
        self.ensure_one()
        wire = (self.payload or {}).get("wire")
        if not wire or self.direction != "outbound":
            return []
        try:
            return read_wire(wire)[1]
        except OutboundValidationError:
            return []

    def _fetch_media_website_chat(self):
        """A file the visitor sent is already in Odoo: staff get a copy of their own, on the message."""
        self.ensure_one()
        media_id = (self.payload or {}).get("media_id")
        if not is_int(media_id):
            return self.env["ir.attachment"]
        # sudo: ir.attachment - the visitor's file, sent with this message, copied for staff who may read it
        attachment = self.env["ir.attachment"].sudo().browse(media_id).exists()
        if not attachment or attachment not in self.livechat_message_id.sudo().attachment_ids:
            return self.env["ir.attachment"]
        return attachment.copy({"res_model": self._name, "res_id": self.id})
