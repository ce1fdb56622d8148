import dataclasses
import json
from datetime import timedelta
from unittest.mock import patch

from guestmsg.channels import channel, registry
from guestmsg.core import conversation_status as cs

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import GuestMessagingCase


@tagged("guest_messaging")
class TestInbox(GuestMessagingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Inbox = cls.env["guest.inbox"].with_user(cls.agent)
        base = fields.Datetime.now() + timedelta(days=1)  # newer than any other conversation (demo data)
        cls.rows = cls.env["guest.conversation"]
        for i in range(7):
            conversation = cls._new_conversation(f"3460001000{i}", guest_name=f"Inbox guest {i}",
                                                 guest_phone=f"+3460001000{i}")
            conversation.write({"last_message_at": base + timedelta(minutes=i)})
            cls.rows |= conversation
        cls.rows[-1].write({"guest_name": "Zoë Martín"})
        cls.conversation.write({"last_message_at": base - timedelta(hours=1)})

    def _ids(self, **kwargs):
        return [row["id"] for row in self.Inbox.load_conversations(**kwargs)["conversations"]]

    def test_most_recent_first_in_pages(self):
        first = self.Inbox.load_conversations(limit=3)
        self.assertEqual([r["id"] for r in first["conversations"]], self.rows[-3:][::-1].ids)
        self.assertTrue(first["has_more"])
        second = self.Inbox.load_conversations(limit=3, before=first["conversations"][-1]["cursor"])
        self.assertEqual([r["id"] for r in second["conversations"]], self.rows[1:4][::-1].ids)
        row = first["conversations"][0]
        self.assertIs(row["agent"], False)
        json.dumps(first)  # what the client receives: plain JSON, no records
        self.assertEqual(set(row), {"id", "name", "profile_name", "phone", "channel", "status", "agent",
                                    "last_message_at", "preview", "unread", "cursor"})

    def test_search_by_name_or_phone(self):
        self.assertEqual(self._ids(search="zoë"), self.rows[-1].ids)
        self.assertEqual(self._ids(search="Inbox guest 2"), self.rows[2].ids)
        self.assertEqual(self._ids(search="+34 600 010 003"), self.rows[3].ids)
        self.assertEqual(self._ids(search="6000100"), self.rows[::-1].ids)

    def test_filters(self):
        self.rows[0].with_user(self.agent).action_take_over()
        self.rows[1].with_user(self.agent_2).action_take_over()
        self.assertEqual(self._ids(agent="mine"), self.rows[0].ids)
        self.assertEqual(self._ids(agent=self.agent_2.id), self.rows[1].ids)
        self.assertEqual(self._ids(status="agent_assigned"), self.rows[:2][::-1].ids)
        self.assertNotIn(self.rows[0].id, self._ids(agent="unassigned"))
        self.assertIn(self.rows[0].id, self._ids(channel="sandbox"))

    def test_vocabulary_of_the_inbox(self):
        vocabulary = self.Inbox.load_vocabulary()
        json.dumps(vocabulary)
        self.assertEqual(vocabulary["statuses"], [
            {"code": "bot_handling", "label": "Bot handling"},
            {"code": "awaiting_agent", "label": "Awaiting agent"},
            {"code": "agent_assigned", "label": "Agent assigned"},
            {"code": "resolved", "label": "Resolved"},
            {"code": "expired", "label": "Expired"},
        ])
        installed = self.env["guest.conversation"]._fields["channel_type"].get_values(self.env)
        self.assertEqual([c["code"] for c in vocabulary["channels"]], installed)
        self.assertIn({"code": "sandbox", "label": "Sandbox", "icon": "fa-flask"}, vocabulary["channels"])
        self.assertEqual(installed, sorted(installed, key=lambda code: (channel(code).sequence, code)),
                         "in the registry's order")
        manager_vocabulary = self.env["guest.inbox"].with_user(self.manager).load_vocabulary()
        self.assertEqual(manager_vocabulary, vocabulary)
        with self.assertRaises(AccessError):
            self.env["guest.inbox"].with_user(self.internal).load_vocabulary()

    def test_vocabulary_is_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        fields_ = self.env["ir.model.fields"]
        translations = (("guest.conversation", "status", "resolved", "Résolue"),
                        ("guest.channel.connection", "channel_type", "sandbox", "Bac à sable"))
        for model, field_name, value, label in translations:
            selection = fields_._get(model, field_name).selection_ids.filtered(lambda s, value=value: s.value == value)
            selection.update_field_translations("name", {"fr_FR": label})
        self.env.registry.clear_cache()
        french = self.Inbox.with_context(lang="fr_FR").load_vocabulary()
        self.assertIn({"code": "resolved", "label": "Résolue"}, french["statuses"])
        self.assertIn({"code": "sandbox", "label": "Bac à sable", "icon": "fa-flask"}, french["channels"])
        english = self.Inbox.with_context(lang="en_US").load_vocabulary()
        self.assertIn({"code": "resolved", "label": "Resolved"}, english["statuses"])
        self.assertIn({"code": "sandbox", "label": "Sandbox", "icon": "fa-flask"}, english["channels"])
        installed = self.env["guest.conversation"]._fields["channel_type"].get_values(self.env)
        for vocabulary in (french, english):
            self.assertEqual([c["code"] for c in vocabulary["channels"]], installed)
            self.assertEqual([s["code"] for s in vocabulary["statuses"]], list(cs.STATUSES))

    def test_only_installed_channels_are_offered_and_filtered_on(self):
        channel("sandbox")  # the shipped channels are registered before the registry is patched
        telegram = dataclasses.replace(channel("sandbox"), code="telegram", label="Telegram", icon="fa-telegram")
        with patch.dict(registry._CHANNELS, {"telegram": telegram}):
            codes = [c["code"] for c in self.Inbox.load_vocabulary()["channels"]]
            self.assertNotIn("telegram", codes, "known to the registry, but no installed module offers it")
            with self.assertRaises(UserError):
                self.Inbox.load_conversations(channel="telegram")
        with patch.dict(registry._CHANNELS):
            del registry._CHANNELS["sandbox"]
            channels = {c["code"]: c for c in self.Inbox.load_vocabulary()["channels"]}
        self.assertEqual(channels["sandbox"]["icon"], "fa-comment", "without a declaration: a plain icon")
        for code in codes:
            with self.subTest(code=code):
                self.Inbox.load_conversations(channel=code)

    def test_closed_is_in_the_thread_header(self):
        conversation = self.rows[6]
        self.assertIs(self.Inbox.load_thread(conversation.id)["conversation"]["closed"], False)
        conversation.with_user(self.agent).action_resolve()
        header = self.Inbox.load_thread(conversation.id)["conversation"]
        self.assertIs(header["closed"], True)
        self.assertEqual((header["status"], header["may"]["reply"], header["may"]["resolve"]),
                         ("resolved", False, False))

    def test_hostile_list_arguments(self):
        hostile = [
            {"search": 5}, {"search": "x" * 101}, {"search": ["a"]},
            {"channel": "telegram"}, {"channel": ["whatsapp"]}, {"status": "archived"}, {"status": 1},
            {"channel": "WhatsApp"}, {"channel": ("whatsapp",)}, {"channel": {"whatsapp": 1}}, {"channel": 5},
            {"channel": "whatsapp' OR 1=1 --"}, {"status": ["resolved"]}, {"status": "Resolved"},
            {"agent": "theirs"}, {"agent": -1}, {"agent": True}, {"agent": [1]},
            {"before": "2026-01-01"}, {"before": ["not a date", 3]}, {"before": ["2026-01-01 00:00:00", "3"]},
            {"before": [None, None]}, {"before": {}},
            {"limit": 0}, {"limit": 101}, {"limit": "50"}, {"limit": True},
            {"ids": "1,2"}, {"ids": [True]}, {"ids": list(range(101))},
        ]
        for kwargs in hostile:
            with self.subTest(kwargs=str(kwargs)[:60]), self.assertRaises(UserError):
                self.Inbox.load_conversations(**kwargs)

    def test_other_companies_stay_out_of_the_list(self):
        other_company = self.env["res.company"].create({"name": "Other inbox hotel"})
        other = self.env["guest.channel.connection"].create({
            "name": "Elsewhere", "channel_type": "sandbox", "company_id": other_company.id})
        hidden = self.env["guest.conversation"].create({"connection_id": other.id, "guest_external_id": "34699"})
        self.assertNotIn(hidden.id, self._ids(limit=100))
        self.assertEqual(self._ids(ids=[hidden.id]), [])
        with self.assertRaises(AccessError):
            self.Inbox.load_thread(hidden.id)

    def test_thread_and_what_the_user_may_do(self):
        conversation = self.rows[0]
        self.env["guest.conversation"]._ingest_inbound(self.connection, conversation.guest_external_id, "wamid.t1",
                                                       {"body": "Hello"})
        thread = self.Inbox.load_thread(conversation.id)
        json.dumps(thread)
        self.assertEqual([m["body"] for m in thread["messages"]], ["Hello"])
        self.assertIs(thread["messages"][0]["attachment"], False)
        guest = self.Inbox.load_guest(conversation.id)
        json.dumps(guest)
        self.assertIs(guest["partner"], False)
        self.assertEqual(thread["conversation"]["may"], {
            "claim": False, "take_over": True, "assign": False, "resolve": True, "hand_back": False, "reply": True})
        conversation.with_user(self.agent_2).action_take_over()
        may = self.Inbox.load_thread(conversation.id)["conversation"]["may"]
        self.assertEqual((may["reply"], may["resolve"], may["take_over"]), (False, False, False))
        manager_may = self.env["guest.inbox"].with_user(self.manager).load_thread(conversation.id)["conversation"]["may"]
        self.assertTrue(manager_may["assign"] and manager_may["resolve"] and manager_may["reply"])

    def test_thread_pages_backwards(self):
        conversation = self.rows[1]
        for i in range(5):
            self.env["guest.conversation"]._ingest_inbound(
                self.connection, conversation.guest_external_id, f"wamid.page.{i}", {"body": f"m{i}"})
        last = self.Inbox.load_thread(conversation.id, limit=2)
        self.assertEqual([m["body"] for m in last["messages"]], ["m3", "m4"])
        earlier = self.Inbox.load_thread(conversation.id, before_id=last["messages"][0]["id"], limit=2)
        self.assertEqual([m["body"] for m in earlier["messages"]], ["m1", "m2"])
        self.assertTrue(earlier["has_more"])

    def test_hostile_thread_arguments(self):
        for conversation_id in (None, "1", True, [1], 10**9):
            with self.subTest(conversation_id=conversation_id), self.assertRaises(UserError):
                self.Inbox.load_thread(conversation_id)
        for before_id in ("5", True, [1]):
            with self.subTest(before_id=before_id), self.assertRaises(UserError):
                self.Inbox.load_thread(self.rows[0].id, before_id=before_id)

    def test_opening_clears_the_unread_badge_for_everybody(self):
        conversation = self.rows[2]
        self.env["guest.conversation"]._ingest_inbound(self.connection, conversation.guest_external_id, "wamid.u1",
                                                       {"body": "Hi"})
        self.assertEqual(conversation.unread_count, 1)
        self.Inbox.mark_read(conversation.id)
        self.assertEqual(conversation.unread_count, 0)
        self.assertEqual(self.env["guest.inbox"].with_user(self.agent_2).load_conversations(
            ids=[conversation.id])["conversations"][0]["unread"], 0)

    def test_notes_are_for_staff_only(self):
        conversation = self.rows[3]
        note_id = self.Inbox.add_note(conversation.id, "VIP: <b>late check-out</b> agreed")
        guest = self.Inbox.load_guest(conversation.id)
        self.assertEqual(guest["notes"][0]["id"], note_id)
        self.assertEqual(guest["notes"][0]["body"], "VIP: <b>late check-out</b> agreed", "stored as text, not HTML")
        self.assertFalse(conversation.guest_message_ids, "a note never becomes a message to the guest")
        for body in (None, "", "  ", 3, ["x"], "x" * 10001):
            with self.subTest(body=repr(body)[:20]), self.assertRaises(UserError):
                self.Inbox.add_note(conversation.id, body)
        with self.assertRaises(AccessError):
            self.env["guest.inbox"].with_user(self.internal).add_note(conversation.id, "hello")

    def test_guest_panel_lists_reservations_newest_first(self):
        partner = self.env["res.partner"].create({"name": "Ana Inbox", "phone": "+34600010004"})
        conversation = self.rows[4]
        conversation.partner_id = partner
        room_type = self.env["hotel.room.type"].create({"name": "Inbox rooms"})
        room = self.env["hotel.room"].create({"name": "IN-1", "room_categ_id": room_type.id, "list_price": 80, "capacity": 2})
        pricelist = self.env["product.pricelist"].create({"name": "Inbox rates"})
        reservations = self.env["hotel.reservation"]
        for days in (10, 40):
            checkin = fields.Datetime.now() + timedelta(days=days)
            reservations |= self.env["hotel.reservation"].create({
                "partner_id": partner.id, "partner_invoice_id": partner.id, "partner_order_id": partner.id,
                "partner_shipping_id": partner.id, "pricelist_id": pricelist.id, "adults": 1,
                "checkin": checkin, "checkout": checkin + timedelta(days=2),
                "reservation_line": [fields.Command.create(
                    {"categ_id": room_type.id, "reserve": [fields.Command.set(room.ids)]})],
            })
        self.agent.groups_id |= self.env.ref("hotel.group_hotel_user")
        guest = self.Inbox.load_guest(conversation.id)
        self.assertEqual(guest["partner"]["name"], "Ana Inbox")
        self.assertEqual([r["id"] for r in guest["reservations"]], reservations.ids[::-1])

    def test_canned_responses_for_the_picker(self):
        self.env["guest.canned.response"].create({
            "name": "Check-in time", "shortcut": "/inbox-checkin", "category": "Stay", "content": "From 3 pm."})
        responses = self.Inbox.load_canned_responses()
        self.assertIn({"title": "Check-in time", "shortcut": "/inbox-checkin", "category": "Stay",
                       "content": "From 3 pm."},
                      [{k: r[k] for k in ("title", "shortcut", "category", "content")} for r in responses])

    def test_every_inbox_hears_of_changes_once_per_transaction(self):
        self.env.cr.precommit.run()  # what the fixtures' creation announced
        self.env["bus.bus"].sudo().search([]).unlink()
        conversation = self.rows[5]
        self.env["guest.conversation"]._ingest_inbound(self.connection, conversation.guest_external_id, "wamid.b1",
                                                       {"body": "Hi"})
        conversation.with_user(self.agent).action_take_over()
        self.env.cr.precommit.run()
        company = conversation.company_id
        channel = json.dumps([self.env.cr.dbname, "res.company", company.id, "guest_messaging/agents"],
                             separators=(",", ":"))
        notes = [json.loads(b.message) for b in self.env["bus.bus"].sudo().search([("channel", "=", channel)])]
        inbox = [n["payload"] for n in notes if n["type"] == "guest_messaging/inbox"]
        self.assertEqual(inbox, [{"conversation_ids": [conversation.id]}])

    def test_plain_users_have_no_inbox(self):
        plain = new_test_user(self.env, login="gm_inbox_plain", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["guest.inbox"].with_user(plain).load_conversations()
