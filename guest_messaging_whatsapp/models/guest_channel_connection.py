# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from guestmsg.graph import GraphError
from guestmsg.whatsapp_webhook import ACCOUNT_BLOCKING_EVENTS, ACCOUNT_RECONNECTED_EVENTS

from odoo import models

_logger = logging.getLogger(__name__)


class GuestChannelConnection(models.Model):
    _inherit = "guest.channel.connection"

    def _on_account_update(self, update):
        """An account_update of these connections' WhatsApp Business Account: one that stops the account
        from sending puts them in error with Meta's words; a reconnection clears the error once the
        connection test passes. Others are only kept in Webhook Events. Returns how many were acted on."""
        if update.event in ACCOUNT_BLOCKING_EVENTS:
            detail = " (%s)" % update.detail if update.detail else ""
            for connection in self:
                connection._set_error(self.env._(
                    "Meta reports %(event)s for the WhatsApp Business Account %(account)s of %(name)s%(detail)s. "
                    "Nothing can be sent until Meta lifts it; see Meta Business Suite.",
                    event=update.event, account=update.waba_id, name=connection.name, detail=detail))
            return len(self)
        if update.event in ACCOUNT_RECONNECTED_EVENTS:
            recovered = self.browse()
            for connection in self.filtered(lambda c: c.state == "error"):
                try:
                    if connection._check_ok():
                        recovered |= connection
                except GraphError as exc:
                    _logger.warning("Connection %s: the check after %s failed: %s", connection.id, update.event, exc)
            recovered._recover_from_error()
            return len(recovered)
        return 0
