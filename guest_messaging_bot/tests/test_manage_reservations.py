from odoo.tests import TransactionCase, tagged

from .common import BotFixtures


@tagged("guest_messaging", "post_install", "-at_install")
class TestManageReservations(BotFixtures, TransactionCase):
    """A guest changes or cancels their own reservation in the chat, through hotel_reservation's methods."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patch_key()
        cls.setup_hotel(cls.env)

    def booked(self, guest, day=10):
        conversation = self.book(guest, f"{guest}@example.com", day=day)
        reservation = conversation.reservation_ids
        self.assertEqual(reservation.state, "confirm")
        return conversation, reservation

    def dates(self, reservation):
        lines = self.env["hotel.room.reservation.line"].search([("reservation_id", "=", reservation.id)])
        return [(line.room_id, line.check_in.date(), line.check_out.date()) for line in lines]

    def test_new_dates_move_the_reservation_and_its_room_lines_after_a_yes(self):
        conversation, reservation = self.booked("34699000101")
        self.say(reply_id="my_reservations", guest="34699000101")
        self.say(reply_id="manage_change", guest="34699000101")
        self.say(f"{self.day(40)} to {self.day(43)}", guest="34699000101")
        self.assertEqual(conversation.bot_state, "manage_confirm")
        self.assertEqual(reservation.checkin.date().isoformat(), self.day(10), "nothing moves before the yes")
        self.say("yes", guest="34699000101")
        self.assertEqual(reservation.state, "confirm")
        self.assertEqual(self.dates(reservation), [(self.rooms[0], reservation.checkin.date(), reservation.checkout.date())])
        self.assertEqual(fields_date(reservation.checkin), self.day(40))
        self.assertIn("changed this reservation in the chat", reservation.message_ids[0].body)
        self.assertIn("Done!", self.replies(conversation)[-1].body)
        self.assertIn(f"Reservation {reservation.reservation_no} changed by the guest",
                      conversation.guest_message_ids.filtered(lambda m: m.author_type == "system").mapped("body"))

    def test_a_room_taken_on_the_new_dates_offers_the_free_one(self):
        _other, taken = self.booked("34699000111", day=50)
        conversation, reservation = self.booked("34699000112", day=10)
        self.say("I want to change my booking", guest="34699000112")
        self.assertEqual(conversation.bot_state, "manage_dates")
        self.say(f"{self.day(50)} to {self.day(52)}", guest="34699000112")
        self.assertEqual(conversation.bot_state, "manage_rooms")
        self.say(reply_id=f"room:{self.rooms[1].id}", guest="34699000112")
        self.say(reply_id="manage_yes", guest="34699000112")
        self.assertEqual(reservation.reservation_line.reserve, self.rooms[1])
        self.assertEqual(self.dates(taken)[0][0], self.rooms[0], "the other guest keeps their room")

    def test_cancelling_frees_the_room_after_a_yes(self):
        conversation, reservation = self.booked("34699000121")
        self.say("please cancel my reservation", guest="34699000121")
        self.assertEqual(conversation.bot_state, "manage_confirm")
        self.assertEqual(reservation.state, "confirm")
        self.say("no", guest="34699000121")
        self.assertEqual(reservation.state, "confirm")
        self.say("please cancel my reservation", guest="34699000121")
        self.say(reply_id="manage_yes", guest="34699000121")
        self.assertEqual(reservation.state, "cancel")
        self.assertFalse(self.dates(reservation))
        self.assertIn("cancelled this reservation in the chat", reservation.message_ids[0].body)

    def test_another_guests_reservation_cannot_be_reached(self):
        _theirs, victim = self.booked("34699000131", day=20)
        attacker = "34699000132"
        conversation = self.say("Hi", guest=attacker)
        for reply_id in (f"reservation:{victim.id}", "manage_cancel", "manage_yes"):
            self.say(reply_id=reply_id, guest=attacker)
        self.say(f"cancel {victim.reservation_no}", guest=attacker)
        self.say("yes", guest=attacker)
        self.assertEqual(victim.state, "confirm")
        self.assertNotIn(victim.reservation_no, " ".join(self.replies(conversation).mapped("body")))

    def test_the_services_refuse_an_id_they_did_not_list(self):
        from ..lib.hotel_services import OdooHotelServices

        _theirs, victim = self.booked("34699000141", day=20)
        conversation = self.say("Hi", guest="34699000142")
        services = OdooHotelServices(conversation)
        for hostile in (victim.id, str(victim.id), None, True, -1):
            with self.assertRaises(LookupError):
                services.cancel_reservation(hostile)
        self.assertEqual(victim.state, "confirm")


def fields_date(value):
    return value.date().isoformat()
