from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import BotFixtures


@tagged("guest_messaging", "post_install", "-at_install")
class TestBookingReport(BotFixtures, TransactionCase):
    """Two bookings made in the chat, one of them cancelled, read back through the bookings analysis."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patch_key()
        cls.setup_hotel(cls.env)
        cls.manager = new_test_user(cls.env, login="booking_report_manager",
                                    groups="base.group_user,guest_messaging.group_manager")
        cls.agent = new_test_user(cls.env, login="booking_report_agent",
                                  groups="base.group_user,guest_messaging.group_agent")

    def setUp(self):
        super().setUp()
        self.kept = self.book("34699000201", "kept@example.com", day=10).reservation_ids
        self.cancelled = self.book("34699000202", "cancelled@example.com", day=20).reservation_ids
        self.assertEqual((self.kept | self.cancelled).mapped("state"), ["confirm", "confirm"])
        self.cancelled.cancel_reservation()
        self.env.flush_all()
        self.domain = [("connection_id", "=", self.connection.id)]

    def not_cancelled_domain(self):
        view = self.env.ref("guest_messaging_bot.guest_booking_report_view_search")
        node = etree.fromstring(view.arch).find(".//filter[@name='not_cancelled']")
        return safe_eval(node.get("domain"))

    def groups(self, domain, groupby):
        return self.env["guest.booking.report"].with_user(self.manager).read_group(
            self.domain + domain, ["room_nights:sum", "revenue:sum"], groupby, orderby=groupby[0])

    def test_one_row_per_booking_with_its_nights_and_revenue(self):
        rows = self.env["guest.booking.report"].with_user(self.manager).search(self.domain)
        self.assertEqual(rows.reservation_id, self.kept | self.cancelled)
        row = rows.filtered(lambda r: r.reservation_id == self.kept)
        self.assertRecordValues(row, [{
            "conversation_id": self.kept.guest_conversation_id.id, "channel_type": "sandbox",
            "state": "confirm", "check_in": self.kept.checkin.date(), "nights": 2, "rooms": 1,
            "room_nights": 2, "revenue": 180.0, "currency_id": self.env.company.currency_id.id,
            "company_id": self.env.company.id, "date": self.kept.create_date,
        }])
        by_state = {g["state"]: (g["state_count"], g["room_nights"], g["revenue"])
                    for g in self.groups([], ["state"])}
        self.assertEqual(by_state, {"cancel": (1, 2, 180.0), "confirm": (1, 2, 180.0)})

    def test_the_default_filter_leaves_out_cancelled_bookings(self):
        action = self.env.ref("guest_messaging_bot.guest_booking_report_action")
        self.assertEqual(safe_eval(action.context), {"search_default_not_cancelled": 1})
        self.assertEqual(self.env.ref("guest_messaging_bot.menu_reporting_bookings").parent_id,
                         self.env.ref("guest_messaging.menu_reporting"))
        [group] = self.groups(self.not_cancelled_domain(), ["channel_type"])
        self.assertEqual((group["channel_type_count"], group["room_nights"], group["revenue"]), (1, 2, 180.0))

    def test_agents_cannot_read_it(self):
        with self.assertRaises(AccessError):
            self.env["guest.booking.report"].with_user(self.agent).search_count(self.domain)

    def test_other_companies_are_hidden(self):
        other = self.env["res.company"].create({"name": "Other hotel"})
        self.manager.write({"company_ids": [(4, other.id)]})
        self.env.cr.execute("UPDATE hotel_reservation SET company_id = %s WHERE id = %s", (other.id, self.cancelled.id))
        Report = self.env["guest.booking.report"].with_user(self.manager)
        here = Report.with_context(allowed_company_ids=[self.env.company.id]).search(self.domain)
        self.assertEqual(here.reservation_id, self.kept)
        there = Report.with_context(allowed_company_ids=[other.id]).search(self.domain)
        self.assertEqual(there.reservation_id, self.cancelled)
        self.assertEqual(there.currency_id, other.currency_id)

    def test_the_overview_counts_the_bookings_not_cancelled(self):
        Dashboard = self.env["guest.reporting.dashboard"].with_user(self.manager)
        figures, channels = Dashboard._conversation_figures(self.domain)
        tiles = {tile["key"]: tile for tile in Dashboard._dashboard_tiles(self.domain, figures)}
        # one booking kept: 2 nights of a 90.0 room; one of the two conversations booked
        self.assertEqual((tiles["bookings"]["value"], tiles["revenue"]["value"], tiles["booked"]["value"]),
                         (1, 180.0, 50.0))
        self.assertIn("2 room nights", tiles["bookings"]["hint"])
        self.assertEqual(tiles["revenue"]["currency_id"], self.env.company.currency_id.id)
        columns = self.env["guest.reporting.dashboard"]._dashboard_channel_columns()
        self.assertIn("booked", [name for name, _label, _kind in columns])
        self.assertEqual({row["channel"]: row["booked"] for row in channels}, {"sandbox": 50.0})
