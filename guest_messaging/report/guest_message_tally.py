# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..models.guest_message import AUTHOR_TYPES, DIRECTIONS

# Messages are counted once they are this old: a message is dated when its transaction starts, and none of
# the product's transactions lasts this long, so no message of a counted quarter hour commits after it.
SETTLED_AFTER = timedelta(hours=1)
COUNTED_UNTIL_FUNCTION = "guest_message_counted_until"
# how many days one run of the cron counts; it runs again at once while older days remain
DAYS_PER_RUN = 31


class GuestMessageTally(models.Model):
    """Messages counted per quarter hour, connection, direction and author: what the message analysis reads
    for all but the latest hour or so, instead of millions of messages.

    Every time zone is a whole number of quarter hours from UTC, so the analysis groups these counts by
    hour, day, week or month exactly in the user's time zone. A counted message that is deleted (with its
    conversation) is written off as a negative count in its quarter hour. The counts end at
    ``_counted_until_sql()``; the analysis reads the messages after it.
    """

    _name = "guest.message.tally"
    _description = "Guest Messages per Quarter Hour"
    _log_access = False
    _order = "slot desc, id desc"

    slot = fields.Datetime("Quarter hour", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True, ondelete="cascade")
    connection_id = fields.Many2one("guest.channel.connection", required=True, readonly=True, ondelete="cascade")
    direction = fields.Selection(DIRECTIONS, required=True, readonly=True)
    author_type = fields.Selection(AUTHOR_TYPES, required=True, readonly=True)
    author_id = fields.Many2one("res.users", readonly=True, ondelete="set null")
    message_count = fields.Integer("Messages", required=True, readonly=True)

    # === SQL === #
    @api.model
    def _slot_sql(self, column):
        """The start of the quarter hour of ``column`` (SQL)."""
        return SQL("date_trunc('hour', %s) + floor(extract(minute FROM %s) / 15) * interval '15 minutes'",
                   column, column)

    @api.model
    def _counted_until_sql(self):
        """Where the counts end (SQL): messages from then on are not counted yet; NULL before the first run."""
        return SQL("%s()", SQL.identifier(COUNTED_UNTIL_FUNCTION))

    def init(self):
        # Derived from the counts rather than stored: the end of the latest quarter hour with a count. A
        # STABLE function rather than a subquery, as PostgreSQL evaluates it when it plans: it then knows
        # that a few of the messages are read after it, not a third of them.
        self.env.cr.execute(SQL(
            """
            CREATE OR REPLACE FUNCTION %s() RETURNS timestamp LANGUAGE sql STABLE AS $$
                SELECT max(slot) + interval '15 minutes' FROM guest_message_tally WHERE message_count > 0
            $$
            """,
            SQL.identifier(COUNTED_UNTIL_FUNCTION),
        ))

    @api.model
    def _grouped_messages_sql(self, where, sign=1):
        """The counts of the messages matching ``where`` (SQL on ``gm``), as rows of this table, times
        ``sign``."""
        return SQL(
            """
            SELECT %(slot)s, gm.company_id, gm.connection_id, gm.direction, gm.author_type, gm.author_id,
                   %(sign)s * count(*)
              FROM guest_message gm
             WHERE %(where)s
             GROUP BY 1, 2, 3, 4, 5, 6
            """,
            slot=self._slot_sql(SQL("gm.create_date")), sign=sign, where=where,
        )

    # === CRON === #
    @api.model
    def _cron_tally_messages(self):
        """Count the settled messages not counted yet, up to ``DAYS_PER_RUN`` days of them per run; returns
        whether older messages remain to be counted."""
        self.env["guest.message"].flush_model()
        cr = self.env.cr
        cr.execute(SQL("SELECT %s", self._counted_until_sql()))
        counted_until = cr.fetchone()[0]
        # from the first message not counted: a quiet month is skipped, not counted in steps
        cr.execute(SQL(
            "SELECT %s, %s",
            self._slot_sql(SQL("(SELECT min(create_date) FROM guest_message WHERE create_date >= %s)",
                               counted_until or datetime.min)),
            self._slot_sql(SQL("%s::timestamp", fields.Datetime.now() - SETTLED_AFTER)),
        ))
        start, settled_until = cr.fetchone()
        # write-offs of messages the counts never held: deleted before they were counted
        cr.execute(SQL("DELETE FROM guest_message_tally WHERE slot >= %s", counted_until or datetime.min))
        if start is None or start >= settled_until:
            return False
        end = min(settled_until, start + timedelta(days=DAYS_PER_RUN))
        cr.execute(SQL(
            "INSERT INTO guest_message_tally (slot, company_id, connection_id, direction, author_type, author_id, "
            "message_count) %s",
            self._grouped_messages_sql(SQL("gm.create_date >= %s AND gm.create_date < %s", start, end)),
        ))
        self.env["ir.cron"]._notify_progress(done=1, remaining=int(end < settled_until))
        return end < settled_until

    # === WRITE-OFF === #
    @api.model
    def _write_off(self, where):
        """Take the messages matching ``where`` (SQL on ``gm``), about to be deleted, out of the counts.

        All of them are written off, counted or not: the next run drops the write-offs from its quarter
        hours on, which it counts without the deleted messages. No lock is needed with a run counting
        at the same time: what it counted is written off, what it did not count is dropped by it or the next.
        """
        self.env["guest.message"].flush_model()
        self.env.cr.execute(SQL(
            "INSERT INTO guest_message_tally (slot, company_id, connection_id, direction, author_type, author_id, "
            "message_count) %s",
            self._grouped_messages_sql(where, sign=-1),
        ))
