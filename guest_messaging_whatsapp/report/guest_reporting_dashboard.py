# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.tools import SQL


class GuestReportingDashboard(models.AbstractModel):
    """The overview learns what WhatsApp templates cost."""

    _inherit = "guest.reporting.dashboard"

    def _dashboard_tiles(self, period, figures):
        tiles = super()._dashboard_tiles(period, figures)
        domain = list(period)
        templates = self._aggregate(self.env["guest.template.report"], domain, {
            "count": SQL("count(*)"),
            "cost": SQL("COALESCE(sum(estimated_cost), 0)"),
        })
        tiles.append(self._tile(
            "template_cost", self.env._("WhatsApp templates (USD)"), templates["cost"], "money",
            self.env._("%(count)s sent, estimated cost", count=templates["count"]), "guest.template.report",
            domain, "pivot", {"group_by": ["category"]}, currency=self.env.ref("base.USD")))
        return tiles
