# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

import threading

import psycopg2
from guestmsg import conversation_status as cs
from guestmsg.capabilities import PROFILES, degrade
from guestmsg.phone import national_digits, to_e164

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, mute_logger

SERVICE_WINDOW = timedelta(hours=24)
BOT_IDLE_TIMEOUT = timedelta(minutes=60)
UNCLAIMED_TIMEOUT = timedelta(minutes=30)

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

    # === INBOUND === #
    @api.model
    def _ingest_inbound(self, connection, guest_external_id, platform_message_id, message_vals,
                        guest_name=None, guest_phone=None):
        """Record one guest message exactly once; returns the new guest.message, or False for a duplicate."""
        Message = self.env["guest.message"]
        if platform_message_id and Message.search_count(
            [("connection_id", "=", connection.id), ("platform_message_id", "=", platform_message_id)], limit=1
        ):
            return False
        conversation = self._get_or_create(connection, guest_external_id)
        conversation._update_guest(guest_name, guest_phone)
        if conversation.status in (cs.RESOLVED, cs.EXPIRED):
            conversation.write({"status": cs.BOT_HANDLING, "agent_id": False, "bot_state": False,
                                "bot_context": False, "escalated_at": False})
        message = Message.create({
            **message_vals,
            "conversation_id": conversation.id,
            "direction": "inbound",
            "author_type": "guest",
            "platform_message_id": platform_message_id,
        })
        conversation._on_inbound_message(message)
        return message

    @api.model
    def _get_or_create(self, connection, guest_external_id):
        domain = [("connection_id", "=", connection.id), ("guest_external_id", "=", guest_external_id)]
        conversation = self.search(domain, limit=1)
        if conversation:
            return conversation
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                return self.create({"connection_id": connection.id, "guest_external_id": guest_external_id})
        except psycopg2.errors.UniqueViolation:
            return self.search(domain, limit=1)

    def _update_guest(self, guest_name, guest_phone):
        self.ensure_one()
        vals = {}
        if guest_name and guest_name != self.guest_name:
            vals["guest_name"] = guest_name[:256]
        e164 = to_e164(guest_phone) if guest_phone else None
        if e164 and e164 != self.guest_phone:
            vals["guest_phone"] = e164
        if not self.partner_id and (e164 or self.guest_phone):
            partner = self._match_partner(e164 or self.guest_phone)
            if partner:
                vals["partner_id"] = partner.id
        if vals:
            self.write(vals)

    @api.model
    def _match_partner(self, e164):
        """The contact whose phone or mobile is this number, whatever way it was typed."""
        digits = national_digits(e164)
        if len(digits) < 6:
            return self.env["res.partner"]
        # digits-only comparison of the national number's tail; candidates are confirmed in E.164
        rows = self.env.execute_query(SQL(
            """
            SELECT id, phone, mobile FROM res_partner
             WHERE active AND (regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g') LIKE %(tail)s
                            OR regexp_replace(coalesce(mobile, ''), '[^0-9]', '', 'g') LIKE %(tail)s)
             ORDER BY id
             LIMIT 20
            """,
            tail=f"%{digits}",
        ))
        region = self.env.company.country_id.code
        for partner_id, phone, mobile in rows:
            if any(number and to_e164(number, region) == e164 for number in (phone, mobile)):
                return self.env["res.partner"].browse(partner_id)
        return self.env["res.partner"]

    def _on_inbound_message(self, message):
        """Hook for the booking bot and routing; the inbox alone only records the message."""

    # === OUTBOUND === #
    def _in_service_window(self):
        self.ensure_one()
        return bool(self.last_inbound_at) and fields.Datetime.now() - self.last_inbound_at < SERVICE_WINDOW

    def _check_service_window(self):
        for conversation in self:
            if not conversation._in_service_window():
                raise UserError(self.env._(
                    "The guest last wrote more than 24 hours ago, so Meta only accepts an approved template "
                    "now. Send a template message, or wait for the guest to write again."
                ))

    def _queue_outbound(self, vals_list):
        """Create outbound messages as queued; the outbox worker sends them after this transaction commits."""
        self.ensure_one()
        messages = self.env["guest.message"].create([
            {"direction": "outbound", "message_type": "text", **vals, "conversation_id": self.id,
             "delivery_status": "queued"}
            for vals in vals_list
        ])
        messages._queue_wake()
        return messages

    def _capability_profile(self):
        return PROFILES[self.channel_type]

    def _queue_rich(self, message, author_type="bot"):
        """Queue an abstract message (Text, Buttons, OptionList) fitted to this channel's capabilities.

        Options that had to become a numbered list are kept on the message, so a guest who answers
        "2" is understood.
        """
        self.ensure_one()
        rendered = degrade(message, self._capability_profile())
        wire_builder = getattr(self, f"_wire_payloads_{self.channel_type}")
        options = [{"id": o.id, "title": o.title} for o in rendered.options]
        return self._queue_outbound([
            {
                "author_type": author_type,
                "message_type": "text" if wire.get("type") == "text" else "interactive",
                "body": (wire.get("text") or {}).get("body") or rendered.body,
                "payload": {"wire": wire, "kind": rendered.kind, "options": options},
            }
            for wire in wire_builder(rendered)
        ])

    def send_agent_message(self, body):
        """Send ``body`` to the guest as the current agent, within Meta's 24-hour window."""
        self.ensure_one()
        self.check_access("write")
        body = (body or "").strip()
        if not body:
            raise UserError(self.env._("Write a message before sending."))
        if len(body) > 4096:
            raise UserError(self.env._("A message can hold at most 4096 characters."))
        self._check_service_window()
        # sudo: guest.message - agents create messages through this method only; access was checked above
        message = self.sudo()._queue_outbound([{"author_type": "agent", "author_id": self.env.uid, "body": body}])
        return message.id

    # === SYSTEM MESSAGES === #
    def _post_system_message(self, body):
        """A line in the thread for staff ("Bot escalated to agent"); never sent to the guest."""
        # sudo: guest.message - system lines are written by the platform on behalf of whoever acted
        return self.env["guest.message"].sudo().create([
            {"conversation_id": conversation.id, "direction": "outbound", "author_type": "system",
             "message_type": "system", "body": body}
            for conversation in self
        ])

    # === TIMEOUTS === #
    @api.model
    def _timed_out(self, status, column, older_than, batch_size):
        """Conversations in ``status`` whose ``column`` is older than the limit, locked for this transaction.

        Rows a webhook worker is busy with are skipped (SKIP LOCKED) and caught on the next run.
        """
        self.flush_model()
        limit_at = fields.Datetime.now() - older_than
        rows = self.env.execute_query(SQL(
            """
            SELECT id FROM guest_conversation
             WHERE status = %s AND %s < %s
             ORDER BY id
             LIMIT %s
             FOR NO KEY UPDATE SKIP LOCKED
            """,
            status, SQL.identifier(column), limit_at, batch_size,
        ))
        return self.browse([row[0] for row in rows])

    @api.model
    def _cron_conversation_timeouts(self, batch_size=500):
        """Idle bot conversations expire; unclaimed escalations go back to the bot."""
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        expired = self._timed_out(cs.BOT_HANDLING, "last_message_at", BOT_IDLE_TIMEOUT, batch_size)
        if expired:
            expired.write({"status": cs.EXPIRED, "bot_state": False, "bot_context": False})
            expired._post_system_message(self.env._("Conversation expired after 60 minutes without activity"))
        if auto_commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        unclaimed = self._timed_out(cs.AWAITING_AGENT, "escalated_at", UNCLAIMED_TIMEOUT, batch_size)
        if unclaimed:
            unclaimed.write({"status": cs.BOT_HANDLING, "escalated_at": False, "bot_state": False})
            unclaimed._post_system_message(
                self.env._("No agent claimed the conversation within 30 minutes; handed back to the bot")
            )
        if auto_commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        if len(expired) == batch_size or len(unclaimed) == batch_size:
            self.env.ref("guest_messaging.ir_cron_conversation_timeouts")._trigger()
        return len(expired), len(unclaimed)
