from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, tagged

from .common import WhatsAppMixin

NOT_SENT = "Not sent: the guest opted out of WhatsApp notifications"


@tagged("guest_messaging")
class TestConsentTemplates(WhatsAppMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_whatsapp()
        cls.setup_fake_graph()
        cls.connection.write({"state": "connected"})
        cls.env["guest.message.template"].create({
            "connection_id": cls.connection.id, "event_type": "reservation_confirmed",
            "template_name": "booking_confirmed", "language": "en_US",
            "parameter_mapping": {"1": "guestName", "2": "reference"},
        })
        room_type = cls.env["hotel.room.type"].create({"name": "Consent rooms"})
        cls.room = cls.env["hotel.room"].create(
            {"name": "Garden 3", "room_categ_id": room_type.id, "list_price": 90.0, "capacity": 2})
        cls.pricelist = cls.env["product.pricelist"].create(
            {"name": "Consent rates", "currency_id": cls.env.ref("base.EUR").id})
        cls.guest = cls.env["res.partner"].create({"name": "Ana García", "mobile": "+34 612 34 56 78",
                                                   "lang": "en_US"})
        cls.wa_id = "34612345678"
        cls.sequence = 0

    def _reservation(self, days):
        checkin = datetime.combine(fields.Date.today() + timedelta(days=days), datetime.min.time()).replace(hour=13)
        partner = self.guest
        return self.env["hotel.reservation"].create({
            "partner_id": partner.id, "partner_invoice_id": partner.id, "partner_order_id": partner.id,
            "partner_shipping_id": partner.id, "pricelist_id": self.pricelist.id,
            "checkin": checkin, "checkout": checkin + timedelta(days=2), "adults": 2,
            "reservation_line": [Command.create({"categ_id": self.room.room_categ_id.id,
                                                 "reserve": [Command.set(self.room.ids)]})],
        })

    def _guest_writes(self, body, wa_id=None):
        type(self).sequence += 1
        return self.env["guest.conversation"]._ingest_inbound(
            self.connection, wa_id or self.wa_id, f"wamid.consent.tpl.{self.sequence}", {"body": body},
            guest_name="Ana", guest_phone=f"+{wa_id or self.wa_id}")

    def _notifications(self):
        return self.env["guest.message"].search([
            ("conversation_id.connection_id", "=", self.connection.id), ("direction", "=", "outbound"),
            ("author_type", "=", "bot"), ("message_type", "=", "template"),
        ])

    def _notes(self, reservation):
        return reservation.message_ids.mapped("body")

    def test_an_opted_out_guest_gets_no_template_and_after_start_does(self):
        conversation = self._guest_writes("STOP").conversation_id
        self.assertTrue(self.env["guest.opt.out"]._is_opted_out(self.connection, self.wa_id))
        # whether the conversation is linked to the contact or the contact's mobile finds the guest
        for linked in (False, True):
            with self.subTest(linked=linked):
                conversation.sudo().partner_id = self.guest if linked else False
                before = conversation.guest_message_ids
                reservation = self._reservation(10 + 5 * linked)
                reservation.confirmed_reservation()
                self.assertEqual(reservation.state, "confirm")
                self.assertFalse(self._notifications())
                self.assertFalse(conversation.guest_message_ids - before)
                self.assertEqual(self.env["guest.conversation"].search_count(
                    [("connection_id", "=", self.connection.id)]), 1)
                self.assertTrue(any(NOT_SENT in body for body in self._notes(reservation)))
                self.assertFalse(any("sent on WhatsApp" in body for body in self._notes(reservation)))

        self._guest_writes("start")
        self.assertFalse(self.env["guest.opt.out"]._is_opted_out(self.connection, self.wa_id))
        # outside the 24-hour window, so the approved template goes
        conversation.sudo().last_inbound_at = fields.Datetime.now() - timedelta(days=2)
        reservation = self._reservation(20)
        reservation.confirmed_reservation()
        [template] = self._notifications()
        self.assertEqual((template.conversation_id, template.delivery_status), (conversation, "queued"))
        self.assertFalse(any(NOT_SENT in body for body in self._notes(reservation)))
        self.send_outbox()
        sent = [m for m in self.graph.sent_messages(self.connection.phone_number_id) if m.get("type") == "template"]
        self.assertEqual([m["template"]["name"] for m in sent], ["booking_confirmed"])

    def test_a_guest_who_never_wrote_stop_is_notified(self):
        self._guest_writes("Hello", wa_id="34699999999")
        self._guest_writes("STOP", wa_id="34699999999")
        reservation = self._reservation(7)
        reservation.confirmed_reservation()
        [template] = self._notifications()
        self.assertEqual(template.conversation_id.guest_external_id, self.wa_id)
        self.assertFalse(any(NOT_SENT in body for body in self._notes(reservation)))

    def test_the_check_in_reminder_respects_the_opt_out(self):
        self.env["guest.message.template"].create({
            "connection_id": self.connection.id, "event_type": "check_in_reminder",
            "template_name": "checkin_reminder", "language": "en_US", "parameter_mapping": {"1": "guestName"},
        })
        self._guest_writes("Abmelden")
        reservation = self._reservation(1)
        reservation.with_context(guest_messaging_no_notification=True).confirmed_reservation()
        self.assertFalse(reservation._guest_whatsapp_notify("check_in_reminder"))
        self.assertFalse(self._notifications())
        self.assertTrue(any(NOT_SENT in body for body in self._notes(reservation)))
