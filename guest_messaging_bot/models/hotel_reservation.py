# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HotelReservation(models.Model):
    _inherit = "hotel.reservation"

    guest_conversation_id = fields.Many2one(
        "guest.conversation",
        "Booked in conversation",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        copy=False,
        help="The guest conversation in which the booking bot made this reservation.",
    )
