# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class GuestConversation(models.Model):
    _inherit = "guest.conversation"

    reservation_ids = fields.One2many("hotel.reservation", "guest_conversation_id", "Reservations booked here")
    reservation_count = fields.Integer(compute="_compute_reservation_count")

    def _compute_reservation_count(self):
        counts = dict(
            self.env["hotel.reservation"]._read_group(
                [("guest_conversation_id", "in", self.ids)], ["guest_conversation_id"], ["__count"]
            )
        )
        for conversation in self:
            conversation.reservation_count = counts.get(conversation, 0)

    def action_view_reservations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("hotel_reservation.action_hotel_reservation_tree_all")
        action["domain"] = [("guest_conversation_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
