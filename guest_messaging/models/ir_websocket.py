# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class IrWebsocket(models.AbstractModel):
    _inherit = "ir.websocket"

    def _build_bus_channel_list(self, channels):
        return super()._build_bus_channel_list(channels) + self._guest_messaging_channels()

    def _guest_messaging_channels(self):
        """Agents hear the inbox changes of their own companies only."""
        user = self.env.user
        if not user or user._is_public() or not user.has_group("guest_messaging.group_agent"):
            return []
        Conversation = self.env["guest.conversation"]
        return [Conversation._inbox_bus_channel(company) for company in user.company_ids]
