# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

MESSAGE_TYPES = [
    ("text", "Text"),
    ("interactive", "Interactive"),
    ("template", "Template"),
    ("image", "Image"),
    ("audio", "Audio"),
    ("video", "Video"),
    ("document", "Document"),
    ("sticker", "Sticker"),
    ("location", "Location"),
    ("contacts", "Contacts"),
    ("reaction", "Reaction"),
    ("system", "System"),
    ("unsupported", "Unsupported"),
]

PREVIEW_LENGTH = 120


class GuestMessage(models.Model):
    _name = "guest.message"
    _description = "Guest Conversation Message"
    _order = "id"
    _rec_name = "body"

    # === FIELDS === #
    conversation_id = fields.Many2one("guest.conversation", required=True, index=True, ondelete="cascade")
    connection_id = fields.Many2one(related="conversation_id.connection_id", store=True, index=True)
    company_id = fields.Many2one(related="conversation_id.company_id", store=True)
    direction = fields.Selection([("inbound", "Inbound"), ("outbound", "Outbound")], required=True)
    author_type = fields.Selection(
        [("guest", "Guest"), ("bot", "Bot"), ("agent", "Agent"), ("system", "System")], required=True
    )
    author_id = fields.Many2one("res.users", "Author", index="btree_not_null")
    body = fields.Text()
    message_type = fields.Selection(MESSAGE_TYPES, required=True, default="text")
    payload = fields.Json()
    platform_message_id = fields.Char("Platform message ID", copy=False)
    delivery_status = fields.Selection(
        [
            ("received", "Received"),
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("delivered", "Delivered"),
            ("read", "Read"),
            ("failed", "Failed"),
        ],
        index="btree_not_null",
    )
    error_code = fields.Char(readonly=True)
    error_message = fields.Text(readonly=True)

    _sql_constraints = [
        (
            "platform_message_id_unique",
            "unique(connection_id, platform_message_id)",
            "This platform message was already recorded for this connection.",
        ),
    ]

    # === CRUD === #
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("delivery_status") and vals.get("direction") == "inbound":
                vals["delivery_status"] = "received"
        messages = super().create(vals_list)
        messages._update_conversations()
        return messages

    # === BUSINESS === #
    def _update_conversations(self):
        """Keep the conversation's list columns (last message, unread) in step."""
        for conversation in self.conversation_id:
            mine = self.filtered(lambda m, c=conversation: m.conversation_id == c)
            last = mine[-1]
            inbound = mine.filtered(lambda m: m.direction == "inbound" and m.author_type == "guest")
            vals = {
                "last_message_at": max(last.create_date, conversation.last_message_at or last.create_date),
                "last_message_preview": (last.body or "")[:PREVIEW_LENGTH] or last.message_type,
            }
            if inbound:
                vals["last_inbound_at"] = max(inbound.mapped("create_date"))
            # sudo: guest.conversation - list columns are maintained whoever posted the message
            conversation.sudo().write(vals)
            if inbound:
                # one atomic increment, safe when webhooks for one guest arrive in parallel
                self.env.execute_query(
                    SQL(
                        "UPDATE guest_conversation SET unread_count = unread_count + %s WHERE id = %s",
                        len(inbound),
                        conversation.id,
                    )
                )
                conversation.invalidate_recordset(["unread_count"])
