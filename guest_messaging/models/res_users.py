# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

AGENT_FIELDS = ["guest_agent_status", "guest_max_conversations"]


class ResUsers(models.Model):
    _inherit = "res.users"

    guest_agent_status = fields.Selection(
        [("online", "Online"), ("away", "Away"), ("offline", "Offline")],
        "Guest Messaging status",
        default="offline",
        required=True,
        index=True,
        help="Online agents receive new escalations; away and offline agents keep their conversations.",
    )
    guest_max_conversations = fields.Integer(
        "Max. active conversations", default=5, help="Escalations are not routed to an agent at this many."
    )
    guest_active_conversation_count = fields.Integer(compute="_compute_guest_active_conversation_count")

    _sql_constraints = [
        ("guest_max_conversations_positive", "CHECK(guest_max_conversations >= 0)", "The maximum cannot be negative.")
    ]

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + AGENT_FIELDS + ["guest_active_conversation_count"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["guest_agent_status"]

    def _compute_guest_active_conversation_count(self):
        # sudo: guest.conversation - a count per agent, readable by anyone who sees the agent
        counts = dict(
            self.env["guest.conversation"]
            .sudo()
            ._read_group([("agent_id", "in", self.ids), ("status", "=", "agent_assigned")], ["agent_id"], ["__count"])
        )
        for user in self:
            user.guest_active_conversation_count = counts.get(user, 0)
