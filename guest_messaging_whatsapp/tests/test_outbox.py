from datetime import timedelta

from guestmsg.channels.capabilities import Buttons, Option, OptionList, resolve_reply
from guestmsg.meta.graph import GraphTransientError

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, freeze_time, tagged
from odoo.tools import mute_logger

from odoo.addons.base.tests.test_ir_cron import CronMixinCase
from odoo.addons.guest_messaging.models.guest_message import RETRY_CAP_SECONDS, SEND_LEASE

from .common import PHONE_NUMBER_ID, WhatsAppMixin

OUTBOX_CRON = "guest_messaging.ir_cron_send_outbox"
META_DOWN = {"code": 2, "message": "Service temporarily unavailable"}


@tagged("guest_messaging")
class TestWhatsAppOutbox(WhatsAppMixin, CronMixinCase, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_outbox(guest_name="Ana")
        cls.env["guest.message"].create({
            "conversation_id": cls.conversation.id, "direction": "inbound", "author_type": "guest",
            "body": "Hi", "platform_message_id": "wamid.in1",
        })

    def setUp(self):
        super().setUp()
        self.graph.clear_requests()

    def test_agent_message_is_queued_then_sent_after_commit(self):
        message_id = self.conversation.with_user(self.agent).send_agent_message("Hello Ana, welcome!")
        message = self.env["guest.message"].browse(message_id)
        self.assertEqual((message.delivery_status, message.author_id), ("queued", self.agent))
        self.assertFalse(self.graph.sent_messages(), "nothing is sent inside the request that queued it")
        self.send_outbox()
        sent = self.graph.sent_messages(PHONE_NUMBER_ID)
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent[0]["to"], "+34612345678")
        self.assertEqual(sent[0]["type"], "text")
        self.assertEqual(sent[0]["text"]["body"], "Hello Ana, welcome!")
        self.assertEqual(message.delivery_status, "sent")
        self.assertTrue(message.platform_message_id.startswith("wamid."))
        auth = [r for r in self.graph.requests if r.method == "POST"][0].headers.get("Authorization")
        self.assertEqual(auth, "Bearer EAAG-test-token")
        self.send_outbox()
        self.assertEqual(len(self.graph.sent_messages(PHONE_NUMBER_ID)), 1, "never sent twice")

    def test_every_transaction_that_queues_wakes_the_worker_once_at_commit(self):
        # even when a trigger looks pending: a run ending right now may be consuming it
        cron = self.env.ref("guest_messaging.ir_cron_send_outbox")
        Trigger = self.env["ir.cron.trigger"].sudo()
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        self.conversation.with_user(self.agent).send_agent_message("One")
        self.conversation.with_user(self.agent).send_agent_message("Two")
        self.assertFalse(Trigger.search_count([("cron_id", "=", cron.id)]), "written at commit")
        self._commit_hooks()
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 1, "one per transaction")
        self.conversation.with_user(self.agent).send_agent_message("Three")
        self._commit_hooks()
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 2)

    def test_rich_message_wire_payload(self):
        wire = {"type": "interactive", "interactive": {"type": "button", "body": {"text": "How can we help?"},
                "action": {"buttons": [{"type": "reply", "reply": {"id": "book", "title": "Book a Stay"}}]}}}
        self.conversation._queue_outbound([{"author_type": "bot", "message_type": "interactive",
                                            "body": "How can we help?", "payload": {"wire": wire}}])
        self.send_outbox()
        sent = self.graph.sent_messages(PHONE_NUMBER_ID)[0]
        self.assertEqual(sent["interactive"]["action"]["buttons"][0]["reply"]["id"], "book")
        self.assertEqual(sent["messaging_product"], "whatsapp")

    def test_throughput_error_is_retried_with_backoff(self):
        message = self.conversation._queue_outbound([{"author_type": "bot", "body": "Busy?"}])
        self.graph.fail_next(status=400, error={"code": 131056, "message": "(#131056) Pair rate limit hit",
                                                "type": "OAuthException"})
        self.send_outbox()
        self.assertEqual(message.delivery_status, "queued")
        self.assertEqual(message.error_code, "131056")
        self.assertGreater(message.next_attempt_at, fields.Datetime.now())
        self.send_outbox()
        self.assertFalse(self.graph.sent_messages(), "not retried before its time")
        message.next_attempt_at = fields.Datetime.now() - timedelta(seconds=1)
        self.send_outbox()
        self.assertEqual(message.delivery_status, "sent")
        self.assertEqual(message.send_attempts, 2)

    def test_permanent_error_is_shown_and_not_retried(self):
        message = self.conversation._queue_outbound([{"author_type": "bot", "body": "Hi again"}])
        self.graph.fail_next(status=400, error={"code": 131026, "message": "Message undeliverable",
                                                "type": "OAuthException"})
        self.send_outbox()
        self.assertEqual((message.delivery_status, message.error_code), ("failed", "131026"))
        self.assertIn("undeliverable", message.error_message)
        self.send_outbox()
        self.assertEqual(len([r for r in self.graph.requests if r.method == "POST"]), 1)

    def test_token_error_puts_the_connection_in_error_and_tells_managers(self):
        message = self.conversation._queue_outbound([{"author_type": "bot", "body": "Hi"}])
        self.graph.fail_next(status=401, error={"code": 190, "error_subcode": 463, "type": "OAuthException",
                                                "message": "Error validating access token: Session has expired"})
        self.send_outbox()
        self.assertEqual(message.delivery_status, "failed")
        self.assertEqual(self.connection.state, "error")
        self.assertIn("Reconnect", self.connection.last_error)
        notice = self.connection.message_ids.filtered(lambda m: "Reconnect" in (m.body or ""))
        self.assertIn(self.manager.partner_id, notice.partner_ids)

    def test_outside_the_24_hour_window_free_text_is_refused(self):
        self.conversation.sudo().last_inbound_at = fields.Datetime.now() - timedelta(hours=25)
        with self.assertRaisesRegex(UserError, "template"):
            self.conversation.with_user(self.agent).send_agent_message("Are you still there?")
        self.assertFalse(self.env["guest.message"].search_count([("delivery_status", "=", "queued")]))
        self.send_outbox()
        self.assertFalse(self.graph.requests)

    def test_hostile_agent_input(self):
        for body in ("", "   ", "x" * 5000):
            with self.subTest(size=len(body)), self.assertRaises(UserError):
                self.conversation.with_user(self.agent).send_agent_message(body)

    def _posts(self):
        return [r for r in self.graph.requests if r.method == "POST"]

    def _run_outbox_while_meta_is_down(self, message):
        """One outbox run with Meta answering 503: True when the message was due and tried."""
        due = not message.next_attempt_at or message.next_attempt_at <= fields.Datetime.now()
        if due:
            self.graph.fail_next(status=503, error=META_DOWN)
        before = len(self._posts())
        self.send_outbox()
        self.assertEqual(len(self._posts()) - before, int(due), "Meta is called only when the message is due")
        return due

    def test_a_30_minute_meta_outage_only_delays_the_message(self):
        start = fields.Datetime.now()
        message = self.conversation._queue_outbound([{"author_type": "bot", "body": "Your room is ready."}])
        tries = []
        with freeze_time(start) as clock:
            while fields.Datetime.now() < start + timedelta(minutes=30):
                if self._run_outbox_while_meta_is_down(message):
                    tries.append(fields.Datetime.now())
                self.assertEqual(message.delivery_status, "queued", "still trying while Meta is down")
                clock.tick(timedelta(seconds=5))
            self.assertEqual(message.error_code, "2")
            # Meta is back
            while message.delivery_status == "queued" and fields.Datetime.now() < start + timedelta(minutes=40):
                self.send_outbox()
                clock.tick(timedelta(seconds=5))
            back_after = fields.Datetime.now() - start - timedelta(minutes=30)
        gaps = [(later - earlier).total_seconds() for earlier, later in zip(tries, tries[1:])]
        self.assertGreater(len(tries), 6, "more tries than the old fixed limit, which gave up within minutes")
        self.assertLessEqual(gaps[0], 15, "the first retry comes within seconds")
        self.assertLessEqual(max(gaps), RETRY_CAP_SECONDS + 5, "never more than the capped interval apart")
        self.assertLessEqual(back_after.total_seconds(), RETRY_CAP_SECONDS + 10)
        self.assertEqual((message.delivery_status, message.error_code), ("sent", False))
        self.assertEqual(len(self.graph.sent_messages(PHONE_NUMBER_ID)), 1, "sent once Meta is back, once")

    def test_free_text_is_retried_only_while_the_24_hour_window_is_open(self):
        self.conversation.sudo().last_inbound_at = fields.Datetime.now() - timedelta(hours=23, minutes=50)
        message = self.conversation._queue_outbound([{"author_type": "bot", "body": "Still there?"}])
        self.assertTrue(self._run_outbox_while_meta_is_down(message))
        self.assertEqual(message.delivery_status, "queued")
        with freeze_time(fields.Datetime.now() + timedelta(minutes=11)):
            self.send_outbox()
        self.assertEqual((message.delivery_status, message.error_code), ("failed", "expired"))
        self.assertIn("24 hours", message.error_message)
        self.assertEqual(len(self._posts()), 1, "not tried once Meta would refuse it")

    def test_a_template_is_retried_for_24_hours(self):
        self.conversation.sudo().last_inbound_at = fields.Datetime.now() - timedelta(days=3)
        message = self.conversation._queue_whatsapp_template("booking_confirmed", "en_US", ["Ana"])
        now = fields.Datetime.now()
        self.assertTrue(self._run_outbox_while_meta_is_down(message))
        with freeze_time(now + timedelta(hours=23)):
            self.assertTrue(self._run_outbox_while_meta_is_down(message))
        self.assertEqual(message.delivery_status, "queued", "outside the window: a template still goes")
        with freeze_time(now + timedelta(hours=24, minutes=1)):
            self.send_outbox()
        self.assertEqual((message.delivery_status, message.error_code), ("failed", "expired"))
        self.assertEqual(len(self._posts()), 2)

    def test_a_message_being_sent_is_left_to_its_worker_and_uncertain_if_it_died(self):
        message = self.conversation._queue_outbound([{"author_type": "bot", "body": "Hi"}])
        self.assertTrue(message._queue_claim(), "a worker takes it and calls Meta")
        with self.capture_triggers(OUTBOX_CRON) as triggers:
            self.send_outbox()
        self.assertEqual(message.delivery_status, "queued", "its worker may be calling Meta right now")
        self.assertFalse(triggers.records, "a message being sent does not make the outbox run again at once")
        with freeze_time(fields.Datetime.now() + SEND_LEASE + timedelta(seconds=1)):
            self.send_outbox()
        self.assertEqual((message.delivery_status, message.error_code), ("uncertain", "interrupted"))
        self.assertIn("may or may not", message.error_message)
        self.assertFalse(self.graph.requests, "never sent again blindly")

    def test_a_send_meta_may_have_taken_is_uncertain_and_not_repeated(self):
        first = self.conversation._queue_outbound([{"author_type": "bot", "body": "One"}])
        # Meta answers 200 without a message id
        self.graph.fail_next(status=200, body='{"messaging_product": "whatsapp"}', content_type="application/json")
        self.send_outbox()
        self.assertEqual(first.delivery_status, "uncertain")
        second = self.conversation._queue_outbound([{"author_type": "bot", "body": "Two"}])

        def read_timeout(message):
            raise GraphTransientError("Read timeout calling POST /v23.0/109876543210/messages", ambiguous=True)

        self.patch(type(self.env["guest.message"]), "_send_whatsapp", read_timeout)
        self.send_outbox()
        self.assertEqual(second.delivery_status, "uncertain")
        self.assertIn("Read timeout", second.error_message)
        with freeze_time(fields.Datetime.now() + timedelta(hours=1)):
            self.send_outbox()
        self.assertEqual((first | second).mapped("delivery_status"), ["uncertain", "uncertain"])
        self.assertEqual(len(self._posts()), 1)

    def test_resend_sends_an_uncertain_agent_message_once(self):
        message = self.env["guest.message"].browse(
            self.conversation.with_user(self.agent).send_agent_message("Breakfast is until 11."))
        self.graph.fail_next(status=200, body='{"messaging_product": "whatsapp"}', content_type="application/json")
        self.send_outbox()
        self.assertEqual(message.delivery_status, "uncertain")
        message.with_user(self.agent).action_resend()
        self.assertEqual((message.delivery_status, message.error_message), ("queued", False))
        self.send_outbox()
        self.assertEqual(message.delivery_status, "sent")
        self.assertEqual([m["text"]["body"] for m in self.graph.sent_messages(PHONE_NUMBER_ID)],
                         ["Breakfast is until 11."])
        with self.assertRaises(UserError):
            message.with_user(self.agent).action_resend()

    @mute_logger("odoo.addons.guest_messaging.models.guest_message")
    def test_disconnected_connection_sends_nothing(self):
        self.connection.write({"state": "disconnected"})
        message = self.conversation._queue_outbound([{"author_type": "bot", "body": "Hi"}])
        self.send_outbox()
        self.assertEqual(message.delivery_status, "failed")
        self.assertFalse(self.graph.requests)


@tagged("guest_messaging")
class TestWhatsAppRichMessages(WhatsAppMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_outbox()

    def setUp(self):
        super().setUp()
        self.graph.clear_requests()

    def _sent(self):
        self.env["guest.message"]._cron_send_outbox()
        return self.graph.sent_messages(PHONE_NUMBER_ID)

    def test_buttons_fit_whatsapp_limits(self):
        self.conversation._queue_rich(Buttons("Can we help with anything else?", (
            Option("team", "Talk to our team"), Option("bot", "Continue with assistant"))))
        sent = self._sent()[0]
        buttons = sent["interactive"]["action"]["buttons"]
        self.assertEqual([b["reply"]["id"] for b in buttons], ["team", "bot"])
        self.assertTrue(all(len(b["reply"]["title"]) <= 20 for b in buttons))
        self.assertTrue(buttons[1]["reply"]["title"].startswith("Continue"))

    def test_too_many_options_degrade_and_numbers_are_understood(self):
        rooms = tuple(Option(f"room-{i}", f"Room {i}", f"{80 + i} EUR / night") for i in range(12))
        message = self.conversation._queue_rich(OptionList("Free rooms:", "See rooms", rooms))
        sent = self._sent()[0]
        self.assertEqual(sent["type"], "text")
        self.assertIn("12. Room 11", sent["text"]["body"])
        options = message.payload["options"]
        self.assertEqual(len(options), 12)
        picked = resolve_reply("3", [Option(o["id"], o["title"]) for o in options])
        self.assertEqual(picked.id, "room-2")

    def test_template_goes_out_of_the_window(self):
        self.conversation.sudo().last_inbound_at = fields.Datetime.now() - timedelta(days=3)
        self.conversation._queue_whatsapp_template("booking_confirmed", "en_US", ["Ana", "2026-12-01", "R/0001"])
        sent = self._sent()[0]
        self.assertEqual(sent["type"], "template")
        self.assertEqual(sent["template"]["name"], "booking_confirmed")
        self.assertEqual([p["text"] for p in sent["template"]["components"][0]["parameters"]],
                         ["Ana", "2026-12-01", "R/0001"])

    def test_bad_template_parameters_are_refused_before_meta(self):
        with self.assertRaises(UserError):
            self.conversation._queue_whatsapp_template("booking_confirmed", "en_US", ["line\nbreak"])
        with self.assertRaises(UserError):
            self.conversation._queue_whatsapp_template("Bad Name!", "en_US", [])
        self.assertFalse(self._sent())

    def test_media_is_fetched_lazily_into_an_attachment(self):
        self.graph.add_media("MEDIA1", b"\x89PNG fake image bytes", mime_type="image/png")
        message = self.env["guest.message"].create({
            "conversation_id": self.conversation.id, "direction": "inbound", "author_type": "guest",
            "message_type": "image", "body": "[image]", "platform_message_id": "wamid.img",
            "payload": {"media_id": "MEDIA1", "mime_type": "image/png"},
        })
        self.assertFalse(message.attachment_id)
        self.assertFalse(self.graph.requests, "nothing is downloaded until someone opens it")
        action = message.with_user(self.agent).action_fetch_media()
        self.assertEqual(message.attachment_id.raw, b"\x89PNG fake image bytes")
        self.assertEqual(message.attachment_id.mimetype, "image/png")
        self.assertIn(str(message.attachment_id.id), action["url"])
        calls = len(self.graph.requests)
        message.with_user(self.agent).action_fetch_media()
        self.assertEqual(len(self.graph.requests), calls, "fetched once")
