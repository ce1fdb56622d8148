import json

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import GuestMessagingCase


@tagged("guest_messaging")
class TestStaffActOnlyThroughActions(GuestMessagingCase):
    """Identity, routing, status and bot state change through the actions alone, whoever calls."""

    PLANTED = {
        "guest_external_id": "34999999999",
        "guest_phone": "+34999999999",
        "status": "resolved",
        "bot_state": "confirm",
        "bot_context": {"room": {"room_id": 1}, "guest": {"partner_id": 1}},
        "unread_count": 0,
        "last_inbound_at": "2020-01-01 00:00:00",
    }

    def _refused(self, user, vals):
        with self.assertRaises(AccessError):
            self.conversation.with_user(user).write(vals)
        self.conversation.invalidate_recordset()

    def test_raw_writes_of_owned_fields_are_refused_for_agents_and_managers(self):
        before = self.conversation.read(list(self.PLANTED) + ["connection_id", "agent_id", "partner_id"])[0]
        partner = self.env["res.partner"].create({"name": "Someone else"})
        planted = {
            **self.PLANTED,
            "connection_id": self.connection_2.id,
            "agent_id": self.agent.id,
            "partner_id": partner.id,
        }
        for user in (self.agent, self.manager):
            for field, value in planted.items():
                with self.subTest(user=user.login, field=field):
                    self._refused(user, {field: value})
        self.assertEqual(
            self.conversation.read(list(self.PLANTED) + ["connection_id", "agent_id", "partner_id"])[0], before)

    def test_the_guest_name_stays_editable(self):
        self.conversation.with_user(self.agent).write({"guest_name": "Ana María"})
        self.assertEqual(self.conversation.guest_name, "Ana María")

    def test_conversations_are_not_created_by_hand(self):
        for user in (self.agent, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["guest.conversation"].with_user(user).create(
                    {"connection_id": self.connection.id, "guest_external_id": "34611111111"})

    def test_messages_are_written_by_the_product_alone(self):
        outbound = {
            "conversation_id": self.conversation.id, "direction": "outbound", "author_type": "agent",
            "message_type": "template", "delivery_status": "queued",
            "payload": {"wire": {"type": "template", "template": {"name": "paid_marketing"}}},
        }
        for user in (self.agent, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["guest.message"].with_user(user).create(outbound)
        message = self.conversation._post_system_message("Bot escalated to agent")
        for user in (self.agent, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                message.with_user(user).write({"direction": "outbound", "delivery_status": "queued",
                                               "payload": outbound["payload"]})
        self.assertFalse(self.env["guest.message"].search_count([
            ("conversation_id", "=", self.conversation.id), ("delivery_status", "=", "queued")]))

    def test_a_stored_webhook_body_cannot_be_rewritten_then_replayed(self):
        event = self.env["guest.webhook.event"]._store("sandbox", b'{"object": "x"}', connection=self.connection)
        with self.assertRaises(AccessError):
            event.with_user(self.manager).write({"body": '{"forged": true}', "state": "pending"})
        with self.assertRaises(AccessError):
            event.with_user(self.agent).action_replay()
        event.with_user(self.manager).action_replay()
        self.assertEqual((event.state, event.body), ("pending", '{"object": "x"}'))

    def test_an_agent_can_still_answer_and_act(self):
        self.conversation.last_inbound_at = fields.Datetime.now()
        conversation = self.conversation.with_user(self.agent)
        conversation.send_agent_message("Hello Ana")
        self.assertEqual((self.conversation.status, self.conversation.agent_id), ("agent_assigned", self.agent))
        conversation.action_resolve()
        self.assertEqual(self.conversation.status, "resolved")


@tagged("guest_messaging")
class TestLinkContact(GuestMessagingCase):
    def test_an_agent_links_a_contact_of_the_hotel(self):
        partner = self.env["res.partner"].create({"name": "Ana Pérez", "company_id": self.env.company.id})
        self.conversation.with_user(self.agent).action_link_partner(partner.id)
        self.assertEqual(self.conversation.partner_id, partner)
        self.assertIn("Linked to Ana Pérez", " ".join(self.conversation.guest_message_ids.mapped("body")))
        self.conversation.with_user(self.agent).action_link_partner(0)
        self.assertFalse(self.conversation.partner_id)

    def test_link_refuses_other_companies_strangers_and_garbage(self):
        other_company = self.env["res.company"].create({"name": "Other Hotel"})
        foreign = self.env["res.partner"].create({"name": "Foreign", "company_id": other_company.id})
        with self.assertRaises(AccessError):
            self.conversation.with_user(self.agent).action_link_partner(foreign.id)
        for hostile in (None, "1", True, -3, 1.5, [1], {"id": 1}, 10**9):
            with self.subTest(hostile=hostile), self.assertRaises(UserError):
                self.conversation.with_user(self.agent).action_link_partner(hostile)
        with self.assertRaises(AccessError):
            self.conversation.with_user(self.internal).action_link_partner(foreign.id)
        self.conversation.with_user(self.agent).action_claim()
        partner = self.env["res.partner"].create({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.conversation.with_user(self.agent_2).action_link_partner(partner.id)
        self.assertFalse(self.conversation.partner_id)


@tagged("guest_messaging")
class TestPartnerMatching(GuestMessagingCase):
    def test_a_verified_number_finds_the_contact_of_this_company_by_its_sanitized_phone(self):
        spain = self.env.ref("base.es")
        mine = self.env["res.partner"].create({
            "name": "Ana", "mobile": "600 12 34 56", "country_id": spain.id, "company_id": self.env.company.id})
        self.assertEqual(mine.phone_sanitized, "+34600123456")
        other_company = self.env["res.company"].create({"name": "Other Hotel"})
        self.env["res.partner"].create({"name": "Stranger", "phone": "+34 611 22 33 44",
                                        "company_id": other_company.id})
        Conversation = self.env["guest.conversation"]
        self.assertEqual(Conversation._match_partner("+34600123456", self.env.company), mine)
        self.assertFalse(Conversation._match_partner("+34611223344", self.env.company),
                         "another company's contact is never matched")
        self.assertFalse(Conversation._match_partner("+3460", self.env.company))

    def test_the_sanitized_phone_is_indexed(self):
        self.env.cr.execute("SELECT 1 FROM pg_indexes WHERE tablename = 'res_partner' "
                            "AND indexdef LIKE '%%(phone_sanitized)%%'")
        self.assertTrue(self.env.cr.fetchone())


@tagged("guest_messaging")
class TestCompanies(GuestMessagingCase):
    """An agent of one hotel sees and hears nothing of another hotel in the same database."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Hotel B"})
        cls.connection_b = cls.env["guest.channel.connection"].create({
            "name": "B Sandbox", "channel_type": "sandbox",
            "company_id": cls.company_b.id})
        cls.conversation_b = cls.env["guest.conversation"].create({
            "connection_id": cls.connection_b.id, "guest_external_id": "34677000000", "guest_name": "Bea"})
        cls.conversation_b._post_system_message("Bot escalated to agent")
        cls.env["guest.canned.response"].create({
            "name": "B wifi", "shortcut": "/wifi", "content": "B's password", "company_id": cls.company_b.id})
        cls.event_b = cls.env["guest.webhook.event"]._store("sandbox", b'{"b": 1}', connection=cls.connection_b)
        cls.manager_b = new_test_user(cls.env, login="gm_manager_b", groups="base.group_user,guest_messaging.group_manager",
                                      company_id=cls.company_b.id, company_ids=[Command.set(cls.company_b.ids)])

    def test_an_agent_of_one_company_reads_nothing_of_the_other(self):
        for model in ("guest.conversation", "guest.message", "guest.channel.connection", "guest.canned.response"):
            with self.subTest(model=model):
                records = self.env[model].with_user(self.agent).search([])
                self.assertFalse(records.filtered(lambda r: r.company_id == self.company_b))
        self.assertFalse(self.env["guest.webhook.event"].with_user(self.manager).search([("id", "=", self.event_b.id)]))
        self.assertEqual(self.env["guest.webhook.event"].with_user(self.manager_b).search([("id", "=", self.event_b.id)]),
                         self.event_b)
        with self.assertRaises(AccessError):
            self.conversation_b.with_user(self.agent).read(["guest_name"])
        with self.assertRaises(AccessError):
            self.env["guest.inbox"].with_user(self.agent).load_thread(self.conversation_b.id)

    def test_inbox_changes_are_heard_only_by_the_conversations_company(self):
        self.env.cr.precommit.run()
        self.env["bus.bus"].sudo().search([]).unlink()
        self.env["guest.conversation"]._ingest_inbound(self.connection_b, "34677000000", "wamid.b.1", {"body": "Hi"})
        self.env.cr.precommit.run()
        notes = self.env["bus.bus"].sudo().search([])
        inbox = [(json.loads(n.channel), json.loads(n.message)["payload"]) for n in notes
                 if json.loads(n.message)["type"] == "guest_messaging/inbox"]
        self.assertEqual(inbox, [([self.env.cr.dbname, "res.company", self.company_b.id, "guest_messaging/agents"],
                                  {"conversation_ids": [self.conversation_b.id]})])
        Websocket = self.env["ir.websocket"]
        self.assertEqual(Websocket.with_user(self.agent)._guest_messaging_channels(),
                         [(self.env.company, "guest_messaging/agents")])
        self.assertEqual(Websocket.with_user(self.manager_b)._guest_messaging_channels(),
                         [(self.company_b, "guest_messaging/agents")])
        self.assertEqual(Websocket.with_user(self.internal)._guest_messaging_channels(), [])

    def test_token_errors_reach_the_managers_of_the_connections_company_only(self):
        from guestmsg.meta.graph import GraphTokenError  # noqa: PLC0415

        self.connection_b._set_token_error(GraphTokenError("Session has expired", code=190))
        note = self.connection_b.message_ids[0]
        self.assertIn(self.manager_b.partner_id, note.partner_ids)
        self.assertNotIn(self.manager.partner_id, note.partner_ids)
