# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from guestmsg.core.json_values import is_int

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

PERIODS = (7, 30, 90)
ANALYSIS_VIEWS = ("pivot", "graph", "list")
# an analysis of counts, not of records: no list
COUNTED_VIEWS = ("graph", "pivot")


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
        if not is_int(days) or days not in PERIODS:
            raise UserError(self.env._("The overview covers the last 7, 30 or 90 days."))
        now = fields.Datetime.now()
        since = now - timedelta(days=days)
        period = self._period(since, now)
        # the analyses are SQL views over the product's tables: pending writes must reach those first
        self.env.flush_all()
        totals, channels = self._conversation_figures(period)
        return {
            "days": days,
            "periods": list(PERIODS),
            "since": fields.Datetime.to_string(since),
            "tiles": self._dashboard_tiles(period, totals),
            "channel_columns": [{"field": name, "label": label, "kind": kind}
                                for name, label, kind in self._dashboard_channel_columns()],
            "channels": channels,
        }

    @api.model
    def _period(self, since, until):
        """The domain of the report rows dated in the period."""
        return [("date", ">=", fields.Datetime.to_string(since)), ("date", "<=", fields.Datetime.to_string(until))]

    # === CONVERSATION FIGURES === #
    def _dashboard_conversation_measures(self):
        """``name -> SQL aggregate`` over guest.conversation.report, read for the period and per channel in
        one pass; addons add theirs."""
        return {
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
        }

    def _conversation_figures(self, period):
        """(the period's figures, one row per channel): one scan of the conversation analysis, grouped by
        channel and in total (GROUPING SETS), since every measure of it costs a pass over the messages."""
        Report = self.env["guest.conversation.report"]
        measures = self._dashboard_conversation_measures()
        names = list(measures)
        query = Report._search(period)
        channel = Report._field_to_sql(Report._table, "channel_type", query)
        self.env.cr.execute(SQL(
            "%s GROUP BY GROUPING SETS ((%s), ())",
            query.select(SQL("GROUPING(%s) AS total", channel), SQL("%s AS channel", channel),
                         *(SQL("%s AS %s", measures[name], SQL.identifier(name)) for name in names)),
            channel,
        ))
        rows = self.env.cr.fetchall()
        labels = dict(Report._fields["channel_type"]._description_selection(self.env))
        totals, channels = dict.fromkeys(names), []
        for total, code, *values in rows:
            figures = {name: float(value) if value is not None and not isinstance(value, int) else value
                       for name, value in zip(names, values)}
            if total:
                totals = figures
            else:
                channels.append({"channel": code, "label": labels.get(code, code or ""), **figures})
        totals["count"] = totals["count"] or 0
        channels.sort(key=lambda row: -row["count"])
        return totals, channels

    # === TILES === #
    def _dashboard_tiles(self, period, figures):
        """The tiles for the rows of ``period`` (a domain on the fields every report has: date, connection),
        given the period's conversation ``figures``."""
        domain = list(period)
        conversations = "guest.conversation.report"
        messages = self._aggregate(self.env["guest.message.report"], domain, {
            "inbound": SQL("COALESCE(sum(message_count) FILTER (WHERE direction = 'inbound'), 0)"),
            "outbound": SQL("COALESCE(sum(message_count) FILTER (WHERE direction = 'outbound'), 0)"),
        })
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
                       self._percentile_hint(figures["first_response_p90"],
                                             self.env._("No agent answer to an escalation yet")), conversations,
                       domain + [("first_response_minutes", "!=", False)], "pivot", {"group_by": ["agent_id"]}),
            self._tile("resolution", self.env._("Resolution time"), figures["resolution_p50"], "minutes",
                       self._percentile_hint(figures["resolution_p90"], self.env._("No conversation resolved yet")),
                       conversations,
                       domain + [("resolution_minutes", "!=", False)], "pivot", {"group_by": ["agent_id"]}),
            self._tile("rating", self.env._("Guest rating"), figures["rating"], "rating",
                       self.env._("Conversations rated: %(count)s", count=figures["rated"] or 0), conversations,
                       domain + [("rating", "!=", False)], "pivot", {"group_by": ["rated_agent_id"]}),
            self._tile("messages", self.env._("Guest messages"), messages["inbound"], "count",
                       self.env._("Received in the period; %(count)s sent to guests", count=messages["outbound"]),
                       "guest.message.report", domain, "graph", views=COUNTED_VIEWS),
        ]

    def _percentile_hint(self, p90, empty):
        if p90 is None:
            return empty
        return self.env._("Median; 9 in 10 within %(minutes)s min", minutes=round(p90, 1))

    @api.model
    def _tile(self, key, label, value, kind, hint, model, domain, view, context=None, currency=None,
              views=ANALYSIS_VIEWS):
        """One tile, opening ``model`` in ``view`` and then its other ``views``; a ``money`` tile is in
        ``currency`` (the company's when not given)."""
        if kind == "money":
            currency = currency or self.env.company.currency_id
        return {
            "key": key, "label": label, "value": None if value is None or value is False else value, "kind": kind,
            "hint": hint, "currency_id": currency.id if currency else False,
            "action": {"res_model": model, "name": label, "domain": domain,
                       "views": [view, *(other for other in views if other != view)], "context": context or {}},
        }

    # === CHANNELS === #
    def _dashboard_channel_columns(self):
        """(measure of ``_dashboard_conversation_measures``, label, kind) of the per-channel table."""
        return [
            ("escalated", self.env._("Escalated"), "percent"),
            ("bot_only", self.env._("Bot only"), "percent"),
            ("first_response_p50", self.env._("First response (median)"), "minutes"),
            ("rating", self.env._("Guest rating"), "rating"),
        ]

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
