# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import datetime, timezone

from guestmsg.channels.meta_social import INSTAGRAM, MESSENGER
from guestmsg.channels.meta_social.webhook import account_ids, parse_webhook
from guestmsg.channels.whatsapp.webhook import should_apply_status

from odoo import api, models

from .common import ACCOUNT_FIELDS, METADATA_PREFIX

_logger = logging.getLogger(__name__)


class GuestWebhookEvent(models.Model):
    _inherit = "guest.webhook.event"

    @api.model
    def _account_ids_messenger(self, payload):
        return account_ids(payload)

    @api.model
    def _account_ids_instagram(self, payload):
        return account_ids(payload)

    def _process_messenger(self):
        return self._process_meta_social(MESSENGER.code)

    def _process_instagram(self):
        return self._process_meta_social(INSTAGRAM.code)

    def _process_meta_social(self, channel):
        batch = parse_webhook(self._payload())
        for problem in batch.problems:
            _logger.info("Webhook event %s: %s", self.id, problem)
        field = ACCOUNT_FIELDS[channel]
        accounts = {item.account_id for item in batch.messages + batch.echoes + batch.statuses}
        connections = self._scoped_connections([("channel_type", "=", channel), (field, "in", list(accounts))])
        by_account = {c[field]: c for c in connections}
        Conversation = self.env["guest.conversation"]
        handled = 0
        for inbound in batch.messages:
            connection = by_account.get(inbound.account_id)
            if not connection:
                continue
            message = Conversation._ingest_inbound(
                connection, inbound.sender_id, inbound.platform_message_id,
                {"message_type": inbound.message_type, "body": inbound.body,
                 "payload": {**inbound.payload, "reply_id": inbound.reply_id, "reply_to_mid": inbound.reply_to_mid}},
            )
            if message:
                message.conversation_id._fetch_guest_profile()
            handled += 1
        for echo in batch.echoes:
            handled += self._record_echo(by_account.get(echo.account_id), echo)
        for status in batch.statuses:
            handled += self._apply_page_status(by_account.get(status.account_id), status)
        return handled

    def _record_echo(self, connection, echo):
        """The Page's own messages come back as echoes: ours are already in the thread; one a person sent
        from Meta's inbox is added to it, so the thread stays complete."""
        if not connection or not echo.recipient_id or (echo.metadata or "").startswith(METADATA_PREFIX):
            return 0
        Message = self.env["guest.message"]
        if Message.search_count([("connection_id", "=", connection.id),
                                 ("platform_message_id", "=", echo.platform_message_id)], limit=1):
            return 0
        conversation = self.env["guest.conversation"].search(
            [("connection_id", "=", connection.id), ("guest_external_id", "=", echo.recipient_id)], limit=1)
        if not conversation:
            return 0
        Message.create({
            "conversation_id": conversation.id, "direction": "outbound", "author_type": "agent",
            "message_type": echo.message_type if echo.message_type in dict(Message._fields["message_type"].selection)
            else "unsupported",
            "body": echo.body, "payload": {**echo.payload, "sent_outside_odoo": True},
            "platform_message_id": echo.platform_message_id, "delivery_status": "sent",
        })
        return 1

    def _apply_page_status(self, connection, status):
        """Delivery and read events name message ids, or a watermark: everything sent before it."""
        if not connection:
            return 0
        domain = [("connection_id", "=", connection.id), ("direction", "=", "outbound"),
                  ("conversation_id.guest_external_id", "=", status.guest_id),
                  ("delivery_status", "in", ("sent", "delivered"))]
        Message = self.env["guest.message"]
        if status.mids:
            messages = Message.search(domain + [("platform_message_id", "in", list(status.mids))])
            if status.status == "read" and messages:
                # reading a message means having read the ones before it
                messages = Message.search(domain + [("id", "<=", max(messages.ids))])
        elif status.watermark:
            until = datetime.fromtimestamp(status.watermark / 1000, tz=timezone.utc).replace(tzinfo=None)
            messages = Message.search(domain + [("write_date", "<=", until)])
        else:
            return 0
        messages.filtered(lambda m: should_apply_status(m.delivery_status, status.status)).write(
            {"delivery_status": status.status})
        return len(messages)
