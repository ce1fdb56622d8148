# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.guest_messaging_bot.lib.bot_nlu import count_param

PARAM_PREFIX = "guest_messaging_livechat."
KEEP_WINDOWS = timedelta(days=1)


class GuestLivechatRate(models.Model):
    """How often a visitor, or an address, did something in the current window of a rate limit
    (``guestmsg.channels.website_chat.RATE_LIMITS``)."""

    _name = "guest.livechat.rate"
    _description = "Website chat rate counter"
    _order = "window_start desc, id desc"
    _rec_name = "key"

    key = fields.Char(required=True, readonly=True)
    window_start = fields.Datetime(required=True, readonly=True)
    hits = fields.Integer(required=True, readonly=True, default=0)

    _sql_constraints = [
        ("key_window_unique", "unique(key, window_start)", "One counter a key and window."),
    ]

    @api.model
    def _limit_hits(self, limit):
        """The limit's allowance a window: its system parameter ``guest_messaging_livechat.<key>`` (0 turns it
        off), else its default."""
        return count_param(self.env, PARAM_PREFIX + limit.key, limit.hits)

    @api.model
    def _hit(self, limit, subject):
        """Count one more hit of ``subject`` (a visitor, an address) against ``limit`` now; False when that hit
        goes over it. One statement, safe when a visitor's requests arrive in parallel."""
        allowance = self._limit_hits(limit)
        if not allowance:
            return True
        key = f"{limit.key}:{subject}"[:256]
        rows = self.env.execute_query(SQL(
            """
            INSERT INTO guest_livechat_rate (key, window_start, hits, create_uid, write_uid, create_date, write_date)
            VALUES (%(key)s, %(window)s, 1, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
            ON CONFLICT (key, window_start) DO UPDATE SET hits = guest_livechat_rate.hits + 1,
                   write_date = now() AT TIME ZONE 'UTC'
            RETURNING hits
            """,
            key=key, window=limit.window_start(fields.Datetime.now()), uid=self.env.uid,
        ))
        return limit.allows(rows[0][0], allowance)

    @api.autovacuum
    def _gc_windows(self):
        self.env.execute_query(SQL(
            "DELETE FROM guest_livechat_rate WHERE window_start < %s", fields.Datetime.now() - KEEP_WINDOWS))
