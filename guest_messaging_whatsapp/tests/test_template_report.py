from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import WhatsAppMixin


@tagged("guest_messaging")
class TestTemplateReport(WhatsAppMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_whatsapp()
        cls.env["guest.whatsapp.template"].create([
            {"connection_id": cls.connection.id, "name": name, "language": "en_US", "status": "APPROVED",
             "category": category}
            for name, category in (("booking_confirmed", "UTILITY"), ("spring_offer", "marketing"))
        ])
        cls.conversation = cls.env["guest.conversation"].create({
            "connection_id": cls.connection.id, "guest_external_id": "34612345678"})
        for name in ("booking_confirmed", "booking_confirmed", "spring_offer", "spring_offer", "spring_offer",
                     "never_synced"):
            cls.conversation._queue_whatsapp_template(name, "en_US", [])

    def _by_category(self, domain=None, user=None):
        # the view reads the tables: pending writes to messages and settings must reach them first
        self.env.flush_all()
        Report = self.env["guest.template.report"].with_user(user or self.manager)
        groups = Report.read_group(
            [("connection_id", "=", self.connection.id), *(domain or [])],
            ["estimated_cost:sum"], ["category"], orderby="category")
        return {g["category"]: (g["category_count"], round(g["estimated_cost"], 4)) for g in groups}

    def test_counts_and_cost_per_category(self):
        self.assertEqual(self._by_category(), {
            "MARKETING": (3, 0.15), "UNKNOWN": (1, 0.0), "UTILITY": (2, 0.04)})
        row = self.env["guest.template.report"].search(
            [("connection_id", "=", self.connection.id), ("template_name", "=", "spring_offer")], limit=1)
        self.assertEqual((row.conversation_id, row.company_id, row.delivery_status),
                         (self.conversation, self.env.company, "queued"))

    def test_cost_follows_the_settings(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual((settings.guest_whatsapp_rate_utility, settings.guest_whatsapp_rate_marketing,
                          settings.guest_whatsapp_rate_authentication), (0.02, 0.05, 0.03))
        self.env["ir.config_parameter"].sudo().set_param("guest_messaging_whatsapp.rate_marketing", "0.0625")
        self.assertEqual(self._by_category()["MARKETING"], (3, 0.1875))
        settings = self.env["res.config.settings"].create({"guest_whatsapp_rate_utility": 0.004})
        settings.execute()
        self.assertEqual(self._by_category()["UTILITY"], (2, 0.008))
        self.env["ir.config_parameter"].sudo().set_param("guest_messaging_whatsapp.rate_marketing", "not a number")
        self.assertEqual(self._by_category()["MARKETING"], (3, 0.15))

    def test_authentication_and_failed_messages(self):
        self.env["guest.whatsapp.template"].create({
            "connection_id": self.connection.id, "name": "login_code", "language": "en_US",
            "category": "AUTHENTICATION"})
        message = self.conversation._queue_whatsapp_template("login_code", "en_US", [])
        self.assertEqual(self._by_category()["AUTHENTICATION"], (1, 0.03))
        message.delivery_status = "failed"
        self.assertEqual(self._by_category()["AUTHENTICATION"], (1, 0.0))

    def test_language_of_the_message_picks_the_category(self):
        self.env["guest.whatsapp.template"].create({
            "connection_id": self.connection.id, "name": "spring_offer", "language": "es", "category": "UTILITY"})
        self.conversation._queue_whatsapp_template("spring_offer", "es", [])
        self.assertEqual(self._by_category([("template_name", "=", "spring_offer")]), {
            "MARKETING": (3, 0.15), "UTILITY": (1, 0.02)})

    def test_utility_templates_are_free_in_the_service_window(self):
        served = self.env["guest.conversation"].create({
            "connection_id": self.connection.id, "guest_external_id": "34699887766"})
        self.env["guest.message"].create({
            "conversation_id": served.id, "direction": "inbound", "author_type": "guest", "body": "Hello"})
        served._queue_whatsapp_template("booking_confirmed", "en_US", [])
        served._queue_whatsapp_template("spring_offer", "en_US", [])
        self.assertEqual(self._by_category([("conversation_id", "=", served.id)]), {
            "MARKETING": (1, 0.05), "UTILITY": (1, 0.0)})
        self.assertTrue(all(self.env["guest.template.report"].search(
            [("conversation_id", "=", served.id)]).mapped("is_service_window")))

    def test_only_outbound_whatsapp_templates(self):
        self.conversation._queue_outbound([{"author_type": "agent", "body": "Plain text"}])
        self.assertEqual(sum(count for count, _cost in self._by_category().values()), 6)

    def test_managers_only(self):
        self.assertTrue(self._by_category())
        with self.assertRaises(AccessError):
            self._by_category(user=self.agent)
        internal = new_test_user(self.env, login="wa_report_internal", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["guest.template.report"].with_user(internal).search_count([])
        menu = self.env.ref("guest_messaging_whatsapp.menu_reporting_templates")
        Menu = self.env["ir.ui.menu"]
        for user, visible in ((self.manager, True), (self.agent, False)):
            with self.subTest(user=user.login):
                self.assertEqual(menu in Menu.with_user(user).search([("id", "=", menu.id)]), visible)

    def test_other_companies_are_hidden(self):
        company_b = self.env["res.company"].create({"name": "Hotel B"})
        connection_b = self.env["guest.channel.connection"].create({
            "name": "B WhatsApp", "channel_type": "whatsapp", "phone_number_id": "9999",
            "company_id": company_b.id})
        self.env["guest.whatsapp.template"].create({
            "connection_id": connection_b.id, "name": "spring_offer", "language": "en_US", "category": "MARKETING"})
        conversation_b = self.env["guest.conversation"].create({
            "connection_id": connection_b.id, "guest_external_id": "34600000001"})
        conversation_b._queue_whatsapp_template("spring_offer", "en_US", [])
        manager_b = new_test_user(
            self.env, login="wa_report_manager_b", groups="base.group_user,guest_messaging.group_manager",
            company_id=company_b.id, company_ids=[Command.set(company_b.ids)])
        self.manager.write({"company_ids": [Command.link(company_b.id)]})
        domain = [("connection_id", "in", (self.connection | connection_b).ids)]
        Report = self.env["guest.template.report"]
        self.assertEqual(Report.with_user(manager_b).search_count(domain), 1)
        self.assertEqual(Report.with_user(self.manager).with_context(
            allowed_company_ids=[self.env.company.id]).search_count(domain), 6)
        self.assertEqual(Report.with_user(self.manager).with_context(
            allowed_company_ids=[self.env.company.id, company_b.id]).search_count(domain), 7)

    def test_the_overview_sums_the_estimated_cost(self):
        self.env.flush_all()
        Dashboard = self.env["guest.reporting.dashboard"].with_user(self.manager)
        period = [("connection_id", "=", self.connection.id)]
        figures, _channels = Dashboard._conversation_figures(period)
        tiles = {tile["key"]: tile for tile in Dashboard._dashboard_tiles(period, figures)}
        # 3 marketing at 0.05 and 2 utility at 0.02 outside the window; the unsynced one costs nothing
        self.assertAlmostEqual(tiles["template_cost"]["value"], 0.19)
        self.assertIn("6 sent", tiles["template_cost"]["hint"])
        self.assertEqual(tiles["template_cost"]["currency_id"], self.env.ref("base.USD").id)
