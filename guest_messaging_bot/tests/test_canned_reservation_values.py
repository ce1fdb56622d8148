from datetime import timedelta

from babel.dates import format_date

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import BotFixtures

SPANISH_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
                  "octubre", "noviembre", "diciembre")


@tagged("guest_messaging", "post_install", "-at_install")
class TestCannedReservationValues(BotFixtures, TransactionCase):
    """Canned responses quote the guest's next reservation, dated in the guest's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patch_key()
        cls.setup_hotel(cls.env)
        cls.env.company.partner_id.tz = "UTC"
        cls.agent = new_test_user(cls.env, login="gm_bot_canned_agent",
                                  groups="base.group_user,guest_messaging.group_agent")
        cls.response = cls.env["guest.canned.response"].create({
            "name": "Your stay", "shortcut": "/stay-ph",
            "content": "{guest_name}: {reservation_reference}, room {room}, {check_in} - {check_out}.",
        })

    def render(self, conversation, user=None):
        return self.env["guest.inbox"].with_user(user or self.agent).render_canned_response(
            conversation.id, self.response.id)

    def local_date(self, offset):
        return fields.Date.today() + timedelta(days=offset)

    def test_a_reservation_booked_in_the_conversation(self):
        conversation = self.book("34699000301", "eve.canned@example.com", day=10)
        conversation.write({"bot_language": "en", "guest_name": "Eve"})
        reservation = conversation.reservation_ids
        self.assertEqual(len(reservation), 1)
        # the placeholders read the reservation with the platform's rights, not the agent's: take the agent's
        # (Hotel Management / User) away from this database
        hotel_models = ("hotel.reservation", "hotel.room")
        self.env["ir.model.access"].search([("model_id.model", "in", hotel_models)]).active = False
        self.env.registry.clear_cache()
        self.assertFalse(self.env["hotel.reservation"].with_user(self.agent).has_access("read"))
        text = self.render(conversation)
        checkin = fields.Datetime.context_timestamp(reservation.with_context(tz="UTC"), reservation.checkin).date()
        checkout = fields.Datetime.context_timestamp(reservation.with_context(tz="UTC"), reservation.checkout).date()
        self.assertEqual(text, f"Eve: {reservation.reservation_no}, room Bot-101, "
                               f"{format_date(checkin, 'long', locale='en')} - "
                               f"{format_date(checkout, 'long', locale='en')}.")

    def test_dates_in_spanish_when_the_guest_writes_spanish(self):
        conversation = self.book("34699000302", "eva.canned@example.com", day=12)
        conversation.bot_language = "es"
        text = self.render(conversation)
        checkin = self.local_date(12)
        self.assertIn(f"{checkin.day} de {SPANISH_MONTHS[checkin.month - 1]} de {checkin.year}", text)
        self.assertIn(format_date(self.local_date(14), "long", locale="es"), text)

    def test_the_contacts_next_confirmed_stay(self):
        partner = self.env["res.partner"].create({"name": "Linked Guest", "lang": "en_US"})
        pricelist = self.env["product.pricelist"].search([], limit=1)

        def reserve(days, room, confirm=True):
            checkin = fields.Datetime.now() + timedelta(days=days)
            reservation = self.env["hotel.reservation"].create({
                "partner_id": partner.id, "pricelist_id": pricelist.id, "checkin": checkin,
                "checkout": checkin + timedelta(days=1), "adults": 1,
                "reservation_line": [Command.create({"categ_id": room.room_categ_id.id,
                                                     "reserve": [Command.set(room.ids)]})],
            })
            if confirm:
                reservation.with_context(guest_messaging_no_notification=True).confirmed_reservation()
            return reservation

        reserve(3, self.rooms[0], confirm=False)
        reserve(30, self.rooms[0])
        next_stay = reserve(20, self.rooms[1])
        conversation = self.env["guest.conversation"].create({
            "connection_id": self.connection.id, "guest_external_id": "34699000303", "partner_id": partner.id})
        text = self.render(conversation)
        self.assertTrue(text.startswith(f"Linked Guest: {next_stay.reservation_no}, room Bot-201, "), text)

    def test_no_reservation_leaves_the_values_empty(self):
        conversation = self.say("Hi", guest="34699000304")
        conversation.guest_name = "Nobody"
        self.assertEqual(self.render(conversation), "Nobody: , room ,  - .")

    def test_another_companys_agent_cannot_render(self):
        conversation = self.book("34699000305", "ivo.canned@example.com", day=15)
        other_company = self.env["res.company"].create({"name": "Other bot hotel"})
        outsider = new_test_user(self.env, login="gm_bot_canned_outsider",
                                 groups="base.group_user,guest_messaging.group_agent",
                                 company_id=other_company.id, company_ids=[other_company.id])
        with self.assertRaises(AccessError):
            self.render(conversation, user=outsider)
