# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import requests
from guestmsg.channels.errors import ChannelPermanentError, ChannelTransientError

from odoo import models


class GuestMessage(models.Model):
    _inherit = "guest.message"

    def _send_loopback(self):
        """Post the message to the connection's delivery URL; the answer's ``id`` is the platform id."""
        connection = self.connection_id
        wire = (self.payload or {}).get("wire") or {"kind": "text", "text": self.body or "", "options": []}
        try:
            response = requests.post(connection.loopback_url, json={
                "to": self.conversation_id.guest_external_id, "message": wire}, timeout=10)
        except requests.RequestException as exc:
            raise ChannelTransientError(str(exc), ambiguous=True) from None
        if response.status_code >= 500:
            raise ChannelTransientError(f"HTTP {response.status_code}", http_status=response.status_code)
        if response.status_code >= 400:
            raise ChannelPermanentError(f"HTTP {response.status_code}", http_status=response.status_code)
        return str(response.json()["id"])
