from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import WhatsAppMixin

TEMPLATE_MODELS = ["guest.message.template", "guest.whatsapp.template"]


@tagged("guest_messaging")
class TestTemplateAccess(WhatsAppMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_whatsapp()
        cls.internal = new_test_user(cls.env, login="wa_internal", groups="base.group_user")
        cls.template = cls.env["guest.message.template"].create({
            "connection_id": cls.connection.id,
            "template_name": "booking_confirmed",
            "event_type": "reservation_confirmed",
            "parameter_mapping": {"1": "guestName"},
        })

    def test_agent_cannot_edit_templates(self):
        self.assertEqual(self.template.with_user(self.agent).template_name, "booking_confirmed")
        with self.assertRaises(AccessError):
            self.template.with_user(self.agent).write({"template_name": "other"})

    def test_manager_edits_templates(self):
        self.template.with_user(self.manager).write({"template_name": "booking_confirmed_v2"})
        self.assertEqual(self.template.template_name, "booking_confirmed_v2")

    def test_internal_user_outside_the_groups_sees_nothing(self):
        for model in TEMPLATE_MODELS:
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.internal).search([], limit=1)

    def test_templates_menu_is_for_managers(self):
        root = self.env.ref("guest_messaging.menu_root")
        menu = self.env.ref("guest_messaging_whatsapp.menu_templates")
        Menu = self.env["ir.ui.menu"]
        for user, visible in ((self.manager, True), (self.agent, False), (self.internal, False)):
            with self.subTest(user=user.login):
                menus = Menu.with_user(user).search([("id", "child_of", root.id)])
                self.assertEqual(menu in menus, visible)


@tagged("guest_messaging")
class TestTemplateCompanies(WhatsAppMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_whatsapp()
        cls.company_b = cls.env["res.company"].create({"name": "Hotel B"})
        cls.connection_b = cls.env["guest.channel.connection"].create({
            "name": "B WhatsApp", "channel_type": "whatsapp", "phone_number_id": "9999",
            "company_id": cls.company_b.id})
        cls.env["guest.message.template"].create({
            "connection_id": cls.connection_b.id, "template_name": "b_confirmed",
            "event_type": "reservation_confirmed", "parameter_mapping": {}})
        cls.env["guest.whatsapp.template"].create({
            "connection_id": cls.connection_b.id, "name": "b_confirmed", "language": "en_US", "status": "APPROVED"})
        cls.manager_b = new_test_user(
            cls.env, login="wa_manager_b", groups="base.group_user,guest_messaging.group_manager",
            company_id=cls.company_b.id, company_ids=[Command.set(cls.company_b.ids)])

    def test_an_agent_of_one_company_reads_no_template_of_the_other(self):
        for model in TEMPLATE_MODELS:
            with self.subTest(model=model):
                records = self.env[model].with_user(self.agent).search([])
                self.assertFalse(records.filtered(lambda r: r.company_id == self.company_b))
                self.assertTrue(self.env[model].with_user(self.manager_b).search([]))
