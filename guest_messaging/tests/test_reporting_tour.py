from odoo.tests import HttpCase, new_test_user, tagged


@tagged("guest_messaging", "post_install", "-at_install")
class TestReportingTour(HttpCase):
    """A manager opens Reporting > Overview in headless Chromium and follows a tile to its pivot."""

    def test_overview_then_pivot(self):
        new_test_user(self.env, login="gm_report_manager", groups="base.group_user,guest_messaging.group_manager")
        connection = self.env["guest.channel.connection"].create({"name": "Report Sandbox", "channel_type": "sandbox"})
        # only this test's conversations fall in the period the tour reads
        self.env.cr.execute("UPDATE guest_conversation SET create_date = create_date - interval '400 days'")
        Conversation = self.env["guest.conversation"]
        for key in ("tour-a", "tour-b"):
            Conversation._ingest_inbound(connection, key, f"wamid.{key}", {"body": "Hello"})
        Conversation.search([("guest_external_id", "=", "tour-b")])._request_agent()
        self.start_tour("/odoo/guest-reporting", "guest_messaging_reporting", login="gm_report_manager")
