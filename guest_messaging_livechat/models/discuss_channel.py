# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from guestmsg.channels.website_chat import (
    ADDRESS_MESSAGES, TEXT_MAX, VISITOR_MESSAGES, WEBSITE_CHAT, clean_reply_id, html_to_text, visitor_key,
    visitor_text_refusal,
)

from odoo import models
from odoo.exceptions import UserError
from odoo.http import request

from ..lib.posting import REPLY_CONTEXT_KEY, outbound_post


class DiscussChannel(models.Model):
    """A Live Chat session of a channel a Website chat connection answers: the visitor's messages are stored
    for the webhook worker, which makes them guest messages; everything else in it is posted by the outbox."""

    _inherit = "discuss.channel"

    def _guest_website_chat(self):
        """The Website chat connection answering this session (as superuser), or an empty recordset."""
        Connection = self.env["guest.channel.connection"]
        if len(self) != 1 or self.channel_type != "livechat" or not self.livechat_channel_id:
            return Connection.browse()
        return Connection._website_chat_for(self.livechat_channel_id.id)

    def _guest_visitor(self):
        """``(kind, id)`` of the session's visitor: the member that joined with it and is not its operator (the
        bot), a Live Chat guest or a logged-in user's contact; None when there is none."""
        self.ensure_one()
        # sudo: discuss.channel.member - who the session's visitor is, whoever asks
        member = self.sudo().channel_member_ids.filtered(
            lambda m: m.partner_id != self.livechat_operator_id).sorted("id")[:1]
        if member.guest_id:
            return ("guest", member.guest_id.id)
        if member.partner_id:
            return ("partner", member.partner_id.id)
        return None

    def _guest_is_visitor(self, message):
        visitor = self._guest_visitor()
        if not visitor:
            return False
        kind, record_id = visitor
        author = message.author_guest_id if kind == "guest" else message.author_id
        return author.id == record_id and (kind == "partner" or not message.author_id)

    def _message_post_after_hook(self, message, msg_vals):
        connection = self._guest_website_chat()
        if connection:
            posted = outbound_post(self.env.context)
            if posted:
                # before the post is sent to the widget (next, by super), which shows the message's options
                # sudo: guest.message - the outbox links the message it sent to the post that carries it
                self.env["guest.message"].sudo().browse(posted.message_id).livechat_message_id = message
            elif message.message_type == "comment":
                self._guest_receive(connection, message)
        return super()._message_post_after_hook(message, msg_vals)

    def _guest_receive(self, connection, message):
        """Store the visitor's message for the webhook worker, as a verified webhook would be; nothing else
        happens in the visitor's request. Anyone else writing in the session is refused: the bot and the
        team answer from the Guest Messaging inbox, which would not show it."""
        if not self._guest_is_visitor(message):
            raise UserError(self.env._(
                "Website visitors are answered from the Guest Messaging inbox, where the bot and the team see the "
                "whole conversation."))
        if visitor_text_refusal(message.body):
            raise UserError(self.env._("A message can hold at most %(limit)s characters.", limit=TEXT_MAX))
        text = html_to_text(message.body)
        # sudo: ir.attachment - the files the visitor sent with this message
        attachments = message.sudo().attachment_ids
        if not text and not attachments:
            return
        key = visitor_key(*self._guest_visitor())
        Rate = self.env["guest.livechat.rate"].sudo()
        address = request.httprequest.remote_addr if request else None
        if not Rate._hit(VISITOR_MESSAGES, key) or (address and not Rate._hit(ADDRESS_MESSAGES, address)):
            raise UserError(self.env._("You are sending messages too fast. Wait a minute, then write again."))
        author = message.author_guest_id or message.author_id
        body = json.dumps({
            "session_id": self.id,
            "message_id": message.id,
            "visitor": key,
            "name": (self.anonymous_name or author.name or "")[:128] or None,
            "locale": author.lang or None,
            "text": text,
            "reply_id": clean_reply_id(self.env.context.get(REPLY_CONTEXT_KEY)),
            "attachment_ids": attachments.ids,
        }).encode()
        # sudo: guest.webhook.event - insert-only store of the visitor's message for the worker
        self.env["guest.webhook.event"].sudo()._store(WEBSITE_CHAT.code, body, connection=connection)
