import json
import threading
import uuid
from contextlib import contextmanager
from datetime import timedelta

from guestmsg.channels.capabilities import Text

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import ValidationError
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import BaseCase, TransactionCase, freeze_time, get_db_name, tagged
from odoo.tools import mute_logger

from odoo.addons.guest_messaging.models.guest_webhook_event import MAX_ATTEMPTS

EVENT_LOGGER = "odoo.addons.guest_messaging.models.guest_webhook_event"
CRON_XMLID = "guest_messaging.ir_cron_process_webhook_events"


class WorkerStopped(BaseException):
    """What a time or memory limit does to a worker: nothing after it runs, not even ``except Exception``."""


@tagged("guest_messaging", "post_install", "-at_install")
class TestPoisonWebhookEvent(BaseCase):
    """An event whose processing stops its worker, followed by good ones, through real commits.

    A BaseCase, not a TransactionCase: each run of the worker has its own cursor and thread and commits
    as the cron does outside tests, and a stopped worker's transaction is really rolled back. The
    events are removed again at the end.
    """

    @contextmanager
    def _env(self):
        with self.registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        # the server holds the registry lock while it runs the tests; as Odoo's test mode does,
        # let the other threads open environments on this loaded registry
        self.patch(Registry, "_lock", DummyRLock())
        tag = uuid.uuid4().hex
        bodies = [{"poison": True, "tag": tag}, *({"good": i, "tag": tag} for i in range(3))]
        with self._env() as env:
            self.cron_id = env.ref(CRON_XMLID).id
            self.last_trigger_id = max(env["ir.cron.trigger"].search([]).ids, default=0)
            Event = env["guest.webhook.event"]
            self.event_ids = [Event._store("sandbox", json.dumps(body).encode()).id for body in bodies]
        self.addCleanup(self._remove_records)
        self.processed = []

        def process(event):
            self.processed.append(event.id)
            if event._payload().get("poison"):
                raise WorkerStopped
            return 1

        self.patch(self.registry["guest.webhook.event"], "_process", process)

    def _remove_records(self):
        with self._env() as env:
            env["guest.webhook.event"].browse(self.event_ids).unlink()
            env["ir.cron.trigger"].search([("cron_id", "=", self.cron_id), ("id", ">", self.last_trigger_id)]).unlink()

    def _run_worker(self):
        """One run of the cron, in a thread and a cursor of its own as a cron worker has: it commits."""
        outcome = []

        def work():
            try:
                with self._env() as env:
                    env["guest.webhook.event"].browse(self.event_ids)._cron_process_webhook_events()
                outcome.append("finished")
            except WorkerStopped:
                outcome.append("stopped")

        thread = threading.Thread(target=work)
        thread.start()
        thread.join(timeout=60)
        self.assertFalse(thread.is_alive(), "the worker never finished")
        return outcome[0]

    def _states(self):
        with self._env() as env:
            return [(event.state, event.attempts) for event in env["guest.webhook.event"].browse(self.event_ids)]

    def test_an_event_that_stops_its_worker_is_parked_and_the_queue_moves_on(self):
        poison_id = self.event_ids[0]
        with mute_logger(EVENT_LOGGER), freeze_time(fields.Datetime.now()) as clock:
            self.assertEqual(self._run_worker(), "stopped")
            self.assertEqual(self._states(), [("pending", 1)] * 4,
                             "first attempts share a transaction: their claims were committed before processing")
            self.assertEqual(self._run_worker(), "finished")
            self.assertEqual(self._states(), [("pending", 1)] * 4, "nothing is taken again before its lease ends")
            clock.tick(timedelta(hours=2))  # past any lease
            self.assertEqual(self._run_worker(), "stopped")
            self.assertEqual(self._states(), [("pending", 2)] + [("pending", 1)] * 3,
                             "a retried event is handled alone: the one that stops the worker holds back no other")
            self.assertEqual(self._run_worker(), "finished")
            self.assertEqual(self._states(), [("pending", 2)] + [("done", 2)] * 3,
                             "the next run leaves the event that stopped a worker and processes the others")
            for attempt in range(3, MAX_ATTEMPTS + 1):
                clock.tick(timedelta(hours=2))  # past any lease
                self.assertEqual(self._run_worker(), "stopped")
                self.assertEqual(self._states()[0], ("pending", attempt))
            clock.tick(timedelta(hours=2))
            self.assertEqual(self._run_worker(), "finished")
            self.assertEqual(self._states()[0], ("parked", MAX_ATTEMPTS))
            clock.tick(timedelta(hours=2))
            self.assertEqual(self._run_worker(), "finished")
        self.assertEqual(self.processed.count(poison_id), MAX_ATTEMPTS, "parked without being processed again")
        self.assertEqual(sorted(set(self.processed) - {poison_id}), sorted(self.event_ids[1:]))
        self.assertEqual(len(self.processed), MAX_ATTEMPTS + 3, "every good event was processed once")
        with self._env() as env:
            self.assertIn("never finished", env["guest.webhook.event"].browse(poison_id).last_error)


@tagged("guest_messaging")
class TestWebhookQueue(TransactionCase):
    def setUp(self):
        super().setUp()
        self.Event = self.env["guest.webhook.event"]
        self.Event.search([]).unlink()

    def _event(self, **vals):
        body = json.dumps({"event": uuid.uuid4().hex})
        return self.Event.create({"channel_type": "sandbox", "body": body, "body_sha256": uuid.uuid4().hex, **vals})

    def test_the_attempt_is_counted_once_when_the_event_is_claimed(self):
        event = self._event()
        seen = []

        def process(record):
            seen.append((record.attempts, record.next_attempt_at > fields.Datetime.now()))
            raise ValueError("bad payload")

        self.patch(type(self.Event), "_process", process)
        with mute_logger(EVENT_LOGGER):
            self.Event._cron_process_webhook_events()
        self.assertEqual(seen, [(1, True)], "counted and leased before processing")
        self.assertEqual((event.state, event.attempts), ("failed", 1))
        self.assertIn("bad payload", event.last_error)

    def test_first_attempts_share_a_savepoint_and_a_failure_sends_them_one_by_one(self):
        events = [self._event() for _ in range(5)]
        bad = events[2]
        calls = []

        def process(record):
            calls.append(record.id)
            if record == bad:
                raise ValueError("bad payload")
            return 1

        self.patch(type(self.Event), "_process", process)
        with mute_logger(EVENT_LOGGER):
            self.Event._cron_process_webhook_events()
        ids = [event.id for event in events]
        self.assertEqual(calls, ids[:3] + ids, "together until the failure, then each alone")
        self.assertEqual([(event.state, event.attempts) for event in events],
                         [("done", 1)] * 2 + [("failed", 1)] + [("done", 1)] * 2)
        self.assertEqual([event.message_count for event in events], [1, 1, 0, 1, 1],
                         "what the rolled-back pass did is gone: each good event counted once")

    def test_a_transaction_wakes_a_queue_once_whatever_its_savepoints(self):
        Trigger = self.env["ir.cron.trigger"]
        outbox = self.env.ref("guest_messaging.ir_cron_send_outbox")
        before = Trigger.search_count([("cron_id", "=", outbox.id)])
        Message = self.env["guest.message"]
        for _ in range(3):
            with self.env.cr.savepoint():  # runs the precommit hooks when it ends, as a commit does
                Message._queue_wake()
        self.env.cr.flush()
        self.assertEqual(Trigger.search_count([("cron_id", "=", outbox.id)]), before + 1)

    def test_guests_handled_in_one_transaction_reach_the_inbox_in_one_bus_message(self):
        connection = self.env["guest.channel.connection"].create({"name": "Queue Sandbox", "channel_type": "sandbox"})
        for n in range(3):
            self._event(body=json.dumps({"connection_id": connection.id, "guest_key": f"queue-guest-{n}",
                                         "message_id": f"queue-msg-{n}", "text": "Hello"}))
        self.env.cr.flush()
        self.env["bus.bus"].sudo().search([]).unlink()
        self.Event._cron_process_webhook_events()
        self.env.cr.flush()
        conversations = self.env["guest.conversation"].search([("connection_id", "=", connection.id)])
        self.assertEqual(len(conversations), 3)
        inbox = [json.loads(note.message) for note in self.env["bus.bus"].sudo().search([])]
        inbox = [note["payload"] for note in inbox if note["type"] == "guest_messaging/inbox"]
        self.assertEqual(inbox, [{"conversation_ids": sorted(conversations.ids)}],
                         "each new guest's savepoint flushes, yet the inbox hears once")

    def test_messages_sent_one_per_transaction_reach_the_inbox_in_one_bus_message(self):
        connection = self.env["guest.channel.connection"].create({"name": "Outbox Sandbox", "channel_type": "sandbox"})
        Conversation = self.env["guest.conversation"]
        conversations = Conversation.browse([
            Conversation._ingest_inbound(connection, f"outbox-guest-{n}", f"outbox-in-{n}", {"body": "Hi"}
                                         ).conversation_id.id for n in range(3)])
        for conversation in conversations:
            conversation.sudo()._queue_rich(Text("On its way"))
        self.env.cr.flush()
        self.env["bus.bus"].sudo().search([]).unlink()
        Message = self.env["guest.message"]
        send_one = type(Message)._send_one

        def send_and_end_transaction(message):
            send_one(message)
            self.env.cr.flush()  # the precommit hooks a commit after each message runs

        self.patch(type(Message), "_send_one", send_and_end_transaction)
        Message._cron_send_outbox()
        self.env.cr.flush()
        sent = Message.search([("conversation_id", "in", conversations.ids), ("direction", "=", "outbound")])
        self.assertEqual(set(sent.mapped("delivery_status")), {"sent"})
        notes = [json.loads(note.message) for note in self.env["bus.bus"].sudo().search([])]
        self.assertEqual([note["payload"] for note in notes if note["type"] == "guest_messaging/inbox"],
                         [{"conversation_ids": sorted(conversations.ids)}])

    def test_an_event_whose_attempts_never_finished_is_parked_without_processing(self):
        event = self._event(attempts=MAX_ATTEMPTS)
        processed = []
        self.patch(type(self.Event), "_process", lambda record: processed.append(record.id))
        with mute_logger(EVENT_LOGGER):
            self.Event._cron_process_webhook_events()
        self.assertEqual(processed, [])
        self.assertEqual((event.state, event.attempts), ("parked", MAX_ATTEMPTS))
        self.assertIn("never finished", event.last_error)


@tagged("guest_messaging")
class TestWebhookRetention(TransactionCase):
    def setUp(self):
        super().setUp()
        self.Event = self.env["guest.webhook.event"]
        self.Event.search([]).unlink()
        self.env["ir.config_parameter"].search([("key", "=", "guest_messaging.webhook_retention_days")]).unlink()

    def _event(self, state, days_ago):
        at = fields.Datetime.now() - timedelta(days=days_ago)
        return self.Event.create({
            "channel_type": "sandbox", "body": json.dumps({"event": uuid.uuid4().hex}),
            "body_sha256": uuid.uuid4().hex, "state": state, "processed_at": at if state == "done" else False,
        })

    def test_processed_bodies_are_purged_after_30_days_and_the_others_kept(self):
        old = self._event("done", 31)
        kept = self._event("done", 29) | self._event("parked", 90) | self._event("failed", 90) \
            | self._event("pending", 90)
        self.env.ref("guest_messaging.ir_cron_purge_webhook_events").method_direct_trigger()
        self.assertFalse(old.exists())
        self.assertEqual(kept.exists(), kept)

    def test_the_retention_is_a_setting(self):
        self.assertEqual(self.env["res.config.settings"].create({}).guest_webhook_retention_days, 30)
        self.env["res.config.settings"].create({"guest_webhook_retention_days": 7}).execute()
        self.assertEqual(
            self.env["ir.config_parameter"].get_param("guest_messaging.webhook_retention_days"), "7")
        old, recent = self._event("done", 8), self._event("done", 6)
        self.Event._cron_purge_webhook_events()
        self.assertEqual((old.exists(), recent.exists()), (self.Event, recent))
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"guest_webhook_retention_days": 0})

    def test_the_purge_goes_in_batches_and_asks_the_cron_to_go_on(self):
        events = self.Event.browse([self._event("done", 40).id for _i in range(5)])
        cron = self.env.ref("guest_messaging.ir_cron_purge_webhook_events")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        Event = self.Event.with_context(ir_cron_progress_id=progress.id)
        self.assertEqual(Event._cron_purge_webhook_events(batch_size=2), 2)
        self.assertEqual((progress.done, progress.remaining), (2, 3))
        self.assertEqual([Event._cron_purge_webhook_events(batch_size=2) for _i in range(3)], [2, 1, 0])
        self.assertEqual(progress.remaining, 0)
        self.assertFalse(events.exists())
