# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Claude API key typed in clear in System Parameters is replaced by its encrypted form."""

import logging

from guestmsg.core.secretbox import PREFIX as SECRET_PREFIX

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError

from odoo.addons.guest_messaging_bot.lib.bot_nlu import ANTHROPIC_KEY_PARAM

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    stored = (env["ir.config_parameter"].get_param(ANTHROPIC_KEY_PARAM) or "").strip()
    if not stored or stored.startswith(SECRET_PREFIX):
        return
    try:
        env["guest.channel.connection"]._set_secret_param(ANTHROPIC_KEY_PARAM, stored)
    except UserError as exc:
        # no usable encryption key: the key stays as it is, and its first read encrypts it once there is one
        _logger.warning("The Claude API key in the system parameter %s is still in clear. %s",
                        ANTHROPIC_KEY_PARAM, exc)
        return
    _logger.info("The Claude API key in the system parameter %s is now stored encrypted.", ANTHROPIC_KEY_PARAM)
