from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import BotFixtures


@tagged("guest_messaging", "post_install", "-at_install")
class TestSandbox(BotFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patch_key()
        cls.setup_hotel(cls.env)
        cls.sandbox = cls.env["guest.channel.connection"].create({
            "name": "Sandbox", "channel_type": "sandbox", "sandbox_profile": "instagram",
            "greeting_message": "Hello from the sandbox hotel",
        })
        cls.agent = new_test_user(cls.env, login="sandbox_agent", groups="base.group_user,guest_messaging.group_agent")
        cls.outsider = new_test_user(cls.env, login="sandbox_outsider", groups="base.group_user")
        cls.Connection = cls.env["guest.channel.connection"].with_user(cls.agent)

    def _run_workers(self):
        self.env["guest.webhook.event"]._cron_process_webhook_events()
        self.env["guest.message"]._cron_send_outbox()

    def test_the_simulated_guest_goes_through_webhook_worker_bot_and_outbox(self):
        event_id = self.Connection.sandbox_send(self.sandbox.id, "sim-1", text="Hi")
        event = self.env["guest.webhook.event"].browse(event_id)
        self.assertEqual((event.channel_type, event.state), ("sandbox", "pending"))
        self.assertFalse(self.Connection.sandbox_poll(self.sandbox.id, "sim-1")["messages"])
        self._run_workers()
        self.assertEqual(event.state, "done")
        polled = self.Connection.sandbox_poll(self.sandbox.id, "sim-1")
        self.assertEqual(polled["status"], "bot_handling")
        self.assertEqual(polled["status_label"], "Bot handling")
        guest, *hotel = polled["messages"]
        self.assertTrue(guest["from_guest"])
        self.assertTrue(all(m["delivery_status"] == "sent" for m in hotel))
        options = [o for m in hotel if m["rendered"] for o in m["rendered"]["options"]]
        self.assertEqual([o["id"] for o in options], ["book", "availability", "my_reservations"])
        # the Instagram profile has no buttons: the simulator shows quick replies
        self.assertIn("quick_replies", {m["rendered"]["kind"] for m in hotel if m["rendered"]})

        last = max(m["id"] for m in polled["messages"])
        self.Connection.sandbox_send(self.sandbox.id, "sim-1", reply_id="book")
        self._run_workers()
        newer = self.Connection.sandbox_poll(self.sandbox.id, "sim-1", after_id=last)["messages"]
        self.assertTrue(newer[0]["from_guest"])
        self.assertTrue(any(not m["from_guest"] for m in newer))

    def test_hostile_input(self):
        with self.assertRaises(UserError):
            self.Connection.sandbox_send(999999, "sim-2", text="Hi")
        for hostile in ("1", "abc", None, True, -3, [self.sandbox.id]):
            with self.subTest(connection_id=hostile), self.assertRaises(UserError):
                self.Connection.sandbox_send(hostile, "sim-2", text="Hi")
            self.assertEqual(self.Connection.sandbox_poll(hostile, "sim-2"), {"messages": [], "status": False, "status_label": False})
        for after_id in ("0", None, True, 1.5):
            with self.subTest(after_id=after_id), self.assertRaises(UserError):
                self.Connection.sandbox_poll(self.sandbox.id, "sim-2", after_id)
        for kwargs in ({"text": ""}, {"text": "   "}, {"text": "x" * 5000}):
            with self.subTest(**{k: len(v) for k, v in kwargs.items()}), self.assertRaises(UserError):
                self.Connection.sandbox_send(self.sandbox.id, "sim-2", **kwargs)
        with self.assertRaises(UserError):
            self.Connection.sandbox_send(self.sandbox.id, "", text="Hi")
        with self.assertRaises(AccessError):
            self.env["guest.channel.connection"].with_user(self.outsider).sandbox_send(self.sandbox.id, "x", text="Hi")
        self.assertEqual(self.Connection.sandbox_poll(999999, "x"), {"messages": [], "status": False, "status_label": False})
