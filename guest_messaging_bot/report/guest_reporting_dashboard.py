# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.tools import SQL


class GuestReportingDashboard(models.AbstractModel):
    """The overview learns what the chat booked."""

    _inherit = "guest.reporting.dashboard"

    def _dashboard_conversation_measures(self):
        return {**super()._dashboard_conversation_measures(), "booked": SQL("avg(booked_rate)")}

    def _dashboard_tiles(self, period, figures):
        tiles = super()._dashboard_tiles(period, figures)
        domain = [*period, ("state", "!=", "cancel")]
        bookings = self._aggregate(self.env["guest.booking.report"], domain, {
            "count": SQL("count(*)"),
            "room_nights": SQL("COALESCE(sum(room_nights), 0)"),
            "revenue": SQL("COALESCE(sum(revenue), 0)"),
        })
        tiles[1:1] = [
            self._tile("bookings", self.env._("Bookings"), bookings["count"], "count",
                       self.env._("%(nights)s room nights", nights=bookings["room_nights"]), "guest.booking.report",
                       domain, "pivot", {"group_by": ["channel_type"]}),
            self._tile("revenue", self.env._("Booked revenue"), bookings["revenue"], "money",
                       self.env._("Rooms times nights, not cancelled"), "guest.booking.report", domain, "graph"),
            self._tile("booked", self.env._("Booking share"), figures["booked"], "percent",
                       self.env._("Conversations that booked"), "guest.conversation.report",
                       [*period, ("booked", "=", True)], "list"),
        ]
        return tiles

    def _dashboard_channel_columns(self):
        return [*super()._dashboard_channel_columns(), ("booked", self.env._("Booked"), "percent")]
