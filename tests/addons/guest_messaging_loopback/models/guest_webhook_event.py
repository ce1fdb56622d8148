# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from ..channel import LOOPBACK


class GuestWebhookEvent(models.Model):
    _inherit = "guest.webhook.event"

    @api.model
    def _account_ids_loopback(self, payload):
        account = payload.get("account")
        return {account} if isinstance(account, str) and account else set()

    def _process_loopback(self):
        """``{"account": ..., "messages": [{"id", "from", "name", "text" or "reply_id"}]}``."""
        data = self._payload()
        connection = self._scoped_connections([
            ("channel_type", "=", LOOPBACK.code), ("loopback_account", "=", data.get("account"))])[:1]
        handled = 0
        for item in data.get("messages") or []:
            if not connection or not isinstance(item, dict) or not item.get("id") or not item.get("from"):
                continue
            reply_id = item.get("reply_id")
            self.env["guest.conversation"]._ingest_inbound(
                connection, str(item["from"]), str(item["id"]),
                {"message_type": "interactive" if reply_id else "text", "body": str(item.get("text") or ""),
                 "payload": {"reply_id": str(reply_id)} if reply_id else {}},
                guest_name=item.get("name"),
            )
            handled += 1
        return handled
