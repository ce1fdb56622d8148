# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL


class GuestMessageReport(models.Model):
    _name = "guest.message.report"
    _inherit = "guest.report.view"
    _description = "Guest Message Analysis"
    _order = "date desc, id desc"
    _auto = False
    _rec_name = "date"

    # === FIELDS === #
    date = fields.Datetime("Sent on", readonly=True)
    conversation_id = fields.Many2one("guest.conversation", "Conversation", readonly=True)
    company_id = fields.Many2one("res.company", "Company", readonly=True)
    connection_id = fields.Many2one("guest.channel.connection", "Connection", readonly=True)
    channel_type = fields.Selection(selection="_selection_channel_type", string="Channel", readonly=True)
    direction = fields.Selection([("inbound", "Inbound"), ("outbound", "Outbound")], readonly=True)
    author_type = fields.Selection(
        [("guest", "Guest"), ("bot", "Bot"), ("agent", "Agent"), ("system", "System")], "Author", readonly=True)
    author_id = fields.Many2one("res.users", "Author user", readonly=True)

    # === TOOLING === #
    def _query(self):
        # LEFT JOIN (a message always has its connection): PostgreSQL drops the join when the channel is not asked
        return SQL(
            """
            SELECT gm.id AS id,
                   gm.create_date AS date,
                   gm.conversation_id AS conversation_id,
                   gm.company_id AS company_id,
                   gm.connection_id AS connection_id,
                   c.channel_type AS channel_type,
                   gm.direction AS direction,
                   gm.author_type AS author_type,
                   gm.author_id AS author_id
              FROM guest_message gm
              LEFT JOIN guest_channel_connection c ON c.id = gm.connection_id
            """
        )
