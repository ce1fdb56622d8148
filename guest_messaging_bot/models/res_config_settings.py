# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from guestmsg.bot.nlu.claude import DEFAULT_MODEL

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from odoo.addons.guest_messaging.models.res_config_settings import GUEST_SETTINGS_GROUPS

from ..lib.bot_nlu import (
    ANTHROPIC_KEY_PARAM, DEFAULT_MAX_LLM_CALLS_PER_HOUR, DEFAULT_TIMEOUT, HAIKU_MODELS, MAX_TIMEOUT, MIN_TIMEOUT,
    MODEL_PARAM, NATURAL_LANGUAGE_PARAM, TIMEOUT_PARAM, anthropic_model, anthropic_timeout, check_claude,
    natural_language_on, valid_model_id,
)
from ..lib.hotel_services import (
    CHECK_IN_HOUR_PARAM, CHECK_OUT_HOUR_PARAM, DEFAULT_MAX_BOOKINGS_PER_DAY, check_in_hour, check_out_hour,
)

OTHER_MODEL = "other"
HOURS = [(str(hour), f"{hour:02d}:00") for hour in range(24)]


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    guest_bot_natural_language = fields.Boolean(
        "Natural language", groups=GUEST_SETTINGS_GROUPS,
        help="Claude Haiku reads the guests' free text. When this is off, no key is stored or Claude fails, the "
             "built-in offline parser answers.",
    )
    guest_bot_anthropic_api_key = fields.Char(
        "Claude API key", compute="_compute_write_only_secrets", inverse="_inverse_write_only_secrets",
        groups=GUEST_SETTINGS_GROUPS,
    )
    guest_bot_anthropic_api_key_set = fields.Boolean(
        compute="_compute_guest_bot_anthropic_api_key_set", groups=GUEST_SETTINGS_GROUPS)
    guest_bot_anthropic_model = fields.Selection(
        [*HAIKU_MODELS, (OTHER_MODEL, "Other model")], "Model", groups=GUEST_SETTINGS_GROUPS,
        help="The Claude model that reads the guests' messages.",
    )
    guest_bot_anthropic_model_other = fields.Char(
        "Model id", groups=GUEST_SETTINGS_GROUPS,
        help="As Anthropic's documentation spells it, e.g. claude-haiku-4-5-20251001.",
    )
    guest_bot_anthropic_timeout = fields.Float(
        "Timeout", config_parameter=TIMEOUT_PARAM, default=DEFAULT_TIMEOUT, groups=GUEST_SETTINGS_GROUPS,
        help="Seconds the bot waits for Claude before the offline parser answers instead.",
    )
    guest_bot_check_in_hour = fields.Selection(
        HOURS, "Check-in from", groups=GUEST_SETTINGS_GROUPS,
        help="In the hotel's timezone: the bot books stays from this hour and tells guests about it.",
    )
    guest_bot_check_out_hour = fields.Selection(
        HOURS, "Check-out by", groups=GUEST_SETTINGS_GROUPS,
        help="In the hotel's timezone: the bot books stays until this hour and tells guests about it.",
    )
    guest_bot_escalation_keyword_count = fields.Integer(
        compute="_compute_guest_bot_escalation_keyword_count", groups=GUEST_SETTINGS_GROUPS)
    guest_bot_max_bookings_per_day = fields.Integer(
        "Bookings per guest and day", config_parameter="guest_messaging_bot.max_bookings_per_day",
        default=DEFAULT_MAX_BOOKINGS_PER_DAY, groups=GUEST_SETTINGS_GROUPS,
        help="How many reservations the bot books in one conversation within 24 hours; past it, the guest is "
             "offered the team.",
    )
    guest_bot_max_llm_calls_per_hour = fields.Integer(
        "Claude calls per guest and hour", config_parameter="guest_messaging_bot.max_llm_calls_per_hour",
        default=DEFAULT_MAX_LLM_CALLS_PER_HOUR, groups=GUEST_SETTINGS_GROUPS,
        help="How many messages of one conversation Claude reads within an hour; past it, the guest is offered "
             "the team. Bounds what one guest can cost.",
    )

    # === COMPUTE === #
    @api.model
    def _write_only_secret_params(self):
        return {**super()._write_only_secret_params(), "guest_bot_anthropic_api_key": ANTHROPIC_KEY_PARAM}

    @api.depends("guest_bot_anthropic_api_key")
    def _compute_guest_bot_anthropic_api_key_set(self):
        has_key = bool(self.env["guest.channel.connection"]._get_secret_param(ANTHROPIC_KEY_PARAM))
        for settings in self:
            settings.guest_bot_anthropic_api_key_set = has_key

    def _compute_guest_bot_escalation_keyword_count(self):
        # sudo: guest.bot.escalation.keyword - only a count, for administrators who do not manage the keywords
        count = self.env["guest.bot.escalation.keyword"].sudo().search_count(
            [("company_id", "=", self.env.company.id)])
        for settings in self:
            settings.guest_bot_escalation_keyword_count = count

    # === CONSTRAINTS === #
    @api.constrains("guest_bot_anthropic_model", "guest_bot_anthropic_model_other")
    def _check_guest_bot_anthropic_model(self):
        for settings in self:
            if settings.guest_bot_anthropic_model == OTHER_MODEL and not valid_model_id(
                    (settings.guest_bot_anthropic_model_other or "").strip()):
                raise ValidationError(self.env._(
                    "Type the other model's id as Anthropic spells it: letters, digits, dots and dashes, e.g. "
                    "claude-haiku-4-5-20251001."))

    @api.constrains("guest_bot_anthropic_timeout")
    def _check_guest_bot_anthropic_timeout(self):
        if any(not MIN_TIMEOUT <= settings.guest_bot_anthropic_timeout <= MAX_TIMEOUT for settings in self):
            least, most = f"{MIN_TIMEOUT:g}", f"{MAX_TIMEOUT:g}"
            raise ValidationError(self.env._("Claude's timeout is from %(least)s to %(most)s seconds.",
                                             least=least, most=most))

    # === VALUES === #
    def get_values(self):
        values = super().get_values()
        model = anthropic_model(self.env)
        offered = model in dict(HAIKU_MODELS)
        values.update({
            "guest_bot_natural_language": natural_language_on(self.env),
            "guest_bot_anthropic_model": model if offered else OTHER_MODEL,
            "guest_bot_anthropic_model_other": False if offered else model,
            # what the bot uses, even when the parameters were typed by hand as something unusable
            "guest_bot_anthropic_timeout": anthropic_timeout(self.env),
            "guest_bot_check_in_hour": str(check_in_hour(self.env)),
            "guest_bot_check_out_hour": str(check_out_hour(self.env)),
        })
        return values

    def set_values(self):
        result = super().set_values()
        if self.guest_bot_anthropic_model == OTHER_MODEL:
            model = (self.guest_bot_anthropic_model_other or "").strip()
        else:
            model = self.guest_bot_anthropic_model or DEFAULT_MODEL
        # sudo: ir.config_parameter - execute() lets only administrators get here
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(NATURAL_LANGUAGE_PARAM, "1" if self.guest_bot_natural_language else "0")
        if valid_model_id(model):
            params.set_param(MODEL_PARAM, model)
        params.set_param(CHECK_IN_HOUR_PARAM, self.guest_bot_check_in_hour or str(check_in_hour(self.env)))
        params.set_param(CHECK_OUT_HOUR_PARAM, self.guest_bot_check_out_hour or str(check_out_hour(self.env)))
        return result

    # === ACTIONS === #
    def _check_guest_bot_admin(self):
        if not (self.env.su or self.env.user.has_group("base.group_system")):
            raise AccessError(self.env._("Only Settings administrators can test or change the bot's Claude key."))

    def action_guest_bot_test_claude(self):
        """One small call to Claude with the saved key, model and timeout; the result in plain words."""
        self._check_guest_bot_admin()
        check = check_claude(self.env)
        message = check.message
        if not natural_language_on(self.env):
            message += " " + self.env._("Natural language is off: the offline parser answers until you turn it on.")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Claude works") if check.ok else self.env._("Claude does not work"),
                "message": message,
                "type": "success" if check.ok else "danger",
                "sticky": not check.ok,
            },
        }

    def action_guest_bot_forget_anthropic_key(self):
        """Remove the stored key: the offline parser answers from now on."""
        self._check_guest_bot_admin()
        self.env["guest.channel.connection"]._set_secret_param(ANTHROPIC_KEY_PARAM, False)
        return {"type": "ir.actions.client", "tag": "reload"}
