# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..lib.bot_nlu import ANTHROPIC_KEY_PARAM, DEFAULT_MAX_LLM_CALLS_PER_HOUR
from ..lib.hotel_services import DEFAULT_MAX_BOOKINGS_PER_DAY


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # write-only: the stored key is never read back into the browser
    guest_bot_anthropic_api_key = fields.Char("Claude API key")
    guest_bot_anthropic_api_key_set = fields.Boolean(compute="_compute_guest_bot_anthropic_api_key_set")
    guest_bot_max_bookings_per_day = fields.Integer(
        "Bookings per guest and day", config_parameter="guest_messaging_bot.max_bookings_per_day",
        default=DEFAULT_MAX_BOOKINGS_PER_DAY,
        help="How many reservations the bot books in one conversation within 24 hours; past it, the guest is "
             "offered the team.",
    )
    guest_bot_max_llm_calls_per_hour = fields.Integer(
        "Claude calls per guest and hour", config_parameter="guest_messaging_bot.max_llm_calls_per_hour",
        default=DEFAULT_MAX_LLM_CALLS_PER_HOUR,
        help="How many messages of one conversation Claude reads within an hour; past it, the guest is offered "
             "the team. Bounds what one guest can cost.",
    )

    @api.depends("guest_bot_anthropic_api_key")
    def _compute_guest_bot_anthropic_api_key_set(self):
        has_key = bool(self.env["guest.channel.connection"]._get_secret_param(ANTHROPIC_KEY_PARAM))
        for settings in self:
            settings.guest_bot_anthropic_api_key_set = has_key

    def set_values(self):
        result = super().set_values()
        if self.guest_bot_anthropic_api_key:
            self.env["guest.channel.connection"]._set_secret_param(ANTHROPIC_KEY_PARAM,
                                                                  self.guest_bot_anthropic_api_key)
        return result
