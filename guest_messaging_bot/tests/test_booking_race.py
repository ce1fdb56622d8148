from datetime import timedelta

import psycopg2
from guestmsg.bot.dialog import BookingRequest, GuestInfo, RoomUnavailable

from odoo import api, fields
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger

from odoo.addons.guest_messaging_bot.lib.hotel_services import OdooHotelServices


@tagged("guest_messaging", "post_install", "-at_install")
class TestBookingRace(BaseCase):
    """Two guests confirm the last free room at the same moment, in two real transactions."""

    def test_two_guests_cannot_both_get_the_last_room(self):
        registry = Registry(get_db_name())
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            room_type = env["hotel.room.type"].create({"name": "Race rooms"})
            room = env["hotel.room"].create({"name": "Race-1", "room_categ_id": room_type.id,
                                             "list_price": 100.0, "capacity": 2})
            connection = env["guest.channel.connection"].create({"name": "Race", "channel_type": "sandbox"})
            conversations = env["guest.conversation"].create([
                {"connection_id": connection.id, "guest_external_id": f"race-guest-{i}"} for i in (1, 2)
            ])
            ids = {"room": room.id, "room_type": room_type.id, "connection": connection.id,
                   "conversations": conversations.ids}
        check_in = fields.Date.today() + timedelta(days=30)

        def request(n):
            return BookingRequest(room_id=ids["room"], check_in=check_in, check_out=check_in + timedelta(days=2),
                                  adults=2, children=0, guest=GuestInfo(f"Guest{n}", "Race", f"g{n}@example.com"),
                                  guest_key=f"race-guest-{n}", guest_phone=None)

        cr1, cr2 = registry.cursor(), registry.cursor()
        outcomes = {}
        try:
            env1 = api.Environment(cr1, api.SUPERUSER_ID, {})
            env2 = api.Environment(cr2, api.SUPERUSER_ID, {})
            services1 = OdooHotelServices(env1["guest.conversation"].browse(ids["conversations"][0]))
            services2 = OdooHotelServices(env2["guest.conversation"].browse(ids["conversations"][1]))
            # both guests see the room free
            day_after = check_in + timedelta(days=2)
            self.assertTrue(services1.search_availability(check_in, day_after, 2, 0))
            self.assertTrue(services2.search_availability(check_in, day_after, 2, 0))
            outcomes[1] = services1.create_reservation(request(1))
            cr1.commit()
            try:
                with mute_logger("odoo.sql_db"):
                    outcomes[2] = services2.create_reservation(request(2))
                    cr2.commit()
            except (psycopg2.errors.SerializationFailure, RoomUnavailable) as exc:
                outcomes[2] = exc
                cr2.rollback()
            self.assertTrue(outcomes[1].reference)
            self.assertIsInstance(outcomes[2], (psycopg2.errors.SerializationFailure, RoomUnavailable))
            # the retry Odoo makes after a serialization failure sees the booking and refuses
            env2.invalidate_all()
            services2 = OdooHotelServices(env2["guest.conversation"].browse(ids["conversations"][1]))
            self.assertFalse([o for o in services2.search_availability(check_in, day_after, 2, 0)
                              if o.room_id == ids["room"]])
            with self.assertRaises(RoomUnavailable):
                services2.create_reservation(request(2))
            cr2.rollback()
        finally:
            cr1.close()
            cr2.close()
            with registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                reservations = env["hotel.reservation"].search([("guest_conversation_id", "in", ids["conversations"])])
                booked = len(reservations)
                reservations.cancel_reservation()
                reservations.write({"state": "draft"})
                partners = reservations.partner_id
                reservations.unlink()
                env["guest.conversation"].browse(ids["conversations"]).unlink()
                env["guest.channel.connection"].browse(ids["connection"]).unlink()
                env["hotel.room"].browse(ids["room"]).unlink()
                env["hotel.room.type"].browse(ids["room_type"]).unlink()
                partners.unlink()
        self.assertEqual(booked, 1, "exactly one guest got the room")
