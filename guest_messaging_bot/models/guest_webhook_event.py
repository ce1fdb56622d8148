# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class GuestWebhookEvent(models.Model):
    _inherit = "guest.webhook.event"

    channel_type = fields.Selection(selection_add=[("sandbox", "Sandbox")], ondelete={"sandbox": "cascade"})

    def _process_sandbox(self):
        data = self._payload()
        connection = self.env["guest.channel.connection"].browse(data["connection_id"]).exists()
        if not connection or connection.channel_type != "sandbox":
            return 0
        reply_id = data.get("reply_id")
        message = self.env["guest.conversation"]._ingest_inbound(
            connection,
            data["guest_key"],
            data["message_id"],
            {
                "message_type": "interactive" if reply_id else "text",
                "body": data.get("text") or "",
                "payload": {"reply_id": reply_id} if reply_id else {},
            },
            guest_name=data.get("guest_name"),
        )
        return 1 if message else 0
