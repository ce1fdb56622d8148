from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, freeze_time, tagged

from .common import WhatsAppMixin

CONFIRMED_BODY = "Hi {{1}}, booking {{2}}: {{3}} to {{4}}, {{5}} {{6}} for {{7}}."
REMINDER_BODY = "Hi {{1}}, see you on {{2}} ({{3}})."
CONFIRMED_MAPPING = {"1": "guestName", "2": "reference", "3": "checkIn", "4": "checkOut",
                     "5": "totalAmount", "6": "currency", "7": "roomName"}


@tagged("guest_messaging")
class TestReservationNotifications(WhatsAppMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_whatsapp()
        cls.setup_fake_graph()
        cls.connection.write({"state": "connected"})
        cls.env.company.partner_id.tz = "Europe/Madrid"
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.graph.add_template("WABA1", "booking_confirmed", "en_US", body_text=CONFIRMED_BODY)
        cls.graph.add_template("WABA1", "reserva_confirmada", "es", body_text="Hola {{1}}, reserva {{2}}.")
        cls.graph.add_template("WABA1", "checkin_reminder", "en_US", body_text=REMINDER_BODY)
        cls.graph.add_template("WABA1", "old_welcome", "en_US", status="PAUSED", body_text="Hi {{1}}")
        cls.connection.with_user(cls.manager).action_sync_templates()
        synced = {(t.name, t.language): t for t in cls.env["guest.whatsapp.template"].search([])}
        Mapping = cls.env["guest.message.template"]
        cls.confirmed_en = Mapping.create({
            "connection_id": cls.connection.id, "event_type": "reservation_confirmed",
            "whatsapp_template_id": synced["booking_confirmed", "en_US"].id, "template_name": "booking_confirmed",
            "language": "en_US", "parameter_mapping": CONFIRMED_MAPPING,
        })
        cls.confirmed_es = Mapping.create({
            "connection_id": cls.connection.id, "event_type": "reservation_confirmed",
            "whatsapp_template_id": synced["reserva_confirmada", "es"].id, "template_name": "reserva_confirmada",
            "language": "es", "parameter_mapping": {"1": "guestName", "2": "reference"},
        })
        cls.reminder = Mapping.create({
            "connection_id": cls.connection.id, "event_type": "check_in_reminder",
            "whatsapp_template_id": synced["checkin_reminder", "en_US"].id, "template_name": "checkin_reminder",
            "language": "en_US", "parameter_mapping": {"1": "guestName", "2": "checkIn", "3": "reference"},
        })
        room_type = cls.env["hotel.room.type"].create({"name": "Notification rooms"})
        cls.room = cls.env["hotel.room"].create(
            {"name": "Sea View 12", "room_categ_id": room_type.id, "list_price": 120.0, "capacity": 2})
        cls.pricelist = cls.env["product.pricelist"].create(
            {"name": "Notification rates", "currency_id": cls.env.ref("base.EUR").id})
        cls.guest = cls.env["res.partner"].create({"name": "Ana García", "mobile": "+34 612 34 56 78",
                                                   "lang": "en_US"})

    def setUp(self):
        super().setUp()
        self.graph.clear_requests()

    def _reservation(self, checkin, nights=3, partner=None):
        partner = partner or self.guest
        return self.env["hotel.reservation"].create({
            "partner_id": partner.id, "partner_invoice_id": partner.id, "partner_order_id": partner.id,
            "partner_shipping_id": partner.id, "pricelist_id": self.pricelist.id,
            "checkin": checkin, "checkout": checkin + timedelta(days=nights), "adults": 2,
            "reservation_line": [Command.create({"categ_id": self.room.room_categ_id.id,
                                                 "reserve": [Command.set(self.room.ids)]})],
        })

    def _in_days(self, days, hour=13):
        # 13:00 UTC is 14:00 in Madrid: the local day is the UTC day
        return datetime.combine(fields.Date.today() + timedelta(days=days), datetime.min.time()).replace(hour=hour)

    def _sent_templates(self):
        return [m for m in self.graph.sent_messages(self.connection.phone_number_id) if m.get("type") == "template"]

    def _conversation(self, partner=None):
        return self.env["guest.conversation"].search([("partner_id", "=", (partner or self.guest).id)])

    def test_confirming_sends_the_template_to_the_guests_mobile_with_every_variable(self):
        reservation = self._reservation(self._in_days(10))
        reservation.confirmed_reservation()
        conversation = self._conversation()
        self.assertEqual((conversation.guest_external_id, conversation.guest_phone), ("34612345678", "+34612345678"))
        message = conversation.guest_message_ids
        self.assertEqual((message.message_type, message.delivery_status), ("template", "queued"))
        self.send_outbox()
        [sent] = self._sent_templates()
        self.assertEqual((sent["to"], sent["template"]["name"], sent["template"]["language"]["code"]),
                         ("+34612345678", "booking_confirmed", "en_US"))
        check_in = self._in_days(10).date()
        expected = ["Ana García", reservation.reservation_no, check_in.strftime("%b %-d, %Y"),
                    (check_in + timedelta(days=3)).strftime("%b %-d, %Y"), "360.00", "EUR", "Sea View 12"]
        self.assertEqual([p["text"] for p in sent["template"]["components"][0]["parameters"]], expected)
        self.assertEqual(message.delivery_status, "sent")
        self.assertEqual(message.body, f"Hi Ana García, booking {reservation.reservation_no}: {expected[2]} to "
                                       f"{expected[3]}, 360.00 EUR for Sea View 12.")
        self.assertIn("Reservation confirmed sent on WhatsApp", reservation.message_ids[0].body)

    def test_inside_the_24_hour_window_the_same_words_go_as_free_text(self):
        conversation = self.env["guest.conversation"].create({
            "connection_id": self.connection.id, "guest_external_id": "34612345678", "partner_id": self.guest.id,
        })
        conversation.sudo().last_inbound_at = fields.Datetime.now() - timedelta(hours=2)
        reservation = self._reservation(self._in_days(5), nights=1)
        reservation.confirmed_reservation()
        self.send_outbox()
        self.assertFalse(self._sent_templates())
        [sent] = self.graph.sent_messages(self.connection.phone_number_id)
        self.assertEqual(sent["type"], "text")
        self.assertTrue(sent["text"]["body"].startswith(f"Hi Ana García, booking {reservation.reservation_no}:"))
        self.assertIn("120.00 EUR for Sea View 12.", sent["text"]["body"])

    def test_the_guests_language_picks_the_mapping(self):
        self.guest.lang = "es_ES"
        reservation = self._reservation(self._in_days(4))
        reservation.confirmed_reservation()
        self.send_outbox()
        [sent] = self._sent_templates()
        self.assertEqual((sent["template"]["name"], sent["template"]["language"]["code"]), ("reserva_confirmada", "es"))
        self.assertEqual([p["text"] for p in sent["template"]["components"][0]["parameters"]],
                         ["Ana García", reservation.reservation_no])

    def test_nothing_goes_without_a_mapping_a_mobile_or_a_live_connection(self):
        landline = self.env["res.partner"].create({"name": "Office", "phone": "+34 912 34 56 78"})
        self._reservation(self._in_days(6), partner=landline).confirmed_reservation()
        self.assertFalse(self._conversation(landline))
        self.connection.action_disconnect()
        self._reservation(self._in_days(12)).confirmed_reservation()
        self.assertFalse(self._conversation())
        self.connection.write({"state": "connected"})
        (self.confirmed_en | self.confirmed_es).unlink()
        self._reservation(self._in_days(20)).confirmed_reservation()
        self.assertFalse(self._conversation())

    def test_a_reservation_booked_in_the_chat_is_not_announced_twice(self):
        reservation = self._reservation(self._in_days(8))
        reservation.with_context(guest_messaging_no_notification=True).confirmed_reservation()
        self.assertEqual(reservation.state, "confirm")
        self.assertFalse(self._conversation())

    def test_metas_refusal_is_recorded_on_the_message(self):
        self.graph._templates["WABA1"][0]["status"] = "PAUSED"
        self.addCleanup(self.graph._templates["WABA1"][0].__setitem__, "status", "APPROVED")
        self._reservation(self._in_days(9)).confirmed_reservation()
        self.send_outbox()
        message = self._conversation().guest_message_ids
        self.assertEqual((message.delivery_status, message.error_code), ("failed", "132001"))
        self.assertIn("does not exist in the translation", message.error_message)

    def test_a_mapping_with_the_wrong_parameter_count_fails_visibly(self):
        # entered by hand, without a synced template to check it against
        self.confirmed_en.write({"whatsapp_template_id": False, "parameter_mapping": {"1": "guestName"}})
        self._reservation(self._in_days(9)).confirmed_reservation()
        self.send_outbox()
        message = self._conversation().guest_message_ids
        self.assertEqual((message.delivery_status, message.error_code), ("failed", "132000"))
        self.assertEqual(message.body, "Template booking_confirmed (en_US)")


@tagged("guest_messaging")
class TestCheckInReminders(WhatsAppMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_whatsapp()
        cls.setup_fake_graph()
        cls.connection.write({"state": "connected"})
        cls.env["guest.message.template"].create({
            "connection_id": cls.connection.id, "event_type": "check_in_reminder", "template_name": "checkin_reminder",
            "language": "en_US", "parameter_mapping": {"1": "guestName", "2": "checkIn", "3": "reference"},
        })
        room_type = cls.env["hotel.room.type"].create({"name": "Reminder rooms"})
        cls.rooms = cls.env["hotel.room"].create([
            {"name": f"R{n}", "room_categ_id": room_type.id, "list_price": 80.0, "capacity": 2} for n in range(4)
        ])
        cls.pricelist = cls.env["product.pricelist"].create({"name": "Reminder rates"})
        cls.guests = cls.env["res.partner"].create([
            {"name": f"Guest {n}", "mobile": f"+3461200000{n}", "lang": "en_US"} for n in range(4)
        ])
        cls.Reservation = cls.env["hotel.reservation"]

    def setUp(self):
        super().setUp()
        self.graph.clear_requests()

    def _booking(self, index, checkin, confirm=True):
        guest, room = self.guests[index], self.rooms[index]
        reservation = self.Reservation.with_context(guest_messaging_no_notification=True).create({
            "partner_id": guest.id, "partner_invoice_id": guest.id, "partner_order_id": guest.id,
            "partner_shipping_id": guest.id, "pricelist_id": self.pricelist.id, "date_order": "2026-01-01 00:00:00",
            "checkin": checkin, "checkout": checkin + timedelta(days=2), "adults": 1,
            "reservation_line": [Command.create({"categ_id": room.room_categ_id.id, "reserve": [Command.set(room.ids)]})],
        })
        if confirm:
            reservation.confirmed_reservation()
        return reservation

    def _reminded(self):
        return {m["to"] for m in self.graph.sent_messages(self.connection.phone_number_id)}

    def test_the_day_before_check_in_in_the_hotels_timezone_once(self):
        # Auckland is UTC+13 in November: at 01:00 UTC on Nov 26 it is 14:00 there and "tomorrow" is Nov 27
        self.env.company.partner_id.tz = "Pacific/Auckland"
        tomorrow_local_start = datetime(2026, 11, 26, 11, 0)   # Nov 27 00:00 in Auckland (UTC+13)
        arriving = self._booking(0, tomorrow_local_start + timedelta(hours=2))      # Nov 27 02:00 local
        later = self._booking(1, tomorrow_local_start + timedelta(days=1, hours=1))  # Nov 28 local
        today = self._booking(2, tomorrow_local_start - timedelta(hours=2))         # Nov 26 local
        draft = self._booking(3, tomorrow_local_start + timedelta(hours=5), confirm=False)
        with freeze_time("2026-11-26 01:00:00"):  # 14:00 on Nov 26 in Auckland
            self.assertEqual(self.Reservation._cron_send_check_in_reminders(), 1)
            self.assertEqual(self.Reservation._cron_send_check_in_reminders(), 0)
        self.send_outbox()
        self.assertEqual(self._reminded(), {"+34612000000"})
        [sent] = self.graph.sent_messages(self.connection.phone_number_id)
        self.assertEqual([p["text"] for p in sent["template"]["components"][0]["parameters"]],
                         ["Guest 0", "Nov 27, 2026", arriving.reservation_no])
        self.assertTrue(arriving.guest_check_in_reminder_sent_at)
        self.assertFalse((later | today | draft).filtered("guest_check_in_reminder_sent_at"))
        self.assertEqual(self.env.ref("guest_messaging_whatsapp.ir_cron_check_in_reminders").interval_type, "days")

    def test_a_guest_without_whatsapp_is_skipped_and_not_marked(self):
        self.env.company.partner_id.tz = "UTC"
        self.guests[1].mobile = False
        reservation = self._booking(1, datetime(2026, 11, 26, 15, 0))
        with freeze_time("2026-11-25 09:00:00"):
            self.assertEqual(self.Reservation._cron_send_check_in_reminders(), 0)
        self.assertFalse(reservation.guest_check_in_reminder_sent_at)
        self.guests[1].mobile = "+34 612 000 001"
        with freeze_time("2026-11-25 18:00:00"):
            self.assertEqual(self.Reservation._cron_send_check_in_reminders(), 1)
        self.assertTrue(reservation.guest_check_in_reminder_sent_at)
