# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import psycopg2
from guestmsg.core.consent import START, STOP

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import mute_logger

LAST_TEXT_LENGTH = 64


class GuestOptOut(models.Model):
    _name = "guest.opt.out"
    _description = "Guest Notification Opt-out"
    _order = "changed_at desc, id desc"
    _rec_name = "guest_external_id"

    # === FIELDS === #
    connection_id = fields.Many2one(
        "guest.channel.connection", required=True, index=True, ondelete="cascade"
    )
    guest_external_id = fields.Char(
        "Guest ID on the channel", required=True, help="WhatsApp wa_id, Messenger PSID or Instagram IGSID."
    )
    company_id = fields.Many2one(related="connection_id.company_id", store=True, index=True)
    opted_out = fields.Boolean(
        default=True, help="Template messages (reservation notifications) are not sent to this guest."
    )
    changed_at = fields.Datetime(required=True, default=fields.Datetime.now)
    source = fields.Selection(
        [("guest_keyword", "Guest keyword"), ("staff", "Staff")], required=True, default="guest_keyword"
    )
    last_text = fields.Char(help="What the guest wrote to opt out or back in.")
    changed_by_id = fields.Many2one("res.users", "Changed by", readonly=True,
                                    help="The staff member who made the last change; empty when the guest did.")
    guest_name = fields.Char(compute="_compute_guest_name", help="The name of the guest's latest conversation.")

    _sql_constraints = [
        (
            "identity_unique",
            "unique(connection_id, guest_external_id)",
            "This guest already has an opt-out record on this connection.",
        ),
    ]

    # === COMPUTE === #
    def _compute_guest_name(self):
        Conversation = self.env["guest.conversation"]
        for record in self:
            latest = Conversation.search([("connection_id", "=", record.connection_id.id),
                                          ("guest_external_id", "=", record.guest_external_id)],
                                         order="last_message_at desc, id desc", limit=1)
            record.guest_name = latest.partner_id.name or latest.guest_name or ""

    # === ACTIONS === #
    def action_opt_in(self):
        """Staff: the guest asked, by another way than a message, to receive notifications again."""
        self._staff_command(START)

    def action_opt_out(self):
        """Staff: the guest asked, by another way than a message, to stop notifications."""
        self._staff_command(STOP)

    def _staff_command(self, command):
        for record in self:
            self._apply_command(record.connection_id, record.guest_external_id, command, "", source="staff")

    # === BUSINESS === #
    @api.model
    def _find(self, connection, guest_external_id):
        return self.search(
            [("connection_id", "=", connection.id), ("guest_external_id", "=", guest_external_id)], limit=1
        )

    @api.model
    def _apply_command(self, connection, guest_external_id, command, text, source="guest_keyword"):
        """Record ``command`` (STOP or START) for this channel identity; returns whether it changed
        anything, i.e. False for a STOP of a guest already opted out or a START of one who never was."""
        if command not in (STOP, START) or not connection or not guest_external_id:
            return False
        if source == "staff":
            if not self.env.user.has_group("guest_messaging.group_manager"):
                raise AccessError(self.env._("Only Guest Messaging managers change a guest's notifications."))
            connection.check_access("read")
        opted_out = command == STOP
        # sudo: guest.opt.out - the guest's own words decide, or a manager through the actions above; nobody
        # writes these records directly
        records = self.sudo()
        vals = {"opted_out": opted_out, "changed_at": fields.Datetime.now(), "source": source,
                "last_text": (text or "")[:LAST_TEXT_LENGTH],
                "changed_by_id": self.env.uid if source == "staff" else False}
        record = records._find(connection, guest_external_id)
        if not record:
            if not opted_out:
                return False
            try:
                with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                    records.create({**vals, "connection_id": connection.id, "guest_external_id": guest_external_id})
                    return True
            except psycopg2.errors.UniqueViolation:
                # the same guest's STOP, handled at the same time by another worker
                record = records._find(connection, guest_external_id)
        if record.opted_out == opted_out:
            return False
        record.write(vals)
        return True

    @api.model
    def _is_opted_out(self, connection, guest_external_id):
        """Whether this channel identity asked not to receive template messages."""
        if not connection or not guest_external_id:
            return False
        # sudo: guest.opt.out - whoever sends a notification must respect the guest's choice
        return bool(self.sudo().search_count([
            ("connection_id", "=", connection.id), ("guest_external_id", "=", guest_external_id),
            ("opted_out", "=", True),
        ], limit=1))
