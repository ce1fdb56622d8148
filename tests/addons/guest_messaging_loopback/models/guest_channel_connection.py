# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import hmac

from odoo import api, fields, models

from ..channel import LOOPBACK, SIGNATURE_HEADER


def sign(secret, raw_body):
    return "sha256=" + hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()


class GuestChannelConnection(models.Model):
    _inherit = "guest.channel.connection"

    channel_type = fields.Selection(selection_add=[LOOPBACK.selection()], ondelete={LOOPBACK.code: "cascade"})
    loopback_account = fields.Char(index="btree_not_null", copy=False)
    loopback_url = fields.Char("Delivery URL", help="Where the guest's phone receives the replies.")
    loopback_secret = fields.Char(compute="_compute_secrets", inverse="_inverse_loopback_secret",
                                  groups="guest_messaging.group_manager")
    loopback_secret_encrypted = fields.Char(groups="base.group_system", copy=False)

    def _inverse_loopback_secret(self):
        self._store_secret("loopback_secret")

    def _webhook_secrets(self):
        found = super()._webhook_secrets()
        for connection in self.filtered(lambda c: c.channel_type == LOOPBACK.code):
            secret = connection._get_secret("loopback_secret")
            if secret:
                found.append(secret)
        return found

    @api.model
    def _webhook_signature(self, channel_type, headers):
        if channel_type == LOOPBACK.code:
            return headers.get(SIGNATURE_HEADER)
        return super()._webhook_signature(channel_type, headers)

    @api.model
    def _webhook_signature_ok(self, channel_type, secret, raw_body, signature):
        if channel_type == LOOPBACK.code:
            return hmac.compare_digest(sign(secret, raw_body), str(signature))
        return super()._webhook_signature_ok(channel_type, secret, raw_body, signature)
