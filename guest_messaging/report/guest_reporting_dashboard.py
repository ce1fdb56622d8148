# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

PERIODS = (7, 30, 90)


class GuestReportingDashboard(models.AbstractModel):
    """The figures of Reporting > Overview: the last days at a glance, one tile per question managers ask.

    A tile is ``{key, label, value, kind, hint, action}``: ``kind`` tells the browser how to show the value
    (count, percent, minutes, rating, money) and ``action`` opens the analysis behind it. Addons add tiles
    through ``_dashboard_tiles`` and columns of the per-channel table through ``_dashboard_channel_columns``.
    """

    _name = "guest.reporting.dashboard"
    _description = "Guest Messaging Reporting Overview"

    @api.model
    def get_dashboard(self, days=30):
        if not self.env.user.has_group("guest_messaging.group_manager"):
            raise AccessError(self.env._("Only Guest Messaging managers see the reporting overview."))
        if not isinstance(days, int) or isinstance(days, bool) or days not in PERIODS:
            raise UserError(self.env._("The overview covers the last 7, 30 or 90 days."))
        now = fields.Datetime.now()
        since = now - timedelta(days=days)
        return {
            "days": days,
            "periods": list(PERIODS),
            "since": fields.Datetime.to_string(since),
            "tiles": self._dashboard_tiles(self._period(since, now)),
            "channel_columns": [{"field": name, "label": label, "kind": kind}
                                for name, label, kind in self._dashboard_channel_columns()],
            "channels": self._dashboard_channels(self._period(since, now)),
        }

    @api.model
    def _period(self, since, until):
        """The domain of the report rows dated in the period."""
        return [("date", ">=", fields.Datetime.to_string(since)), ("date", "<=", fields.Datetime.to_string(until))]

    # === TILES === #
    def _dashboard_tiles(self, period):
        """The tiles for the rows of ``period``: a domain on the fields every report has (date, connection)."""
        Conversations = self.env["guest.conversation.report"]
        domain = list(period)
        figures = self._aggregate(Conversations, domain, {
            "count": SQL("count(*)"),
            "escalated": SQL("avg(escalated_rate)"),
            "bot_only": SQL("avg(bot_only_rate)"),
            "expired": SQL("avg(CASE WHEN expired THEN 100 ELSE 0 END)"),
            "first_response_p50": SQL("percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response_minutes)"),
            "first_response_p90": SQL("percentile_cont(0.9) WITHIN GROUP (ORDER BY first_response_minutes)"),
            "resolution_p50": SQL("percentile_cont(0.5) WITHIN GROUP (ORDER BY resolution_minutes)"),
            "resolution_p90": SQL("percentile_cont(0.9) WITHIN GROUP (ORDER BY resolution_minutes)"),
            "rating": SQL("avg(rating)"),
            "rated": SQL("count(rating)"),
        })
        messages = self._aggregate(self.env["guest.message.report"], domain, {
            "inbound": SQL("count(*) FILTER (WHERE direction = 'inbound')"),
            "outbound": SQL("count(*) FILTER (WHERE direction = 'outbound')"),
        })
        conversations = "guest.conversation.report"
        return [
            self._tile("conversations", self.env._("Conversations"), figures["count"], "count",
                       self.env._("Started in the period"), conversations, domain, "pivot"),
            self._tile("bot_only", self.env._("Bot only"), figures["bot_only"], "percent",
                       self.env._("Handled by the bot alone"), conversations,
                       domain + [("bot_only", "=", True)], "list"),
            self._tile("escalated", self.env._("Escalated"), figures["escalated"], "percent",
                       self.env._("Reached a person"), conversations, domain + [("escalated", "=", True)], "list"),
            self._tile("expired", self.env._("Expired"), figures["expired"], "percent",
                       self.env._("Left idle with the bot"), conversations, domain + [("expired", "=", True)], "list"),
            self._tile("first_response", self.env._("First response"), figures["first_response_p50"], "minutes",
                       self._percentile_hint(figures["first_response_p90"]), conversations,
                       domain + [("first_response_minutes", "!=", False)], "pivot", {"group_by": ["agent_id"]}),
            self._tile("resolution", self.env._("Resolution time"), figures["resolution_p50"], "minutes",
                       self._percentile_hint(figures["resolution_p90"]), conversations,
                       domain + [("resolution_minutes", "!=", False)], "pivot", {"group_by": ["agent_id"]}),
            self._tile("rating", self.env._("Guest rating"), figures["rating"], "rating",
                       self.env._("%(count)s ratings", count=figures["rated"] or 0), conversations,
                       domain + [("rating", "!=", False)], "pivot", {"group_by": ["rated_agent_id"]}),
            self._tile("messages", self.env._("Guest messages"), messages["inbound"], "count",
                       self.env._("%(count)s sent to guests", count=messages["outbound"] or 0), "guest.message.report",
                       domain, "graph"),
        ]

    def _percentile_hint(self, p90):
        if p90 is None:
            return self.env._("No agent answer yet")
        return self.env._("Median; 9 in 10 within %(minutes)s min", minutes=round(p90, 1))

    @api.model
    def _tile(self, key, label, value, kind, hint, model, domain, view, context=None, currency=None):
        """One tile; a ``money`` tile is in ``currency`` (the company's when not given)."""
        if kind == "money":
            currency = currency or self.env.company.currency_id
        return {
            "key": key, "label": label, "value": None if value is None or value is False else value, "kind": kind,
            "hint": hint, "currency_id": currency.id if currency else False,
            "action": {"res_model": model, "name": label, "domain": domain, "view": view,
                       "context": context or {}},
        }

    # === CHANNELS === #
    def _dashboard_channel_columns(self):
        """(field of guest.conversation.report, label, kind) of the per-channel table, averaged per channel."""
        return [
            ("escalated_rate", self.env._("Escalated"), "percent"),
            ("bot_only_rate", self.env._("Bot only"), "percent"),
            ("first_response_minutes", self.env._("First response (avg)"), "minutes"),
            ("rating", self.env._("Guest rating"), "rating"),
        ]

    def _dashboard_channels(self, period):
        Conversations = self.env["guest.conversation.report"]
        columns = [name for name, _label, _kind in self._dashboard_channel_columns()]
        labels = dict(Conversations._fields["channel_type"]._description_selection(self.env))
        rows = Conversations._read_group(
            period, ["channel_type"], ["__count", *(f"{name}:avg" for name in columns)],
            order="__count desc")
        return [{"channel": channel, "label": labels.get(channel, channel or ""), "count": count,
                 **dict(zip(columns, values))} for channel, count, *values in rows]

    # === TOOLING === #
    @api.model
    def _aggregate(self, model, domain, expressions):
        """``name -> value`` of SQL aggregates over the rows of ``model`` the user may read in ``domain``."""
        query = model._search(domain)
        names = list(expressions)
        self.env.cr.execute(query.select(*(SQL("%s AS %s", expressions[name], SQL.identifier(name))
                                           for name in names)))
        values = self.env.cr.fetchone()
        return {name: (float(value) if value is not None and not isinstance(value, int) else value)
                for name, value in zip(names, values)}
