# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL


class GuestBookingReport(models.Model):
    _name = "guest.booking.report"
    _inherit = "guest.report.view"
    _description = "Guest Bookings Analysis"
    _order = "date desc, id desc"
    _auto = False
    _rec_name = "reservation_id"

    # === FIELDS === #
    reservation_id = fields.Many2one("hotel.reservation", "Reservation", readonly=True)
    date = fields.Datetime("Booked on", readonly=True)
    company_id = fields.Many2one("res.company", "Company", readonly=True)
    conversation_id = fields.Many2one("guest.conversation", "Conversation", readonly=True)
    connection_id = fields.Many2one("guest.channel.connection", "Connection", readonly=True)
    channel_type = fields.Selection(selection="_selection_channel_type", string="Channel", readonly=True)
    state = fields.Selection(selection="_selection_state", readonly=True)
    check_in = fields.Date("Check-in", readonly=True)
    nights = fields.Integer(aggregator="avg", readonly=True)
    rooms = fields.Integer(aggregator="sum", readonly=True)
    room_nights = fields.Integer("Room nights", aggregator="sum", readonly=True)
    revenue = fields.Monetary(
        currency_field="currency_id", aggregator="sum", readonly=True,
        help="The rooms' sales prices times the nights, in the company currency.")
    currency_id = fields.Many2one("res.currency", "Currency", readonly=True)

    @api.model
    def _selection_state(self):
        return self.env["hotel.reservation"]._fields["state"]._description_selection(self.env)

    # === TOOLING === #
    def _query(self):
        # a stay shorter than a day (same-day check-out) still sells one night
        return SQL(
            """
            SELECT r.id AS id,
                   r.id AS reservation_id,
                   r.create_date AS date,
                   r.company_id AS company_id,
                   r.guest_conversation_id AS conversation_id,
                   c.connection_id AS connection_id,
                   c.channel_type AS channel_type,
                   r.state AS state,
                   r.checkin::date AS check_in,
                   n.nights AS nights,
                   l.rooms::integer AS rooms,
                   (l.rooms * n.nights)::integer AS room_nights,
                   l.price * n.nights AS revenue,
                   co.currency_id AS currency_id
              FROM hotel_reservation r
              JOIN guest_conversation c ON c.id = r.guest_conversation_id
              JOIN res_company co ON co.id = r.company_id
             CROSS JOIN LATERAL (SELECT GREATEST(r.checkout::date - r.checkin::date, 1) AS nights) n
             CROSS JOIN LATERAL (
                    SELECT count(rel.room_id) AS rooms,
                           COALESCE(sum(pt.list_price), 0) AS price
                      FROM hotel_reservation_line line
                      JOIN hotel_reservation_line_room_rel rel ON rel.hotel_reservation_line_id = line.id
                      JOIN hotel_room room ON room.id = rel.room_id
                      JOIN product_product pp ON pp.id = room.product_id
                      JOIN product_template pt ON pt.id = pp.product_tmpl_id
                     WHERE line.line_id = r.id
                   ) l
             WHERE r.guest_conversation_id IS NOT NULL
            """
        )
