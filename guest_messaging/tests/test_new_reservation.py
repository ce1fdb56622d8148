from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import GuestMessagingCase


@tagged("guest_messaging")
class TestNewReservation(GuestMessagingCase):
    """The front desk reads and creates reservations from the inbox; the panel never hides a right as absence."""

    def test_agents_and_managers_work_with_the_hotels_reservations(self):
        Reservation = self.env["hotel.reservation"]
        self.assertTrue(self.agent.has_group("hotel.group_hotel_user"))
        self.assertTrue(self.manager.has_group("hotel.group_hotel_manager"))
        for user in (self.agent, self.manager):
            self.assertTrue(Reservation.with_user(user).has_access("read"))
            self.assertTrue(Reservation.with_user(user).has_access("create"))
        self.assertFalse(Reservation.with_user(self.internal).has_access("read"))

    def test_the_panel_says_when_reservations_are_out_of_reach(self):
        guest = self.env["guest.inbox"].with_user(self.agent).load_guest(self.conversation.id)
        self.assertEqual((guest["may_read_reservations"], guest["may_create_reservation"]), (True, True))
        # a database where an administrator took reading reservations away from hotel users
        self.env["ir.model.access"].search([("model_id.model", "=", "hotel.reservation")]).active = False
        self.env.registry.clear_cache()
        guest = self.env["guest.inbox"].with_user(self.agent).load_guest(self.conversation.id)
        self.assertEqual((guest["may_read_reservations"], guest["may_create_reservation"], guest["reservations"]),
                         (False, False, []))
        with self.assertRaises(AccessError):
            self.conversation.with_user(self.agent).action_new_reservation()

    def test_create_reservation_opens_a_filled_form_and_makes_the_contact(self):
        conversation = self.conversation.with_user(self.agent)
        self.assertFalse(conversation.partner_id)
        action = conversation.action_new_reservation()
        partner = self.conversation.partner_id
        self.assertEqual((partner.name, partner.phone, partner.company_id),
                         ("Ana", "+34600000001", self.conversation.company_id))
        self.assertEqual((action["res_model"], action["target"]), ("hotel.reservation", "new"))
        self.assertEqual(action["context"]["default_partner_id"], partner.id)
        self.assertIn("Contact Ana created by", " ".join(
            self.conversation.guest_message_ids.filtered(lambda m: m.author_type == "system").mapped("body")))
        # a second click does not make a second contact
        self.assertEqual(conversation.action_new_reservation()["context"]["default_partner_id"], partner.id)
        self.assertEqual(self.env["res.partner"].search_count([("name", "=", "Ana"), ("phone", "=", "+34600000001")]),
                         1)

    def test_the_listed_name_is_the_contacts_once_linked(self):
        self.assertEqual(self.conversation.display_name, "Ana")
        partner = self.env["res.partner"].create({"name": "Ana Zubizarreta Olano"})
        self.conversation.with_user(self.manager).action_link_partner(partner.id)
        self.assertEqual(self.conversation.display_name, "Ana Zubizarreta Olano")
        row = self.env["guest.inbox"].with_user(self.agent).load_conversations(search="Zubizarreta")["conversations"]
        self.assertEqual([(r["name"], r["profile_name"]) for r in row], [("Ana Zubizarreta Olano", "Ana")])

    def test_hostile_callers_create_nothing(self):
        outsider = self.env["res.company"].create({"name": "Other hotel"})
        stranger = new_test_user(self.env, login="gm_stranger", company_id=outsider.id, company_ids=[outsider.id],
                                 groups="base.group_user,guest_messaging.group_agent")
        partners = self.env["res.partner"].search_count([])
        for user in (self.internal, stranger):
            with self.assertRaises(AccessError):
                self.conversation.with_user(user).action_new_reservation()
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        self.assertFalse(self.conversation.partner_id)

    def test_no_reservation_is_given_a_reference_already_taken(self):
        # no rooms: OCA's capacity check is not what this test is about
        Reservation = self.env["hotel.reservation"].with_context(duplicate=True)
        partner = self.env["res.partner"].create({"name": "Numbered guest"})
        values = {"partner_id": partner.id, "partner_invoice_id": partner.id, "partner_order_id": partner.id,
                  "partner_shipping_id": partner.id, "adults": 1,
                  "checkin": fields.Datetime.now() + timedelta(days=40),
                  "checkout": fields.Datetime.now() + timedelta(days=41),
                  "pricelist_id": self.env["product.pricelist"].search([], limit=1).id or
                  self.env["product.pricelist"].create({"name": "Numbers"}).id}
        # what install and upgrade did: with OCA's demo data loaded, its R/00002 is already behind the sequence
        taken = set(Reservation.search([]).mapped("reservation_no"))
        fresh = Reservation.create(dict(values))
        self.assertNotIn(fresh.reservation_no, taken)
        # a number given by hand ahead of the sequence, then an upgrade
        sequence = self.env["ir.sequence"].search([("code", "=", "hotel.reservation")])
        ahead = f"R/{sequence.number_next_actual + 5:05d}"
        Reservation.create({**values, "reservation_no": ahead})
        Reservation._move_sequence_past_existing_numbers()
        after = Reservation.create(dict(values))
        self.assertEqual(after.reservation_no, f"R/{int(ahead[2:]) + 1:05d}")
        self.assertEqual(len(Reservation.search([]).mapped("reservation_no")),
                         len(set(Reservation.search([]).mapped("reservation_no"))))

    def test_the_demo_user_works_the_inbox_as_a_plain_agent(self):
        demo = self.env.ref("base.user_demo", raise_if_not_found=False)
        if not demo:
            # the database without demo data: a user in the demo user's place, then what install and upgrade run
            demo = new_test_user(self.env, login="gm_demo_like", groups="base.group_user")
            self.env["ir.model.data"].create({"module": "base", "name": "user_demo", "model": "res.users",
                                              "res_id": demo.id})
            self.assertFalse(demo.has_group("guest_messaging.group_agent"))
            self.env["res.users"]._guest_give_demo_user_agent_role()
        self.assertTrue(demo.has_group("guest_messaging.group_agent"))
        self.assertFalse(demo.has_group("guest_messaging.group_manager"))
        self.assertTrue(self.env["hotel.reservation"].with_user(demo).has_access("create"))
