# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import pytz
from babel.dates import format_date

from odoo import fields, models


class GuestInbox(models.AbstractModel):
    _inherit = "guest.inbox"

    def _guest_reservations_domain(self, conversation):
        # what the bot booked here, whether or not a contact is linked yet
        return ["|", ("guest_conversation_id", "=", conversation.id),
                *super()._guest_reservations_domain(conversation)]

    def _canned_values(self, conversation):
        values = super()._canned_values(conversation)
        reservation = self._canned_reservation(conversation)
        if reservation:
            locale = self._canned_locale(conversation)
            tz = pytz.timezone(conversation.company_id.partner_id.tz or self.env.user.tz or "UTC")
            local = reservation.with_context(tz=tz.zone)
            values.update({
                "reservation_reference": reservation.reservation_no or "",
                "check_in": format_date(
                    fields.Datetime.context_timestamp(local, reservation.checkin).date(), "long", locale=locale),
                "check_out": format_date(
                    fields.Datetime.context_timestamp(local, reservation.checkout).date(), "long", locale=locale),
                "room": ", ".join(reservation.reservation_line.reserve.mapped("name")),
            })
        return values

    def _canned_reservation(self, conversation):
        """The guest's next stay not yet over: booked in this conversation, or a confirmed one of its contact."""
        booked_here = [("guest_conversation_id", "=", conversation.id), ("state", "in", ("draft", "confirm"))]
        if conversation.partner_id:
            mine = ["|", "&", *booked_here, "&", ("partner_id", "=", conversation.partner_id.id),
                    ("state", "=", "confirm")]
        else:
            mine = ["&", *booked_here]
        # sudo: hotel.reservation - an agent answering the conversation quotes its guest's own next stay,
        # as the bot already did in the thread; agents need no access to the hotel's reservations for that
        return self.env["hotel.reservation"].sudo().search(
            [*mine, ("company_id", "=", conversation.company_id.id), ("checkout", ">=", fields.Datetime.now())],
            order="checkin, id", limit=1)
