# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from guestmsg.core.routing import AGENT_STATUSES, ONLINE

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

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
    guest_last_assigned_at = fields.Datetime(
        "Last conversation received", readonly=True, copy=False,
        help="Between agents with equally many conversations, the one idle longest gets the next.",
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
        # the count routing uses, readable by anyone who sees the agent
        counts = self.env["guest.conversation"]._agent_active_counts(self._origin.ids)
        for user in self:
            user.guest_active_conversation_count = counts.get(user._origin.id, 0)

    def write(self, vals):
        result = super().write(vals)
        if vals.get("guest_agent_status") == ONLINE or "guest_max_conversations" in vals:
            # an agent came online or has room for more: waiting guests are offered again
            self.env["guest.conversation"]._trigger_routing()
        return result

    @api.model
    def guest_set_agent_status(self, status):
        """Set the current agent's presence from the web client: online, away or offline."""
        if not isinstance(status, str) or status not in AGENT_STATUSES:
            raise UserError(self.env._("An agent's status is one of: online, away, offline."))
        user = self.env.user
        if not user.has_group("guest_messaging.group_agent"):
            raise AccessError(self.env._("Only Guest Messaging agents have a status."))
        if user.guest_agent_status != status:
            user.write({"guest_agent_status": status})
        return user._guest_agent_presence()

    def _guest_agent_presence(self):
        self.ensure_one()
        return {
            "status": self.guest_agent_status,
            "active": self.guest_active_conversation_count,
            "max": self.guest_max_conversations,
        }

    @api.model
    def _guest_give_demo_user_agent_role(self):
        """In a database with Odoo's demo data, the demo user (demo / demo) works the inbox as a plain Agent."""
        demo = self.env.ref("base.user_demo", raise_if_not_found=False)
        if demo and not demo.has_group("guest_messaging.group_agent"):
            demo.write({"groups_id": [Command.link(self.env.ref("guest_messaging.group_agent").id)]})
