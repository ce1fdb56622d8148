# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class GuestConversationAssign(models.TransientModel):
    _name = "guest.conversation.assign"
    _description = "Assign guest conversations to an agent"

    conversation_ids = fields.Many2many("guest.conversation", string="Conversations", required=True)
    agent_id = fields.Many2one(
        "res.users",
        "Agent",
        required=True,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("guest_messaging.group_agent").id),
            ("share", "=", False),
        ],
    )
    agent_status = fields.Selection(related="agent_id.guest_agent_status")
    agent_load = fields.Integer(related="agent_id.guest_active_conversation_count", string="Active conversations")
    agent_max = fields.Integer(related="agent_id.guest_max_conversations")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "guest.conversation" and "conversation_ids" in fields_list:
            values["conversation_ids"] = [fields.Command.set(self.env.context.get("active_ids") or [])]
        return values

    def action_assign(self):
        self.ensure_one()
        self.conversation_ids.action_assign(self.agent_id.id)
        return {"type": "ir.actions.act_window_close"}
