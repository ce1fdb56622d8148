from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .test_handover import HandoverCase


@tagged("guest_messaging")
class TestRouting(HandoverCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent_3 = new_test_user(cls.env, login="gm_agent_3", groups="base.group_user,guest_messaging.group_agent")
        cls.Conversation = cls.env["guest.conversation"]
        cls.route_cron = cls.env.ref("guest_messaging.ir_cron_route_conversations")

    def _online(self, *agents, maximum=5):
        for agent in agents:
            agent.write({"guest_agent_status": "online", "guest_max_conversations": maximum})

    def _route(self):
        return self.Conversation._cron_route_conversations()

    def _triggers(self):
        return self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.route_cron.id)])

    def test_escalation_goes_to_the_least_loaded_online_agent(self):
        self._online(self.agent, self.agent_2)
        busy = self._new_conversation("busy")
        busy.with_user(self.agent).action_take_over()
        conversation = self._waiting("route-least")
        self.assertEqual(self._route(), 1)
        self.assertEqual((conversation.status, conversation.agent_id), ("agent_assigned", self.agent_2))
        self.assertIn(f"Assigned to {self.agent_2.name} automatically", self._system_lines(conversation))
        self.assertEqual([p["id"] for p in self._bus(self.agent_2, "guest_messaging/conversation_assigned")],
                         [conversation.id])

    def test_away_and_offline_agents_get_no_new_conversation_but_keep_theirs(self):
        mine = self._new_conversation("kept")
        mine.with_user(self.agent).action_take_over()
        self.agent.guest_agent_status = "away"
        self.agent_2.guest_agent_status = "offline"
        conversation = self._waiting("route-away")
        self._route()
        self.assertEqual(conversation.status, "awaiting_agent")
        self.assertEqual(mine.agent_id, self.agent)
        self.agent.guest_agent_status = "offline"
        self.assertEqual((mine.status, mine.agent_id), ("agent_assigned", self.agent))

    def test_the_maximum_is_never_exceeded(self):
        self._online(self.agent, maximum=2)
        conversations = [self._waiting(f"cap-{i}") for i in range(4)]
        self.assertEqual(self._route(), 2)
        self.assertEqual([c.status for c in conversations],
                         ["agent_assigned", "agent_assigned", "awaiting_agent", "awaiting_agent"])
        self.assertEqual(self.agent.guest_active_conversation_count, 2)

    def test_oldest_escalation_first(self):
        self._online(self.agent, maximum=1)
        newer = self._waiting("newer")
        older = self._waiting("older")
        older.escalated_at = fields.Datetime.now() - timedelta(minutes=10)
        self._route()
        self.assertEqual(older.agent_id, self.agent)
        self.assertEqual(newer.status, "awaiting_agent")

    def test_ties_go_to_the_agent_idle_longest(self):
        self._online(self.agent, self.agent_2, self.agent_3)
        now = fields.Datetime.now()
        self.env.cr.execute(
            "UPDATE res_users SET guest_last_assigned_at = %s WHERE id = %s", (now - timedelta(hours=1), self.agent.id))
        self.env.cr.execute(
            "UPDATE res_users SET guest_last_assigned_at = %s WHERE id = %s", (now - timedelta(hours=3), self.agent_2.id))
        self.env.cr.execute(
            "UPDATE res_users SET guest_last_assigned_at = %s WHERE id = %s", (now - timedelta(hours=2), self.agent_3.id))
        self.env.invalidate_all()
        order = []
        for i in range(3):
            conversation = self._waiting(f"tie-{i}")
            self._route()
            order.append(conversation.agent_id)
        self.assertEqual(order, [self.agent_2, self.agent_3, self.agent])

    def test_equal_agents_take_turns(self):
        self._online(self.agent, self.agent_2, self.agent_3)
        conversations = [self._waiting(f"turn-{i}") for i in range(6)]
        self._route()
        counts = {agent: sum(c.agent_id == agent for c in conversations)
                  for agent in (self.agent, self.agent_2, self.agent_3)}
        self.assertEqual(set(counts.values()), {2})

    def test_nobody_eligible_waits_and_agents_are_told_once(self):
        self.agent.guest_agent_status = "away"
        self._online(self.agent_2, maximum=0)
        conversation = self._waiting("nobody")
        self._route()
        self._route()
        self.assertEqual(conversation.status, "awaiting_agent")
        self.assertTrue(conversation.unclaimed_notified)
        for agent in (self.agent, self.agent_2):
            waiting = self._bus(agent, "guest_messaging/conversation_waiting")
            self.assertEqual([p["id"] for p in waiting], [conversation.id], agent.login)
        self.assertFalse(self._bus(self.agent_3, "guest_messaging/conversation_waiting"), "offline: not disturbed")

    def test_an_agent_coming_online_gets_the_waiting_conversation(self):
        conversation = self._waiting("comes-online")
        self._route()
        self.assertEqual(conversation.status, "awaiting_agent")
        self.env["ir.cron.trigger"].search([("cron_id", "=", self.route_cron.id)]).unlink()
        self.env["res.users"].with_user(self.agent).guest_set_agent_status("online")
        self.assertEqual(self._triggers(), 1, "coming online wakes the router")
        self._route()
        self.assertEqual(conversation.agent_id, self.agent)

    def test_a_freed_slot_takes_the_next_waiting_conversation(self):
        self._online(self.agent, maximum=1)
        first = self._waiting("slot-1")
        second = self._waiting("slot-2")
        self._route()
        self.assertEqual(first.agent_id, self.agent)
        self.assertEqual(second.status, "awaiting_agent")
        self.env["ir.cron.trigger"].search([("cron_id", "=", self.route_cron.id)]).unlink()
        first.with_user(self.agent).action_resolve()
        self.assertEqual(self._triggers(), 1, "a freed slot wakes the router")
        self._route()
        self.assertEqual((second.status, second.agent_id), ("agent_assigned", self.agent))

    def test_a_raised_maximum_takes_more(self):
        self._online(self.agent, maximum=0)
        conversation = self._waiting("raised")
        self._route()
        self.agent.guest_max_conversations = 1
        self._route()
        self.assertEqual(conversation.agent_id, self.agent)

    def test_no_trigger_when_nobody_waits(self):
        self.env["ir.cron.trigger"].search([("cron_id", "=", self.route_cron.id)]).unlink()
        self._online(self.agent)
        self.assertEqual(self._triggers(), 0)

    def test_agents_of_another_company_are_not_chosen(self):
        other_company = self.env["res.company"].create({"name": "Other hotel"})
        elsewhere = new_test_user(self.env, login="gm_elsewhere_routing",
                                  groups="base.group_user,guest_messaging.group_agent",
                                  company_id=other_company.id, company_ids=[other_company.id])
        self._online(elsewhere)
        conversation = self._waiting("company")
        self._route()
        self.assertEqual(conversation.status, "awaiting_agent")

    def test_archived_and_portal_users_are_never_routed(self):
        self._online(self.agent)
        self.agent.active = False
        conversation = self._waiting("archived")
        self._route()
        self.assertEqual(conversation.status, "awaiting_agent")


@tagged("guest_messaging")
class TestAgentPresence(HandoverCase):
    def test_agents_set_their_own_status(self):
        Users = self.env["res.users"].with_user(self.agent)
        for status in ("online", "away", "offline", "online"):
            presence = Users.guest_set_agent_status(status)
            self.assertEqual(presence["status"], status)
            self.assertEqual(self.agent.guest_agent_status, status)
        self.assertEqual(presence, {"status": "online", "active": 0, "max": 5})

    def test_hostile_status_values(self):
        Users = self.env["res.users"].with_user(self.agent)
        for status in (None, "", "ONLINE", "busy", 1, True, ["online"], {"status": "online"}, "online\x00"):
            with self.subTest(status=status), self.assertRaises(UserError):
                Users.guest_set_agent_status(status)
        self.assertEqual(self.agent.guest_agent_status, "offline")

    def test_only_agents_have_a_status(self):
        with self.assertRaises(AccessError):
            self.env["res.users"].with_user(self.internal).guest_set_agent_status("online")

    def test_an_agent_cannot_change_their_own_maximum_or_another_agents_status(self):
        with self.assertRaises(AccessError):
            self.agent.with_user(self.agent).write({"guest_max_conversations": 50})
        with self.assertRaises(AccessError):
            self.agent_2.with_user(self.agent).write({"guest_agent_status": "online"})



@tagged("guest_messaging", "post_install", "-at_install")
class TestAgentPresenceInTheWebClient(HttpCase):
    def test_the_web_client_receives_the_agents_presence(self):
        agent = new_test_user(self.env, login="gm_web_agent", groups="base.group_user,guest_messaging.group_agent")
        new_test_user(self.env, login="gm_web_internal", groups="base.group_user")
        self.authenticate("gm_web_agent", "gm_web_agent")
        info = self.make_jsonrpc_request("/web/session/get_session_info")
        self.assertEqual(info["guest_messaging_agent"], {"status": "offline", "active": 0, "max": 5})
        self.make_jsonrpc_request("/web/dataset/call_kw/res.users/guest_set_agent_status", {
            "model": "res.users", "method": "guest_set_agent_status", "args": ["online"], "kwargs": {}})
        self.assertEqual(agent.guest_agent_status, "online")
        self.authenticate("gm_web_internal", "gm_web_internal")
        self.assertNotIn("guest_messaging_agent", self.make_jsonrpc_request("/web/session/get_session_info"))

    def test_an_agent_goes_online_from_the_navbar(self):
        agent = new_test_user(self.env, login="gm_tour_agent", groups="base.group_user,guest_messaging.group_agent")
        self.start_tour("/odoo", "guest_messaging_agent_status", login="gm_tour_agent")
        self.assertEqual(agent.guest_agent_status, "online")
