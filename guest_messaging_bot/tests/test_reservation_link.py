from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, tagged


@tagged("guest_messaging")
class TestReservationLink(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        connection = cls.env["guest.channel.connection"].create({"name": "Sandbox", "channel_type": "sandbox"})
        cls.conversation = cls.env["guest.conversation"].create(
            {"connection_id": connection.id, "guest_external_id": "34600000009", "guest_name": "Eva"}
        )
        room_type = cls.env["hotel.room.type"].create({"name": "Double test"})
        cls.room = cls.env["hotel.room"].create(
            {"name": "D-101", "room_categ_id": room_type.id, "list_price": 120.0, "capacity": 2}
        )
        cls.partner = cls.env["res.partner"].create({"name": "Eva Test"})
        cls.pricelist = cls.env["product.pricelist"].create({"name": "Rack rate"})

    def test_reservation_points_back_to_its_conversation(self):
        checkin = fields.Datetime.now() + timedelta(days=3)
        reservation = self.env["hotel.reservation"].create(
            {
                "partner_id": self.partner.id,
                "pricelist_id": self.pricelist.id,
                "checkin": checkin,
                "checkout": checkin + timedelta(days=2),
                "adults": 2,
                "guest_conversation_id": self.conversation.id,
                "reservation_line": [
                    Command.create({"categ_id": self.room.room_categ_id.id, "reserve": [Command.set(self.room.ids)]})
                ],
            }
        )
        self.assertEqual(self.conversation.reservation_ids, reservation)
        self.assertEqual(self.conversation.reservation_count, 1)
        action = self.conversation.action_view_reservations()
        self.assertEqual(self.env["hotel.reservation"].search(action["domain"]), reservation)
        self.conversation.unlink()
        self.assertFalse(reservation.guest_conversation_id)
