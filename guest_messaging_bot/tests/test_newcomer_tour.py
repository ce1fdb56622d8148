from odoo.tests import HttpCase, new_test_user, tagged

from .common import BotFixtures
from .tour_workers import workers_running


@tagged("guest_messaging", "post_install", "-at_install")
class TestNewcomerTour(BotFixtures, HttpCase):
    """The README's walk in headless Chromium, as an administrator: on the demo database's Sandbox
    connection and rooms, or on rooms of its own in the database without demo data."""

    @staticmethod
    def _run_the_webhook_worker(env):
        """What the worker cron does on a server, while the browser plays the guest."""
        env["guest.webhook.event"]._cron_process_webhook_events()

    def test_book_as_a_guest_then_work_the_booking(self):
        if not self.env.ref("guest_messaging_bot.demo_connection_sandbox", raise_if_not_found=False):
            self.setup_hotel(self.env)
        # an administrator of the database (Settings) who manages Guest Messaging, as the demo's admin is
        new_test_user(self.env, login="gm_walk_admin", name="Walk Admin",
                      groups="base.group_user,base.group_system,guest_messaging.group_manager")
        with workers_running(self.registry, self._run_the_webhook_worker):
            self.start_tour("/odoo/guest-simulator", "guest_messaging_newcomer_walk", login="gm_walk_admin",
                            timeout=180)
        partner = self.env["res.partner"].search([("email", "=", "eve.newcomer@example.com")])
        self.assertEqual(partner.name, "Eve Newcomer")
        reservation = self.env["hotel.reservation"].search([("partner_id", "=", partner.id)])
        self.assertEqual(reservation.state, "confirm")
        conversation = reservation.guest_conversation_id
        self.assertEqual(conversation.display_name, "Eve Newcomer")
        tapped = conversation.guest_message_ids.filtered(
            lambda m: m.direction == "inbound" and (m.payload or {}).get("reply_id"))
        self.assertIn("Book a Stay", tapped.mapped("body"))
        self.assertTrue(all(tapped.mapped("body")))
        references = self.env["hotel.reservation"].search([]).mapped("reservation_no")
        self.assertEqual(len(references), len(set(references)), "a reference was given twice")
