# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

TEMPLATE_RATE_PARAM = "guest_messaging_whatsapp.rate_%s"
TEMPLATE_RATE_DEFAULTS = {"UTILITY": 0.02, "MARKETING": 0.05, "AUTHENTICATION": 0.03}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    guest_whatsapp_rate_utility = fields.Float(
        "Utility template (USD)", digits=(16, 4), config_parameter=TEMPLATE_RATE_PARAM % "utility",
        default=TEMPLATE_RATE_DEFAULTS["UTILITY"],
        help="Meta charges about $0.004 to $0.046 per utility template, depending on the guest's country. "
             "Utility templates sent while the guest's 24-hour service window is open are free.")
    guest_whatsapp_rate_marketing = fields.Float(
        "Marketing template (USD)", digits=(16, 4), config_parameter=TEMPLATE_RATE_PARAM % "marketing",
        default=TEMPLATE_RATE_DEFAULTS["MARKETING"],
        help="Meta charges about $0.01 to $0.08 per marketing template, depending on the guest's country.")
    guest_whatsapp_rate_authentication = fields.Float(
        "Authentication template (USD)", digits=(16, 4), config_parameter=TEMPLATE_RATE_PARAM % "authentication",
        default=TEMPLATE_RATE_DEFAULTS["AUTHENTICATION"])

    @api.constrains("guest_whatsapp_rate_utility", "guest_whatsapp_rate_marketing",
                    "guest_whatsapp_rate_authentication")
    def _check_guest_whatsapp_rates(self):
        if any(min(settings.guest_whatsapp_rate_utility, settings.guest_whatsapp_rate_marketing,
                   settings.guest_whatsapp_rate_authentication) < 0 for settings in self):
            raise ValidationError(self.env._("A template rate cannot be negative."))
