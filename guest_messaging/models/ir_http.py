# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        """The agent's presence comes with the web client, so the status menu needs no extra call."""
        result = super().session_info()
        user = self.env.user
        if user._is_internal() and user.has_group("guest_messaging.group_agent"):
            result["guest_messaging_agent"] = user._guest_agent_presence()
        return result
