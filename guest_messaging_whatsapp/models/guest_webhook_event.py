# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from guestmsg.channels.whatsapp import WHATSAPP
from guestmsg.channels.whatsapp.webhook import account_ids, parse_webhook, should_apply_status

from odoo import api, models

_logger = logging.getLogger(__name__)


class GuestWebhookEvent(models.Model):
    _inherit = "guest.webhook.event"

    @api.model
    def _account_ids_whatsapp(self, payload):
        return account_ids(payload)

    def _process_whatsapp(self):
        batch = parse_webhook(self._payload())
        for problem in batch.problems:
            _logger.info("Webhook event %s: %s", self.id, problem)
        numbers = {m.phone_number_id for m in batch.messages + batch.statuses}
        accounts = {u.waba_id for u in batch.template_updates + batch.account_updates}
        connections = self._scoped_connections([
            ("channel_type", "=", WHATSAPP.code),
            "|", ("phone_number_id", "in", list(numbers)), ("waba_id", "in", list(accounts)),
        ])
        by_number = {c.phone_number_id: c for c in connections}
        handled = 0
        for inbound in batch.messages:
            connection = by_number.get(inbound.phone_number_id)
            guest_id = inbound.wa_id or inbound.user_id
            if not connection or not guest_id:
                continue
            self.env["guest.conversation"]._ingest_inbound(
                connection,
                guest_id,
                inbound.platform_message_id,
                {
                    "message_type": inbound.message_type,
                    "body": inbound.body,
                    "payload": {**inbound.payload, "reply_id": inbound.reply_id,
                                "context_message_id": inbound.context_message_id},
                },
                guest_name=inbound.profile_name,
                guest_phone=inbound.wa_id,
            )
            handled += 1
        Message = self.env["guest.message"]
        for status in batch.statuses:
            connection = by_number.get(status.phone_number_id)
            if not connection:
                continue
            message = Message.search([
                ("connection_id", "=", connection.id),
                ("platform_message_id", "=", status.platform_message_id),
                ("direction", "=", "outbound"),
            ], limit=1)
            if not message or not should_apply_status(message.delivery_status, status.status):
                continue
            vals = {"delivery_status": status.status}
            if status.status == "failed":
                vals.update(error_code=status.error_code, error_message=status.error_message or status.error_title)
            message.write(vals)
            handled += 1
        for update in batch.template_updates:
            on_account = connections.filtered(lambda c, waba=update.waba_id: c.waba_id == waba)
            if on_account:
                handled += bool(self.env["guest.whatsapp.template"]._apply_meta_update(on_account, update))
        for update in batch.account_updates:
            on_account = connections.filtered(lambda c, waba=update.waba_id: c.waba_id == waba)
            handled += on_account._on_account_update(update)
        return handled
