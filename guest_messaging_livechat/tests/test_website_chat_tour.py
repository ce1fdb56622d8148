from functools import partial

from odoo.tests import HttpCase, tagged

from odoo.addons.guest_messaging_bot.tests.tour_workers import workers_running


@tagged("guest_messaging", "post_install", "-at_install")
class TestWebsiteChatTour(HttpCase):
    """In headless Chromium: a visitor of the website books in the chat window, then staff find the
    conversation and its reservation in the inbox."""

    @staticmethod
    def _run_the_workers(connection_id, env):
        """What the webhook worker and the outbox do on a server while the visitor chats."""
        events = env["guest.webhook.event"].search([("channel_type", "=", "website_chat"),
                                                    ("state", "=", "pending")])
        if events:
            events._cron_process_webhook_events()
        queued = env["guest.message"].search([("connection_id", "=", connection_id),
                                              ("delivery_status", "=", "queued")])
        if queued:
            queued._cron_send_outbox()

    def test_a_visitor_books_in_the_widget_and_staff_see_it_in_the_inbox(self):
        room_type = self.env["hotel.room.type"].create({"name": "Tour rooms"})
        room = self.env["hotel.room"].create(
            {"name": "Tour-101", "room_categ_id": room_type.id, "list_price": 95.0, "capacity": 2})
        self.env["hotel.room"].search([("id", "!=", room.id), ("capacity", ">=", 2)]).write({"capacity": 1})
        livechat = self.env["im_livechat.channel"].create({"name": "Tour website", "user_ids": [(5, 0, 0)]})
        connection = self.env["guest.channel.connection"].create({
            "name": "Tour website chat", "channel_type": "website_chat", "livechat_channel_id": livechat.id})
        if "website" in self.env and "channel_id" in self.env["website"]._fields:
            # an Odoo website (website_livechat): its pages show the chat bubble
            self.env["website"].search([]).write({"channel_id": livechat.id})
            start = "/"
        else:
            # any other site: Live Chat's own page, which loads the same embed script a hotel pastes
            start = f"/im_livechat/support/{livechat.id}"
        with workers_running(self.registry, partial(self._run_the_workers, connection.id)):
            self.start_tour(start, "guest_messaging_livechat_book", timeout=180)
        conversation = self.env["guest.conversation"].search([("connection_id", "=", connection.id)])
        reservation = conversation.reservation_ids
        self.assertEqual((reservation.state, reservation.reservation_line.reserve), ("confirm", room))
        self.assertEqual(reservation.partner_id.email, "eve.website@example.com")
        self.start_tour("/odoo/guest-inbox", "guest_messaging_livechat_inbox", login="admin", timeout=120)
