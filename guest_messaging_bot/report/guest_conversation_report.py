# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from guestmsg.bot.dialog.types import ESCALATION_REASON_LABELS

from odoo import fields, models
from odoo.tools import SQL

# the conversation's bookings that count: not cancelled. One hashed set of conversations for all rows,
# rather than a lookup per row that PostgreSQL would cost as such.
_BOOKED = SQL("c.id IN (SELECT r.guest_conversation_id FROM hotel_reservation r "
              "WHERE r.guest_conversation_id IS NOT NULL AND r.state != 'cancel')")


class GuestConversationReport(models.Model):
    """The conversation analysis learns which conversations booked, and why the bot handed over."""

    _inherit = "guest.conversation.report"

    booked = fields.Boolean(readonly=True, help="A reservation (not cancelled) was booked in the conversation.")
    booked_rate = fields.Integer("Booking share (%)", aggregator="avg", readonly=True,
                                 help="100 for a conversation that booked, 0 otherwise: its average is the share.")
    escalation_reason = fields.Selection(list(ESCALATION_REASON_LABELS.items()), readonly=True,
                                         help="Why the bot handed the guest to the team, in the current round.")

    def _extra_columns(self):
        return [
            *super()._extra_columns(),
            SQL("%s AS booked", _BOOKED),
            SQL("CASE WHEN %s THEN 100 ELSE 0 END AS booked_rate", _BOOKED),
            SQL("NULLIF(c.bot_context->>'escalation_reason', '') AS escalation_reason"),
        ]

    def _language_sql(self):
        # the language the bot read in the guest's messages comes before the channel's locale
        return SQL("COALESCE(NULLIF(c.bot_language, ''), %s)", super()._language_sql())
