# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from guestmsg import conversation_status as cs

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

STATUS_SELECTION = [(status, cs.STATUS_LABELS[status]) for status in cs.STATUSES]


class GuestConversation(models.Model):
    _name = "guest.conversation"
    _description = "Guest Conversation"
    _inherit = ["mail.thread"]
    _order = "last_message_at desc, id desc"
    _rec_names_search = ["guest_name", "guest_phone", "guest_external_id"]

    # === FIELDS === #
    connection_id = fields.Many2one(
        "guest.channel.connection", required=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(related="connection_id.company_id", store=True, index=True)
    channel_type = fields.Selection(related="connection_id.channel_type", store=True)
    partner_id = fields.Many2one("res.partner", "Guest contact", index="btree_not_null", tracking=True)
    guest_name = fields.Char(index="trigram")
    guest_external_id = fields.Char(
        "Guest ID on the channel", required=True, help="WhatsApp wa_id, Messenger PSID or Instagram IGSID."
    )
    guest_phone = fields.Char(index="trigram", help="E.164 when known.")
    status = fields.Selection(
        STATUS_SELECTION, required=True, default=cs.BOT_HANDLING, index=True, tracking=True
    )
    agent_id = fields.Many2one("res.users", "Agent", index="btree_not_null", tracking=True)
    last_message_at = fields.Datetime(index=True, readonly=True)
    last_inbound_at = fields.Datetime(readonly=True, help="When the guest last wrote: opens the 24-hour window.")
    last_message_preview = fields.Char(readonly=True)
    escalated_at = fields.Datetime(readonly=True)
    unread_count = fields.Integer(default=0, readonly=True)
    bot_state = fields.Char(readonly=True, copy=False)
    bot_context = fields.Json(readonly=True, copy=False)
    guest_message_ids = fields.One2many("guest.message", "conversation_id", "Guest messages")

    _sql_constraints = [
        (
            "guest_unique_per_connection",
            "unique(connection_id, guest_external_id)",
            "A conversation with this guest already exists on this connection.",
        ),
        (
            "assigned_has_agent",
            "CHECK(status != 'agent_assigned' OR agent_id IS NOT NULL)",
            "A conversation assigned to an agent needs an agent.",
        ),
        ("unread_not_negative", "CHECK(unread_count >= 0)", "The unread count cannot be negative."),
    ]

    # === COMPUTE === #
    @api.depends("guest_name", "guest_phone", "guest_external_id")
    def _compute_display_name(self):
        for conversation in self:
            conversation.display_name = (
                conversation.guest_name or conversation.guest_phone or conversation.guest_external_id
            )

    # === CRUD === #
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("status", cs.BOT_HANDLING) == cs.AGENT_ASSIGNED and not vals.get("agent_id"):
                raise UserError(self.env._("A conversation assigned to an agent needs an agent."))
        return super().create(vals_list)

    def write(self, vals):
        if "agent_id" in vals:
            self._check_can_set_agent(vals["agent_id"])
        if "status" in vals:
            self._check_status_transition(vals["status"])
        return super().write(vals)

    # === BUSINESS === #
    def _check_status_transition(self, new_status):
        """The one authority over status changes: every path writes through here."""
        for conversation in self:
            if not cs.is_allowed(conversation.status, new_status):
                raise UserError(str(cs.IllegalTransition(conversation.status, new_status)))

    def _check_can_set_agent(self, agent_id):
        if self.env.su or self.env.user.has_group("guest_messaging.group_manager"):
            return
        for conversation in self:
            if agent_id and agent_id != self.env.uid:
                raise AccessError(self.env._("Only Guest Messaging managers can assign conversations to others."))
            if not agent_id and conversation.agent_id and conversation.agent_id != self.env.user:
                raise AccessError(self.env._("Only Guest Messaging managers can unassign another agent."))
