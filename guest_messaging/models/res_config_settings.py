# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    guest_meta_app_id = fields.Char("Meta App ID", config_parameter="guest_messaging.meta_app_id")
    guest_meta_config_id = fields.Char(
        "Embedded Signup configuration ID", config_parameter="guest_messaging.meta_config_id",
        help="Facebook Login for Business > Configurations in the Meta App Dashboard.",
    )
    guest_meta_verify_token = fields.Char(
        "Webhook verify token", config_parameter="guest_messaging.meta_verify_token",
        help="Any text; paste the same in the app's webhook settings in the Meta App Dashboard.",
    )
    # write-only: the stored secret is never read back into the browser
    guest_meta_app_secret = fields.Char("Meta App Secret")
    guest_meta_app_secret_set = fields.Boolean(compute="_compute_guest_meta_app_secret_set")
    guest_webhook_retention_days = fields.Integer(
        "Keep processed webhooks (days)", config_parameter="guest_messaging.webhook_retention_days", default=30,
        help="Webhook bodies Meta sent are deleted this many days after they were processed (checked once a day). "
             "Parked and failing ones are kept until someone replays them.",
    )

    @api.depends("guest_meta_app_secret")
    def _compute_guest_meta_app_secret_set(self):
        has_secret = bool(self.env["guest.channel.connection"]._platform_app()[1])
        for settings in self:
            settings.guest_meta_app_secret_set = has_secret

    @api.constrains("guest_webhook_retention_days")
    def _check_guest_webhook_retention_days(self):
        if any(settings.guest_webhook_retention_days < 1 for settings in self):
            raise ValidationError(self.env._("Keep processed webhooks for at least one day."))

    def set_values(self):
        result = super().set_values()
        if self.guest_meta_app_secret:
            self.env["guest.channel.connection"]._set_platform_app_secret(self.guest_meta_app_secret)
        return result
