# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import column_exists

from .guest_channel_connection_meta import PLATFORM_SECRET_PARAM
from .guest_conversation import (
    BOT_IDLE_TIMEOUT_MINUTES, BOT_IDLE_TIMEOUT_PARAM, MAX_TIMEOUT_MINUTES, UNCLAIMED_TIMEOUT_MINUTES,
    UNCLAIMED_TIMEOUT_PARAM,
)

# Who sees the Guest Messaging settings that steer conversations (Settings itself is for administrators)
GUEST_SETTINGS_GROUPS = "base.group_system,guest_messaging.group_manager"
# what an API key or app secret is made of: visible ASCII, no spaces
SECRET_SETTING = re.compile(r"[\x21-\x7e]{1,512}")


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
    guest_meta_app_secret = fields.Char(
        "Meta App Secret", compute="_compute_write_only_secrets", inverse="_inverse_write_only_secrets")
    guest_meta_app_secret_set = fields.Boolean(compute="_compute_guest_meta_app_secret_set")
    guest_webhook_retention_days = fields.Integer(
        "Keep processed webhooks (days)", config_parameter="guest_messaging.webhook_retention_days", default=30,
        help="Webhook bodies Meta sent are deleted this many days after they were processed (checked once a day). "
             "Parked and failing ones are kept until someone replays them.",
    )
    guest_bot_idle_timeout = fields.Integer(
        "Bot conversation expires after", config_parameter=BOT_IDLE_TIMEOUT_PARAM,
        default=BOT_IDLE_TIMEOUT_MINUTES, groups=GUEST_SETTINGS_GROUPS,
        help="Minutes without a message after which a conversation the bot handles ends; the guest's next "
             "message starts afresh.",
    )
    guest_unclaimed_timeout = fields.Integer(
        "Waiting guest goes back to the bot after", config_parameter=UNCLAIMED_TIMEOUT_PARAM,
        default=UNCLAIMED_TIMEOUT_MINUTES, groups=GUEST_SETTINGS_GROUPS,
        help="Minutes a guest who asked for a person waits for an agent to claim the conversation before the "
             "bot takes it back.",
    )

    def init(self):
        result = super().init()
        # secrets typed in Settings before they became write-only were kept in clear in this table's rows
        for field_name in self._write_only_secret_params():
            if column_exists(self.env.cr, self._table, field_name):
                self.env.cr.execute(SQL("ALTER TABLE %s DROP COLUMN %s",
                                        SQL.identifier(self._table), SQL.identifier(field_name)))
        return result

    # === WRITE-ONLY SECRETS === #
    @api.model
    def _write_only_secret_params(self):
        """The secret settings, ``{field: system parameter}``: typed in, stored encrypted in the parameter
        (``guest.channel.connection._set_secret_param``), never kept in this model's table nor read back."""
        return {"guest_meta_app_secret": PLATFORM_SECRET_PARAM}

    def _compute_write_only_secrets(self):
        for settings in self:
            for field_name in self._write_only_secret_params():
                settings[field_name] = False

    def _inverse_write_only_secrets(self):
        if not (self.env.su or self.env.user.has_group("base.group_system")):
            raise AccessError(self.env._("Only Settings administrators can change the Guest Messaging secrets."))
        for settings in self:
            for field_name, param in self._write_only_secret_params().items():
                secret = (settings[field_name] or "").strip()
                if not secret:
                    continue
                if not SECRET_SETTING.fullmatch(secret):
                    raise UserError(self.env._(
                        "%(field)s was not stored: paste it again without spaces or line breaks "
                        "(at most 512 characters).", field=self._fields[field_name]._description_string(self.env)))
                self.env["guest.channel.connection"]._set_secret_param(param, secret)

    @api.depends("guest_meta_app_secret")
    def _compute_guest_meta_app_secret_set(self):
        has_secret = bool(self.env["guest.channel.connection"]._platform_app()[1])
        for settings in self:
            settings.guest_meta_app_secret_set = has_secret

    def set_values(self):
        self.check_access("write")
        return super().set_values()

    # === CONSTRAINTS === #
    @api.constrains("guest_webhook_retention_days")
    def _check_guest_webhook_retention_days(self):
        if any(settings.guest_webhook_retention_days < 1 for settings in self):
            raise ValidationError(self.env._("Keep processed webhooks for at least one day."))

    @api.constrains("guest_bot_idle_timeout", "guest_unclaimed_timeout")
    def _check_guest_conversation_timeouts(self):
        for settings in self:
            if not all(1 <= minutes <= MAX_TIMEOUT_MINUTES
                       for minutes in (settings.guest_bot_idle_timeout, settings.guest_unclaimed_timeout)):
                raise ValidationError(self.env._(
                    "Conversation timeouts are from 1 to %(most)s minutes (a week).", most=MAX_TIMEOUT_MINUTES))

    # === VALUES === #
    # Only Settings administrators may read settings (the model's access rights), but these public methods
    # answer over RPC without looking at them: they check them first.
    @api.model
    def default_get(self, fields):
        self.check_access("read")
        return super().default_get(fields)

    def get_values(self):
        self.check_access("read")
        values = super().get_values()
        # what the cron uses, even when the parameter was typed by hand as something unusable
        conversations = self.env["guest.conversation"]
        values["guest_bot_idle_timeout"] = conversations._timeout_minutes(
            BOT_IDLE_TIMEOUT_PARAM, BOT_IDLE_TIMEOUT_MINUTES)
        values["guest_unclaimed_timeout"] = conversations._timeout_minutes(
            UNCLAIMED_TIMEOUT_PARAM, UNCLAIMED_TIMEOUT_MINUTES)
        return values
