# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class GuestChannelConnection(models.Model):
    _inherit = "guest.channel.connection"

    satisfaction_survey = fields.Boolean(
        "Ask for a rating",
        help="After an agent resolves a conversation, ask the guest to rate the help from 1 to 5 (with an "
             "optional comment), while the channel still lets the hotel write to them.",
    )
