# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, models


class HotelReservation(models.Model):
    _inherit = "hotel.reservation"

    @api.model
    def _move_sequence_past_existing_numbers(self):
        """Move the reservations' sequence past the numbers already given, so no booking is ever told a
        reference another reservation has (OCA's demo reservation is R/00002 while the sequence starts at 1).
        Run at every install and upgrade."""
        # sudo: ir.sequence - the platform keeps its own numbering right
        for sequence in self.env["ir.sequence"].sudo().search([("code", "=", self._name)]):
            prefix, suffix = sequence._get_prefix_suffix()
            pattern = re.compile(rf"^{re.escape(prefix)}(\d+){re.escape(suffix)}$")
            taken = [int(match.group(1)) for number in self.sudo().with_context(active_test=False).search(
                        [("reservation_no", "=like", f"{prefix}%")]).mapped("reservation_no")
                     if (match := pattern.match(number or ""))]
            if taken and max(taken) >= sequence.number_next_actual:
                sequence.number_next_actual = max(taken) + 1
