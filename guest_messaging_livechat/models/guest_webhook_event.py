# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from guestmsg.channels.website_chat import WEBSITE_CHAT, clean_reply_id, parse_visitor_key
from guestmsg.core.json_values import is_int

from odoo import api, models
from odoo.tools import SQL

# which part of the queue a batch reads: the platforms' webhooks, or the website's visitors
QUEUE_PART = "guest_messaging_livechat_queue_part"
LOCALE_RE = re.compile(r"[a-z]{2,3}(_[A-Z]{2})?(@[a-z]+)?")


class GuestWebhookEvent(models.Model):
    _inherit = "guest.webhook.event"

    # === QUEUE === #
    def _queue_waiting(self):
        waiting = super()._queue_waiting()
        part = self.env.context.get(QUEUE_PART)
        if part not in ("platforms", "visitors"):
            return waiting
        return SQL("%s AND channel_type %s %s", waiting, SQL("!=" if part == "platforms" else "="), WEBSITE_CHAT.code)

    @api.model
    def _queue_batch(self, batch_size):
        """The platforms' webhooks first, then the website's visitors with the room left: anyone can open a
        chat on the website, so a flood of visitors waits behind the guests of WhatsApp, Instagram and
        Messenger, never the reverse."""
        if self.ids or self.env.context.get(QUEUE_PART):
            return super()._queue_batch(batch_size)
        platforms = super(GuestWebhookEvent, self.with_context(**{QUEUE_PART: "platforms"}))._queue_batch(batch_size)
        room = batch_size - len(platforms)
        visitors = super(GuestWebhookEvent, self.with_context(**{QUEUE_PART: "visitors"}))._queue_batch(room) \
            if room > 0 else self.browse()
        return self.browse(platforms.ids + visitors.ids)

    # === PROCESSING === #
    def _process_website_chat(self):
        """A visitor's message, stored by their request: ``{"session_id", "message_id", "visitor", "name",
        "locale", "text", "reply_id", "attachment_ids"}``. Everything it names is checked again against the
        session: the conversation is the session's visitor's, whatever the body says."""
        data = self._payload()
        connection = self._scoped_connections([("channel_type", "=", WEBSITE_CHAT.code)])[:1]
        if not connection or not isinstance(data, dict):
            return 0
        session = self._website_chat_session(connection, data.get("session_id"))
        message = self._website_chat_message(session, data.get("message_id"))
        visitor = session._guest_visitor() if session else None
        if not message or not visitor or parse_visitor_key(data.get("visitor")) != visitor \
                or not session._guest_is_visitor(message):
            return 0
        Conversation = self.env["guest.conversation"]
        key = data["visitor"]
        conversation = Conversation._get_or_create(connection, key)
        vals = {}
        if conversation.livechat_session_id != session:
            vals["livechat_session_id"] = session.id
        kind, record_id = visitor
        if kind == "partner" and not conversation.partner_id:
            # a logged-in visitor is who they logged in as, as a WhatsApp guest is their verified number
            vals["partner_id"] = record_id
        locale = data.get("locale")
        if isinstance(locale, str) and LOCALE_RE.fullmatch(locale) and not conversation.guest_locale:
            vals["guest_locale"] = locale
        if vals:
            conversation.write(vals)
        created = Conversation._ingest_inbound(
            connection, key, str(message.id), self._website_chat_message_vals(data, message),
            guest_name=data.get("name") if isinstance(data.get("name"), str) else None,
        )
        if created:
            created.livechat_message_id = message
        return 1 if created else 0

    def _website_chat_session(self, connection, session_id):
        if not is_int(session_id):
            return self.env["discuss.channel"]
        session = self.env["discuss.channel"].browse(session_id).exists()
        if session.channel_type != "livechat" or session.livechat_channel_id != connection.livechat_channel_id:
            return self.env["discuss.channel"]
        return session

    def _website_chat_message(self, session, message_id):
        if not session or not is_int(message_id):
            return self.env["mail.message"]
        message = self.env["mail.message"].browse(message_id).exists()
        if message.model != "discuss.channel" or message.res_id != session.id:
            return self.env["mail.message"]
        return message

    def _website_chat_message_vals(self, data, message):
        text = data.get("text") if isinstance(data.get("text"), str) else ""
        reply_id = clean_reply_id(data.get("reply_id"))
        vals = {"message_type": "interactive" if reply_id else "text", "body": text,
                "payload": {"reply_id": reply_id} if reply_id else {}}
        wanted = data.get("attachment_ids") if isinstance(data.get("attachment_ids"), list) else []
        attachments = message.attachment_ids.filtered(lambda a: a.id in wanted)
        if attachments and not reply_id:
            first = attachments[0]
            names = "\n".join(attachments.mapped("name"))
            vals.update(message_type="image" if (first.mimetype or "").startswith("image/") else "document",
                        body="\n".join(filter(None, [text, names])),
                        payload={"media_id": first.id, "mime_type": first.mimetype or ""})
        return vals
