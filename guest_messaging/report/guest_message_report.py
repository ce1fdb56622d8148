# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

from ..models.guest_message import AUTHOR_TYPES, DIRECTIONS


class GuestMessageReport(models.Model):
    """Messages counted per quarter hour: the settled ones from guest.message.tally, the latest ones from the
    messages themselves, so that a month of a busy hotel reads thousands of rows rather than millions."""

    _name = "guest.message.report"
    _inherit = "guest.report.view"
    _description = "Guest Message Analysis"
    _order = "date desc, id desc"
    _auto = False
    _rec_name = "date"

    # === FIELDS === #
    date = fields.Datetime("Sent on", readonly=True, help="The quarter hour the messages were sent or received in.")
    company_id = fields.Many2one("res.company", "Company", readonly=True)
    connection_id = fields.Many2one("guest.channel.connection", "Connection", readonly=True)
    channel_type = fields.Selection(selection="_selection_channel_type", string="Channel", readonly=True)
    direction = fields.Selection(DIRECTIONS, readonly=True)
    author_type = fields.Selection(AUTHOR_TYPES, "Author", readonly=True)
    author_id = fields.Many2one("res.users", "Author user", readonly=True)
    message_count = fields.Integer("Messages", aggregator="sum", readonly=True)

    # === TOOLING === #
    def _query(self):
        # ids: the tally's, and minus the first message of each group after it. A count with its write-offs
        # (deleted messages) is one row, none when nothing is left of it.
        Tally = self.env["guest.message.tally"]
        counted_until = Tally._counted_until_sql()
        return SQL(
            """
            SELECT min(t.id) AS id, t.slot AS date, t.company_id AS company_id, t.connection_id AS connection_id,
                   c.channel_type AS channel_type, t.direction AS direction, t.author_type AS author_type,
                   t.author_id AS author_id, sum(t.message_count)::integer AS message_count
              FROM guest_message_tally t
              LEFT JOIN guest_channel_connection c ON c.id = t.connection_id
             WHERE t.slot < %(counted_until)s
             GROUP BY 2, 3, 4, 5, 6, 7, 8
            HAVING sum(t.message_count) != 0
             UNION ALL
            SELECT -min(gm.id), %(slot)s, gm.company_id, gm.connection_id, c.channel_type, gm.direction,
                   gm.author_type, gm.author_id, count(*)::integer
              FROM guest_message gm
              LEFT JOIN guest_channel_connection c ON c.id = gm.connection_id
             WHERE gm.create_date >= COALESCE(%(counted_until)s, '-infinity'::timestamp)
             GROUP BY 2, 3, 4, 5, 6, 7, 8
            """,
            counted_until=counted_until,
            slot=Tally._slot_sql(SQL("gm.create_date")),
        )
