from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import GuestMessagingCase


@tagged("guest_messaging")
class TestConversationStatus(GuestMessagingCase):
    def _at(self, status, **vals):
        conversation = self._new_conversation(f"guest-{status}-{len(vals)}", status=status, **vals)
        self.assertEqual(conversation.status, status)
        return conversation

    def test_allowed_transitions(self):
        allowed = [
            ("bot_handling", "awaiting_agent", {}),
            ("bot_handling", "agent_assigned", {"agent_id": self.agent.id}),
            ("bot_handling", "expired", {}),
            ("awaiting_agent", "agent_assigned", {"agent_id": self.agent.id}),
            ("awaiting_agent", "bot_handling", {}),
            ("agent_assigned", "bot_handling", {}),
            ("agent_assigned", "resolved", {}),
            ("resolved", "bot_handling", {}),
            ("expired", "bot_handling", {}),
        ]
        for old, new, extra in allowed:
            with self.subTest(old=old, new=new):
                start = {"agent_id": self.agent.id} if old == "agent_assigned" else {}
                conversation = self._new_conversation(f"ok-{old}-{new}", status=old, **start)
                conversation.write({"status": new, **extra})
                self.assertEqual(conversation.status, new)

    def test_illegal_transitions_are_refused(self):
        illegal = [
            ("resolved", "awaiting_agent"),
            ("resolved", "agent_assigned"),
            ("resolved", "expired"),
            ("expired", "agent_assigned"),
            ("expired", "resolved"),
            ("awaiting_agent", "expired"),
            ("agent_assigned", "expired"),
        ]
        for old, new in illegal:
            with self.subTest(old=old, new=new):
                start = {"agent_id": self.agent.id} if old == "agent_assigned" else {}
                conversation = self._new_conversation(f"ko-{old}-{new}", status=old, **start)
                with self.assertRaisesRegex(UserError, "cannot go from"):
                    conversation.write({"status": new, "agent_id": self.agent.id})
                self.assertEqual(conversation.status, old)

    def test_unknown_status_is_refused(self):
        with self.assertRaises(UserError):
            self.conversation.write({"status": "archived"})

    def test_assigned_needs_an_agent(self):
        with self.assertRaises(UserError):
            self._new_conversation("no-agent", status="agent_assigned")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.conversation.write({"status": "agent_assigned"})
            self.env.flush_all()

    def test_superuser_cannot_bypass_the_status_machine(self):
        conversation = self._new_conversation("su", status="resolved")
        with self.assertRaises(UserError):
            conversation.sudo().write({"status": "awaiting_agent"})

    def test_agent_takes_a_conversation_for_themself_but_not_for_others(self):
        conversation = self._new_conversation("claim", status="awaiting_agent")
        as_agent = conversation.with_user(self.agent)
        with self.assertRaises(AccessError):
            as_agent.action_assign(self.agent_2.id)
        as_agent.action_claim()
        self.assertEqual(conversation.agent_id, self.agent)
        with self.assertRaises(AccessError):
            conversation.with_user(self.agent_2).action_hand_back_to_bot()
        self.assertEqual(conversation.agent_id, self.agent)

    def test_manager_assigns_to_another_agent(self):
        conversation = self._new_conversation("assign", status="awaiting_agent")
        conversation.with_user(self.manager).action_assign(self.agent_2.id)
        self.assertEqual((conversation.status, conversation.agent_id), ("agent_assigned", self.agent_2))

    def test_closed_means_resolved_or_expired_when_read_and_searched(self):
        conversations = {
            status: self._new_conversation(f"closed-{status}", status=status,
                                           agent_id=self.agent.id if status == "agent_assigned" else False)
            for status in ("bot_handling", "awaiting_agent", "agent_assigned", "resolved", "expired")
        }
        for status, conversation in conversations.items():
            self.assertEqual(conversation.is_closed, status in ("resolved", "expired"), status)
        ids = [conversation.id for conversation in conversations.values()]
        Conversation = self.env["guest.conversation"].with_user(self.agent)
        closed = {"resolved", "expired"}
        active = {"bot_handling", "awaiting_agent", "agent_assigned"}
        for domain, statuses in (
            ([("is_closed", "=", True)], closed),
            ([("is_closed", "!=", False)], closed),
            ([("is_closed", "=", False)], active),
            ([("is_closed", "!=", True)], active),
            (["!", ("is_closed", "=", True)], active),
        ):
            with self.subTest(domain=domain):
                self.assertEqual(set(Conversation.search([("id", "in", ids), *domain]).mapped("status")), statuses)
        conversations["resolved"].write({"status": "bot_handling"})
        self.assertFalse(conversations["resolved"].is_closed)
        self.assertNotIn(conversations["resolved"], Conversation.search([("id", "in", ids), ("is_closed", "=", True)]))

    def test_closed_search_refuses_other_operators_and_values(self):
        for domain in (
            [("is_closed", "in", [True])], [("is_closed", "like", "t")], [("is_closed", "=", "yes")],
        ):
            with self.subTest(domain=domain), self.assertRaises(UserError):
                self.env["guest.conversation"].with_user(self.agent).search(domain)

    def test_an_agents_load_is_the_one_routing_weighs(self):
        self.agent.guest_agent_status = "online"
        taken = [self._new_conversation(f"load-{i}") for i in range(3)]
        for conversation in taken:
            conversation.with_user(self.agent).action_take_over()
        taken[0].with_user(self.agent).action_resolve()
        taken[1].with_user(self.agent).action_hand_back_to_bot()
        self.env.invalidate_all()
        loads = {load.agent_id: load.active for load in self.conversation._agent_loads()}
        self.assertEqual(loads[self.agent.id], 1)
        self.assertEqual(self.agent.with_user(self.agent_2).guest_active_conversation_count, 1)
        self.assertEqual(self.agent_2.guest_active_conversation_count, 0)
