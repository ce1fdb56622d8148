import json
import re

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import GuestMessagingCase


class HandoverCase(GuestMessagingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # routing must only see this test's agents and conversations
        cls._everyone_offline()
        cls.env["guest.conversation"].search([("status", "=", "awaiting_agent")]).write({"status": "bot_handling"})

    def _waiting(self, key, **vals):
        conversation = self._new_conversation(key, **vals)
        conversation._request_agent()
        return conversation

    def _system_lines(self, conversation):
        return conversation.guest_message_ids.filtered(lambda m: m.author_type == "system").mapped("body")

    def _bus(self, user, notification_type):
        """Payloads of ``notification_type`` sent to ``user`` in this transaction."""
        self.env.cr.precommit.run()
        channel = json.dumps([self.env.cr.dbname, "res.partner", user.partner_id.id], separators=(",", ":"))
        payloads = []
        for record in self.env["bus.bus"].sudo().search([("channel", "=", channel)]):
            message = json.loads(record.message)
            if message["type"] == notification_type:
                payloads.append(message["payload"])
        return payloads


@tagged("guest_messaging")
class TestHandoverActions(HandoverCase):
    def test_escalation_waits_and_says_so_in_the_thread(self):
        conversation = self._waiting("esc")
        self.assertEqual(conversation.status, "awaiting_agent")
        self.assertTrue(conversation.escalated_at)
        self.assertFalse(conversation.agent_id)
        self.assertEqual(self._system_lines(conversation), ["Bot escalated to agent"])

    def test_claim(self):
        conversation = self._waiting("claim")
        conversation.with_user(self.agent).action_claim()
        self.assertEqual((conversation.status, conversation.agent_id), ("agent_assigned", self.agent))
        self.assertIn(f"{self.agent.name} claimed the conversation", self._system_lines(conversation))
        self.assertTrue(self.agent.guest_last_assigned_at)
        self.assertEqual([p["id"] for p in self._bus(self.agent, "guest_messaging/conversation_assigned")],
                         [conversation.id])
        # a second click by the same agent changes nothing
        conversation.with_user(self.agent).action_claim()
        self.assertEqual(len(self._system_lines(conversation)), 2)

    def test_a_claimed_conversation_cannot_be_claimed_by_another(self):
        conversation = self._waiting("claimed")
        conversation.with_user(self.agent).action_claim()
        with self.assertRaisesRegex(UserError, re.escape(f"{self.agent.name} is already handling")):
            conversation.with_user(self.agent_2).action_claim()
        with self.assertRaisesRegex(UserError, "already handling"):
            conversation.with_user(self.agent_2).action_take_over()
        self.assertEqual(conversation.agent_id, self.agent)

    def test_take_over_from_the_bot(self):
        conversation = self._new_conversation("take", bot_state="menu")
        conversation.with_user(self.agent).action_take_over()
        self.assertEqual((conversation.status, conversation.agent_id), ("agent_assigned", self.agent))
        self.assertIn(f"{self.agent.name} took over from the bot", self._system_lines(conversation))

    def test_only_agents_take_conversations(self):
        conversation = self._waiting("internal")
        with self.assertRaises(AccessError):
            conversation.with_user(self.internal).action_claim()
        with self.assertRaises(AccessError):
            conversation.with_user(self.internal).action_take_over()
        self.assertEqual(conversation.status, "awaiting_agent")

    def test_closed_conversations_cannot_be_taken(self):
        for status in ("resolved", "expired"):
            with self.subTest(status=status):
                conversation = self._new_conversation(f"closed-{status}", status="bot_handling")
                conversation.write({"status": status})
                with self.assertRaisesRegex(UserError, f"This conversation is {status}"):
                    conversation.with_user(self.agent).action_claim()
                with self.assertRaisesRegex(UserError, status):
                    conversation.with_user(self.manager).action_assign(self.agent.id)
                with self.assertRaisesRegex(UserError, status):
                    conversation.with_user(self.agent).action_hand_back_to_bot()
                self.assertEqual(conversation.status, status)

    def test_an_agent_cannot_assign(self):
        conversation = self._waiting("agent-assign")
        with self.assertRaisesRegex(AccessError, "Only Guest Messaging managers"):
            conversation.with_user(self.agent).action_assign(self.agent_2.id)
        with self.assertRaises(AccessError):
            conversation.with_user(self.agent).action_assign(self.agent.id)
        self.assertEqual(conversation.status, "awaiting_agent")

    def test_a_manager_assigns_and_reassigns(self):
        conversation = self._waiting("manager-assign")
        conversation.with_user(self.manager).action_assign(self.agent.id)
        self.assertEqual((conversation.status, conversation.agent_id), ("agent_assigned", self.agent))
        self.assertIn(f"Assigned to {self.agent.name} by {self.manager.name}", self._system_lines(conversation))
        conversation.with_user(self.manager).action_assign(self.agent_2.id)
        self.assertEqual(conversation.agent_id, self.agent_2)
        self.assertEqual(len(self._bus(self.agent_2, "guest_messaging/conversation_assigned")), 1)
        # assigning to the current agent again is a no-op
        conversation.with_user(self.manager).action_assign(self.agent_2.id)
        self.assertEqual(len(self._system_lines(conversation)), 3)

    def test_a_manager_may_assign_above_the_maximum_and_to_an_away_agent(self):
        self.agent.write({"guest_max_conversations": 0, "guest_agent_status": "away"})
        conversation = self._new_conversation("over-max")
        conversation.with_user(self.manager).action_assign(self.agent.id)
        self.assertEqual(conversation.agent_id, self.agent)

    def test_assign_refuses_what_is_not_an_agent(self):
        conversation = self._waiting("hostile-assign")
        portal = new_test_user(self.env, login="gm_portal", groups="base.group_portal")
        archived = new_test_user(self.env, login="gm_archived", groups="base.group_user,guest_messaging.group_agent")
        archived.active = False
        other_company = self.env["res.company"].create({"name": "Other hotel"})
        elsewhere = new_test_user(self.env, login="gm_elsewhere", groups="base.group_user,guest_messaging.group_agent",
                                  company_id=other_company.id, company_ids=[other_company.id])
        hostile = [None, False, True, 0, -3, "7", str(self.agent.id), [self.agent.id], {"id": self.agent.id},
                   2.5, 10**9, portal.id, self.internal.id, archived.id, elsewhere.id]
        for user_id in hostile:
            with self.subTest(user_id=user_id), self.assertRaises(UserError):
                conversation.with_user(self.manager).action_assign(user_id)
        self.assertEqual((conversation.status, conversation.agent_id.id), ("awaiting_agent", False))

    def test_resolve(self):
        conversation = self._waiting("resolve")
        conversation.with_user(self.agent).action_claim()
        conversation.with_user(self.agent).action_resolve()
        self.assertEqual(conversation.status, "resolved")
        self.assertEqual(conversation.agent_id, self.agent, "who resolved it stays on record")
        self.assertIn(f"Resolved by {self.agent.name}", self._system_lines(conversation))
        self.assertEqual(self.agent.guest_active_conversation_count, 0)
        message = self.env["guest.conversation"]._ingest_inbound(
            self.connection, "resolve", "wamid.resolve.next", {"body": "One more thing"})
        self.assertEqual(message.conversation_id, conversation)
        self.assertEqual((conversation.status, conversation.agent_id.id), ("bot_handling", False))

    def test_only_the_owner_or_a_manager_resolves_or_hands_back(self):
        conversation = self._waiting("owner")
        conversation.with_user(self.agent).action_claim()
        self.assertFalse(conversation.with_user(self.agent_2).may_act)
        self.assertTrue(conversation.with_user(self.agent).may_act)
        self.assertTrue(conversation.with_user(self.manager).may_act)
        with self.assertRaisesRegex(AccessError, "only they or a manager"):
            conversation.with_user(self.agent_2).action_resolve()
        with self.assertRaisesRegex(AccessError, "only they or a manager"):
            conversation.with_user(self.agent_2).action_hand_back_to_bot()
        self.assertEqual(conversation.status, "agent_assigned")
        conversation.with_user(self.manager).action_resolve()
        self.assertEqual(conversation.status, "resolved")
        self.assertIn(f"Resolved by {self.manager.name}", self._system_lines(conversation))

    def test_any_agent_resolves_a_conversation_nobody_owns(self):
        conversation = self._waiting("unowned")
        conversation.with_user(self.agent_2).action_resolve()
        self.assertEqual((conversation.status, conversation.agent_id), ("resolved", self.agent_2))

    def test_hand_back_to_the_bot(self):
        conversation = self._waiting("hand-back", bot_state="escalated", bot_context={"lang": "es"})
        conversation.with_user(self.agent).action_claim()
        conversation.with_user(self.agent).action_hand_back_to_bot()
        self.assertEqual((conversation.status, conversation.agent_id.id), ("bot_handling", False))
        self.assertFalse(conversation.escalated_at)
        self.assertIn(f"Handed back to the bot by {self.agent.name}", self._system_lines(conversation))
        # handing back twice is harmless
        conversation.with_user(self.agent).action_hand_back_to_bot()
        self.assertEqual(self._system_lines(conversation).count(f"Handed back to the bot by {self.agent.name}"), 1)

    def test_a_waiting_conversation_can_be_handed_back(self):
        conversation = self._waiting("waiting-back")
        conversation.with_user(self.agent).action_hand_back_to_bot()
        self.assertEqual(conversation.status, "bot_handling")

    def test_bulk_resolve(self):
        conversations = self._waiting("bulk-1") | self._waiting("bulk-2")
        conversations.with_user(self.manager).action_resolve()
        self.assertEqual(set(conversations.mapped("status")), {"resolved"})

    def test_assign_wizard(self):
        conversations = self._waiting("wizard-1") | self._waiting("wizard-2")
        wizard = self.env["guest.conversation.assign"].with_user(self.manager).with_context(
            active_model="guest.conversation", active_ids=conversations.ids).create({"agent_id": self.agent_2.id})
        self.assertEqual(wizard.conversation_ids, conversations)
        wizard.action_assign()
        self.assertEqual(conversations.agent_id, self.agent_2)
        with self.assertRaises(AccessError):
            self.env["guest.conversation.assign"].with_user(self.agent).create(
                {"agent_id": self.agent.id, "conversation_ids": conversations.ids})


@tagged("guest_messaging")
class TestAgentMessages(HandoverCase):
    def _open_window(self, conversation):
        self.env["guest.conversation"]._ingest_inbound(
            self.connection, conversation.guest_external_id, f"wamid.{conversation.guest_external_id}", {"body": "hi"})
        return conversation

    def test_writing_to_a_bot_conversation_takes_it_over(self):
        conversation = self._open_window(self._new_conversation("write-bot"))
        conversation.with_user(self.agent).send_agent_message("Hello, I'm Maria from reception")
        self.assertEqual((conversation.status, conversation.agent_id), ("agent_assigned", self.agent))
        self.assertIn(f"{self.agent.name} took over from the bot", self._system_lines(conversation))

    def test_writing_to_a_waiting_conversation_claims_it(self):
        conversation = self._open_window(self._waiting("write-waiting"))
        conversation.with_user(self.agent).send_agent_message("Hello")
        self.assertEqual(conversation.agent_id, self.agent)
        self.assertIn(f"{self.agent.name} claimed the conversation", self._system_lines(conversation))

    def test_another_agents_conversation_is_theirs(self):
        conversation = self._open_window(self._waiting("write-other"))
        conversation.with_user(self.agent).action_claim()
        with self.assertRaises(AccessError):
            conversation.with_user(self.agent_2).send_agent_message("Let me help")
        conversation.with_user(self.manager).send_agent_message("A manager may step in")
        self.assertEqual(conversation.agent_id, self.agent, "the manager's message does not take it")

    def test_closed_conversations_take_no_message(self):
        conversation = self._open_window(self._new_conversation("write-closed"))
        conversation.with_user(self.agent).action_resolve()
        with self.assertRaisesRegex(UserError, "resolved"):
            conversation.with_user(self.agent).send_agent_message("Hello?")

    def test_refused_message_changes_nothing(self):
        conversation = self._new_conversation("write-window")  # the guest never wrote: no window
        with self.assertRaisesRegex(UserError, "24 hours"):
            conversation.with_user(self.agent).send_agent_message("Hello")
        self.assertEqual(conversation.status, "bot_handling")

    def test_hostile_bodies(self):
        conversation = self._open_window(self._new_conversation("write-hostile"))
        for body in (None, "", "   ", 42, ["hi"], {"body": "hi"}, "x" * 4097):
            with self.subTest(body=repr(body)[:20]), self.assertRaises(UserError):
                conversation.with_user(self.agent).send_agent_message(body)
        self.assertEqual(conversation.status, "bot_handling")
