from datetime import datetime, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import GuestMessagingCase

MONDAY = datetime(2025, 3, 3, 9, 0)


@tagged("guest_messaging")
class TestReports(GuestMessagingCase):
    """A known set of conversations, with their clock set in SQL, read back through both reports."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._inbox_alone()
        Connection = cls.env["guest.channel.connection"]
        cls.reports_a = Connection.create({"name": "Reports A", "channel_type": "sandbox"})
        cls.reports_b = Connection.create({"name": "Reports B", "channel_type": "sandbox"})
        cls.connections = cls.reports_a | cls.reports_b

        # last week: the bot alone, then expiry; 2 guest messages
        cls.bot_expired = cls._guest_writes(cls.reports_a, "r1", "Hello", "Breakfast time?")
        cls.bot_expired.write({"status": "expired"})
        cls._set_clock(cls.bot_expired, MONDAY - timedelta(days=7), [0, 1])

        # escalated at +10 min, an agent claims at +12 and answers at +14, the guest writes again at +20
        cls.answered = cls._guest_writes(cls.reports_a, "r2", "I need a person")
        cls.answered._request_agent()
        cls.answered.with_user(cls.agent).action_claim()
        cls.answered.with_user(cls.agent).send_agent_message("Hello, this is reception")
        cls._guest_writes(cls.reports_a, "r2", "Thanks")
        cls._set_clock(cls.answered, MONDAY, [0, 10, 12, 14, 20], escalated=10)

        # the next day: escalated, taken by writing, resolved 30 minutes after the start
        cls.resolved = cls._guest_writes(cls.reports_a, "r3", "Can I check in early?")
        cls.resolved._request_agent()
        cls.resolved.with_user(cls.agent).send_agent_message("Yes, from 11:00")
        cls.resolved.with_user(cls.agent).action_resolve()
        cls._set_clock(cls.resolved, MONDAY + timedelta(days=1), [0, 5, 7, 7, 30], escalated=5)

        # two days later: escalated at +3 min, nobody answered yet
        cls.waiting = cls._guest_writes(cls.reports_a, "r4", "Lost my key")
        cls.waiting._request_agent()
        cls._set_clock(cls.waiting, MONDAY + timedelta(days=2), [0, 3], escalated=3)

        # on the other connection, the bot alone
        cls.bot_open = cls._guest_writes(cls.reports_b, "r5", "Parking?")
        cls._set_clock(cls.bot_open, MONDAY + timedelta(hours=1), [0])
        cls.env.flush_all()

    @classmethod
    def _guest_writes(cls, connection, guest_key, *bodies):
        Conversation = cls.env["guest.conversation"]
        for body in bodies:
            message = Conversation._ingest_inbound(
                connection, guest_key, f"report.{guest_key}.{Conversation.env['guest.message'].search_count([])}",
                {"body": body})
        return message.conversation_id

    @classmethod
    def _set_clock(cls, conversation, start, minutes, escalated=None):
        """Date the conversation ``start`` and its messages, in order, ``minutes`` after it."""
        cls.env.flush_all()
        messages = conversation.guest_message_ids.sorted("id")
        assert len(messages) == len(minutes), (conversation.guest_external_id, messages.mapped("body"))
        cls.env.cr.execute(
            "UPDATE guest_conversation SET create_date = %s, escalated_at = %s WHERE id = %s",
            (start, escalated is not None and start + timedelta(minutes=escalated) or None, conversation.id))
        for message, offset in zip(messages, minutes):
            cls.env.cr.execute("UPDATE guest_message SET create_date = %s WHERE id = %s",
                               (start + timedelta(minutes=offset), message.id))
        cls.env.invalidate_all()
        # the messages' times changed behind the product's back: its counters are counted again
        conversation._recount_messages()

    def _rows(self, model, groupby, aggregates, domain=()):
        return self.env[model]._read_group(
            [("connection_id", "in", self.connections.ids), *domain], groupby, aggregates)

    def test_one_row_per_conversation(self):
        Report = self.env["guest.conversation.report"]
        rows = Report.search([("connection_id", "in", self.connections.ids)])
        by_conversation = {row.conversation_id: row for row in rows}
        self.assertEqual(set(by_conversation), {self.bot_expired, self.answered, self.resolved, self.waiting,
                                                self.bot_open})
        figures = {
            conversation: (row.escalated, row.bot_only, row.expired, row.message_count, row.inbound_count,
                           row.first_response_minutes, row.resolution_minutes)
            for conversation, row in by_conversation.items()
        }
        self.assertEqual(figures, {
            self.bot_expired: (False, True, True, 2, 2, 0.0, 0.0),
            self.answered: (True, False, False, 5, 2, 4.0, 0.0),
            # escalated at +5, the agent's answer at +7
            self.resolved: (True, False, False, 5, 1, 2.0, 30.0),
            self.waiting: (True, False, False, 2, 1, 0.0, 0.0),
            self.bot_open: (False, True, False, 1, 1, 0.0, 0.0),
        })
        self.assertEqual(by_conversation[self.answered].agent_id, self.agent)
        self.assertEqual(by_conversation[self.answered].date, MONDAY)
        self.assertEqual(by_conversation[self.bot_open].channel_type, "sandbox")

    def test_shares_and_averages(self):
        aggregates = ["__count", "escalated_rate:avg", "bot_only_rate:avg", "first_response_minutes:avg",
                      "resolution_minutes:avg", "message_count:sum", "inbound_count:sum"]
        self.assertEqual(self._rows("guest.conversation.report", ["channel_type"], aggregates),
                         [("sandbox", 5, 60.0, 40.0, 3.0, 30.0, 15, 7)])
        self.assertEqual(self._rows("guest.conversation.report", ["connection_id"], aggregates), [
            (self.reports_a, 4, 75.0, 25.0, 3.0, 30.0, 14, 6),
            (self.reports_b, 1, 0.0, 100.0, False, False, 1, 1),
        ])
        # the week starts on the day the language says; either way these dates fall into two weeks
        weeks = self._rows("guest.conversation.report", ["date:week"], ["__count", "escalated_rate:avg"])
        self.assertEqual([(count, share) for _week, count, share in weeks], [(1, 0.0), (4, 75.0)])
        self.assertEqual(self._rows("guest.conversation.report", ["date:day"], ["__count"]), [
            (datetime(2025, 2, 24), 1), (datetime(2025, 3, 3), 2), (datetime(2025, 3, 4), 1),
            (datetime(2025, 3, 5), 1)])
        by_agent = self._rows("guest.conversation.report", ["agent_id", "status"], ["__count"])
        self.assertEqual({(agent.id, status): count for agent, status, count in by_agent}, {
            (self.agent.id, "agent_assigned"): 1, (self.agent.id, "resolved"): 1,
            (False, "bot_handling"): 1, (False, "awaiting_agent"): 1, (False, "expired"): 1})

    MESSAGES_PER_DAY = [
        (datetime(2025, 2, 24), "inbound", 2),
        (datetime(2025, 3, 3), "inbound", 3), (datetime(2025, 3, 3), "outbound", 3),
        (datetime(2025, 3, 4), "inbound", 1), (datetime(2025, 3, 4), "outbound", 4),
        (datetime(2025, 3, 5), "inbound", 1), (datetime(2025, 3, 5), "outbound", 1),
    ]

    def _count_all_settled_messages(self):
        Tally = self.env["guest.message.tally"]
        for _run in range(100):
            if not Tally._cron_tally_messages():
                break
        self.env.invalidate_all()

    def _message_figures(self):
        return (
            self._rows("guest.message.report", ["date:day", "direction"], ["message_count:sum"]),
            dict(self._rows("guest.message.report", ["author_type"], ["message_count:sum"])),
            self._rows("guest.message.report", ["connection_id", "channel_type"], ["message_count:sum"]),
        )

    def test_messages_per_day_and_direction(self):
        by_day, by_author, by_connection = self._message_figures()
        self.assertEqual(by_day, self.MESSAGES_PER_DAY)
        self.assertEqual(by_author, {"guest": 7, "agent": 2, "system": 6})
        self.assertEqual(by_connection, [(self.reports_a, "sandbox", 14), (self.reports_b, "sandbox", 1)])

    def test_counted_messages_read_as_the_messages_do(self):
        # and messages a minute either side of midnight in time zones a half or a quarter hour off UTC
        around_midnight = self._guest_writes(self.reports_b, "tz1", "a", "b", "c", "d")
        self._set_clock(around_midnight, datetime(2025, 3, 6, 18, 14), [0, 2, 15, 17])
        self._set_clock(self._guest_writes(self.reports_b, "tz2", "e", "f"), datetime(2025, 3, 7, 3, 29), [0, 2])
        before = self._message_figures()
        self.assertFalse(self.env["guest.message.tally"].search_count([("connection_id", "in", self.connections.ids)]))
        self._count_all_settled_messages()
        # these messages are now read from the counts only: one row per quarter hour and kind of message
        tally = self.env["guest.message.tally"].search([("connection_id", "in", self.connections.ids)])
        self.assertEqual(sum(tally.mapped("message_count")), 21)
        self.assertLess(len(tally), 21)
        self.assertEqual(self._message_figures(), before)
        for tz in ("Asia/Kolkata", "America/St_Johns", "Asia/Kathmandu"):
            Report = self.env["guest.message.report"].with_context(tz=tz)
            counted = Report._read_group([("connection_id", "in", self.connections.ids)], ["date:day"],
                                         ["message_count:sum"])
            self.env.cr.execute(
                "SELECT date_trunc('day', timezone(%s, create_date AT TIME ZONE 'UTC')), count(*) FROM guest_message "
                "WHERE connection_id = ANY(%s) GROUP BY 1 ORDER BY 1", (tz, self.connections.ids))
            self.assertEqual([(day, count) for day, count in counted], self.env.cr.fetchall(), tz)
        # the next message is read from the messages until it is counted in its turn
        self._guest_writes(self.reports_b, "r5", "One more thing")
        self.env.flush_all()
        self.assertEqual(self._message_figures()[2], [(self.reports_a, "sandbox", 14), (self.reports_b, "sandbox", 8)])
        self.assertFalse(self.env["guest.message.tally"]._cron_tally_messages())

    def test_the_hourly_cron_counts_them(self):
        cron = self.env.ref("guest_messaging.ir_cron_tally_messages")
        self.assertEqual((cron.interval_number, cron.interval_type, cron.active), (1, "hours", True))
        before = self._message_figures()
        cron.method_direct_trigger()
        self.env.invalidate_all()
        tally = self.env["guest.message.tally"].search([("connection_id", "in", self.connections.ids)])
        self.assertEqual(sum(tally.mapped("message_count")), 15)
        self.assertEqual(self._message_figures(), before)

    def test_a_deleted_conversation_leaves_the_counts(self):
        self._count_all_settled_messages()
        self.resolved.unlink()
        # 5 of its messages on 4 March: 1 from the guest, 4 sent
        expected = [row for row in self.MESSAGES_PER_DAY if row[0] != datetime(2025, 3, 4)]
        self.assertEqual(self._message_figures()[0], expected)
        self._count_all_settled_messages()
        self.assertEqual(self._message_figures()[0], expected)

    def test_a_conversation_deleted_before_it_is_counted_is_not_counted(self):
        self.resolved.unlink()
        expected = [row for row in self.MESSAGES_PER_DAY if row[0] != datetime(2025, 3, 4)]
        self.assertEqual(self._message_figures()[0], expected)
        self._count_all_settled_messages()
        self.assertEqual(self._message_figures()[0], expected)
        # its write-off was dropped by the run that counted its quarter hours without it
        self.assertFalse(self.env["guest.message.tally"].search_count([("message_count", "<", 0)]))

    def test_the_counts_are_the_products_own(self):
        self._count_all_settled_messages()
        Tally = self.env["guest.message.tally"]
        for user in (self.manager, self.agent, self.internal):
            with self.assertRaises(AccessError):
                Tally.with_user(user).search_count([])
        admin = self.env.ref("base.user_admin")
        self.assertTrue(Tally.with_user(admin).search_count([]))
        counted = Tally.with_user(admin).search([], limit=1)
        with self.assertRaises(AccessError):
            counted.write({"message_count": 1000})
        with self.assertRaises(AccessError):
            counted.unlink()
        with self.assertRaises(AccessError):
            Tally.with_user(admin).create({"slot": MONDAY, "connection_id": self.reports_a.id,
                                           "direction": "inbound", "author_type": "guest", "message_count": 1})

    def test_managers_only(self):
        domain = [("connection_id", "in", self.connections.ids)]
        for model in ("guest.conversation.report", "guest.message.report"):
            groups = self.env[model].with_user(self.manager).read_group(domain, ["company_id"], ["company_id"])
            self.assertEqual(len(groups), 1)
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.agent).search_count(domain)
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.internal).search_count(domain)

    def test_other_companies_are_hidden(self):
        other = self.env["res.company"].create({"name": "Other hotel"})
        self.manager.write({"company_ids": [(4, other.id)]})
        self.env.cr.execute("UPDATE guest_conversation SET company_id = %s WHERE id = %s", (other.id, self.bot_open.id))
        self.env.cr.execute("UPDATE guest_message SET company_id = %s WHERE conversation_id = %s",
                            (other.id, self.bot_open.id))
        domain = [("connection_id", "in", self.connections.ids)]
        for model, measure, here, there in (("guest.conversation.report", "__count", 4, 1),
                                            ("guest.message.report", "message_count:sum", 14, 1)):
            Report = self.env[model].with_user(self.manager)

            def count(companies):
                return Report.with_context(allowed_company_ids=companies)._read_group(domain, [], [measure])[0][0]

            self.assertEqual(count([self.env.company.id]), here)
            self.assertEqual(count([other.id]), there)
            self.assertEqual(count([self.env.company.id, other.id]), here + there)

    def test_conversations_analysis_opens_on_the_last_30_days(self):
        action = self.env.ref("guest_messaging.guest_conversation_report_action_analysis")
        self.assertEqual(self.env.ref("guest_messaging.menu_reporting_conversations").action, action)
        self.assertEqual(action.view_mode.split(",")[0], "pivot")
        self.assertIn("'search_default_last_30_days': 1", action.context)
        search = etree.fromstring(self.env["guest.conversation.report"].get_view(
            action.search_view_id.id, "search")["arch"])
        self.assertTrue(search.xpath("//filter[@name='last_30_days']"))
        pivot = etree.fromstring(self.env["guest.conversation.report"].get_view(view_type="pivot")["arch"])
        self.assertEqual(pivot.get("display_quantity"), "1")
        self.assertEqual(pivot.xpath("//field[@type='row']/@name"), ["channel_type"])
        # an installed addon may add its own measures
        self.assertLessEqual({"escalated_rate", "bot_only_rate", "first_response_minutes", "rating"},
                             set(pivot.xpath("//field[@type='measure']/@name")))

    # === OVERVIEW === #
    def _dashboard(self, days=30, user=None):
        with freeze_time(MONDAY + timedelta(days=10)):
            return self.env["guest.reporting.dashboard"].with_user(user or self.manager).get_dashboard(days=days)

    def test_overview_figures_of_the_last_30_days(self):
        dashboard = self._dashboard()
        self.assertEqual(dashboard["since"], "2025-02-11 09:00:00")
        tiles = {tile["key"]: tile for tile in dashboard["tiles"]}
        values = {key: tiles[key]["value"] for key in (
            "conversations", "bot_only", "escalated", "expired", "first_response", "resolution", "rating", "messages")}
        # by hand: 3 of 5 escalated, 2 bot alone, 1 expired; first answers after 4.0 and 2.0 minutes, one
        # resolution of 30 minutes, nobody rated; 7 guest messages and 3 + 4 + 1 outbound (system lines included)
        # in the period
        self.assertEqual(values, {"conversations": 5, "bot_only": 40.0, "escalated": 60.0, "expired": 20.0,
                                  "first_response": 3.0, "resolution": 30.0, "rating": None, "messages": 7})
        # the 90th percentile of 2.0 and 4.0 minutes, interpolated: 2.0 + 0.9 * 2.0
        self.assertIn("3.8 min", tiles["first_response"]["hint"])
        self.assertIn("8 sent", tiles["messages"]["hint"])
        self.assertEqual(tiles["rating"]["hint"], "Conversations rated: 0")
        self.assertIn(("date", ">=", "2025-02-11 09:00:00"), [tuple(term) for term in tiles["messages"]["action"]["domain"]])
        # counts per quarter hour: no list of them
        self.assertEqual(tiles["messages"]["action"]["views"], ["graph", "pivot"])
        self.assertEqual(tiles["conversations"]["action"]["views"], ["pivot", "graph", "list"])
        self.assertEqual(tiles["conversations"]["action"]["res_model"], "guest.conversation.report")
        self.assertIn(("escalated", "=", True), [tuple(term) for term in tiles["escalated"]["action"]["domain"]])
        channels = {row["channel"]: row for row in dashboard["channels"]}
        self.assertEqual(channels["sandbox"]["count"], 5)
        self.assertEqual((channels["sandbox"]["escalated"], channels["sandbox"]["bot_only"],
                          channels["sandbox"]["first_response_p50"]), (60.0, 40.0, 3.0))

    def test_overview_of_a_week_without_conversations(self):
        dashboard = self._dashboard(days=7)
        tiles = {tile["key"]: tile["value"] for tile in dashboard["tiles"]}
        self.assertEqual((tiles["conversations"], tiles["escalated"], tiles["first_response"]), (0, None, None))
        hints = {tile["key"]: tile["hint"] for tile in dashboard["tiles"]}
        self.assertEqual((hints["first_response"], hints["resolution"]),
                         ("No agent answer to an escalation yet", "No conversation resolved yet"))
        self.assertEqual(dashboard["channels"], [])

    def test_overview_refuses_other_periods_and_other_users(self):
        for days in (0, -30, 31, 365, "30", None, True, 30.0, [30], {"days": 30}):
            with self.assertRaises(UserError, msg=repr(days)):
                self._dashboard(days=days)
        for user in (self.agent, self.internal):
            with self.assertRaises(AccessError):
                self._dashboard(user=user)

    def test_overview_is_the_reporting_menus_first_entry(self):
        menu = self.env.ref("guest_messaging.menu_reporting_overview")
        self.assertEqual(menu.action, self.env.ref("guest_messaging.guest_reporting_dashboard_action"))
        self.assertEqual(menu.action.tag, "guest_messaging.reporting_dashboard")
        first = self.env["ir.ui.menu"].search([("parent_id", "=", self.env.ref("guest_messaging.menu_reporting").id)],
                                               limit=1)
        self.assertEqual(first, menu)

    def test_the_guest_language_is_a_group_by(self):
        self.env.cr.execute("UPDATE guest_conversation SET guest_locale = 'es_ES' WHERE id = %s", (self.answered.id,))
        self.env.cr.execute("UPDATE guest_conversation SET guest_locale = 'fr-FR' WHERE id = %s", (self.waiting.id,))
        rows = dict(self._rows("guest.conversation.report", ["language"], ["__count"]))
        self.assertEqual((rows.get("es"), rows.get("fr")), (1, 1))
        self.assertEqual(sum(rows.values()), 5)
        labels = dict(self.env["guest.conversation.report"].with_context(lang="en_US")._selection_language())
        self.assertEqual((labels["es"], labels["fr"]), ("Spanish", "French"))
