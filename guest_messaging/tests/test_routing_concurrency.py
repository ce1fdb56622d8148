import threading
import time
import uuid
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.modules.registry import DummyRLock, Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, get_db_name, new_test_user, tagged

ESCALATIONS = 20
MAXIMUMS = (2, 3, 4)


@tagged("guest_messaging", "post_install", "-at_install")
class TestRoutingConcurrency(BaseCase):
    """Parallel, committed transactions, as the webhook workers, the router and agents produce them.

    A BaseCase, not a TransactionCase: each thread has its own database connection and commits,
    so the locks and snapshot conflicts are PostgreSQL's real ones. The records are removed again
    at the end.
    """

    @contextmanager
    def _env(self, uid=SUPERUSER_ID):
        with self.registry.cursor() as cr:
            yield api.Environment(cr, uid, {})

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        # the server holds the registry lock while it runs the tests; as Odoo's test mode does,
        # let the other threads open environments on this loaded registry
        self.patch(Registry, "_lock", DummyRLock())
        tag = uuid.uuid4().hex[:8]
        with self._env() as env:
            company = env["res.company"].create({"name": f"Concurrency hotel {tag}"})
            groups = "base.group_user,guest_messaging.group_agent"
            agents = env["res.users"]
            for index, maximum in enumerate(MAXIMUMS):
                agents |= new_test_user(env, login=f"gm_race_{tag}_{index}", groups=groups,
                                        company_id=company.id, company_ids=[company.id])
                agents[-1].write({"guest_agent_status": "online", "guest_max_conversations": maximum})
            connection = env["guest.channel.connection"].create({
                "name": f"Race {tag}", "channel_type": "sandbox",
                "company_id": company.id,
            })
            conversations = env["guest.conversation"].create([
                {"connection_id": connection.id, "guest_external_id": f"3461{int(tag, 16) % 10**5:05d}{i:02d}",
                 "guest_name": f"Guest {i}"}
                for i in range(ESCALATIONS)
            ])
            self.company_id, self.agent_ids = company.id, agents.ids
            self.connection_id, self.conversation_ids = connection.id, conversations.ids
        self.addCleanup(self._remove_records)

    def _remove_records(self):
        with self._env() as env:
            conversations = env["guest.conversation"].browse(self.conversation_ids)
            conversations.guest_message_ids.unlink()
            conversations.unlink()
            env["guest.channel.connection"].browse(self.connection_id).unlink()
            env["res.users"].browse(self.agent_ids).write({"active": False, "guest_agent_status": "offline"})

    def _run_together(self, targets):
        barrier = threading.Barrier(len(targets))
        errors = []

        def run(target):
            try:
                barrier.wait(timeout=30)
                target()
            except Exception as error:  # noqa: BLE001 - reported below with the others
                errors.append(error)

        threads = [threading.Thread(target=run, args=(target,)) for target in targets]
        deadline = time.monotonic() + 120
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(1, deadline - time.monotonic()))
        self.assertFalse(any(thread.is_alive() for thread in threads), "a transaction never finished")
        return errors

    def test_twenty_simultaneous_escalations_spread_over_agents_within_their_maximum(self):
        def escalate_and_route(conversation_id):
            def target():
                with self._env() as env:
                    env["guest.conversation"].browse(conversation_id)._request_agent()
                # every worker runs the router right away: twenty routers race each other (over
                # this test's conversations only, so the database's other ones are left alone)
                with self._env() as env:
                    env["guest.conversation"].browse(self.conversation_ids)._route_waiting()
            return target

        errors = self._run_together([escalate_and_route(cid) for cid in self.conversation_ids])
        self.assertEqual(errors, [])
        with self._env() as env:
            conversations = env["guest.conversation"].browse(self.conversation_ids)
            agents = env["res.users"].browse(self.agent_ids)
            loads = {agent.id: agent.guest_active_conversation_count for agent in agents}
            self.assertEqual(loads, dict(zip(self.agent_ids, MAXIMUMS)), "everyone filled up, nobody beyond")
            assigned = conversations.filtered(lambda c: c.status == "agent_assigned")
            waiting = conversations.filtered(lambda c: c.status == "awaiting_agent")
            self.assertEqual((len(assigned), len(waiting)), (sum(MAXIMUMS), ESCALATIONS - sum(MAXIMUMS)))
            for conversation in conversations:
                lines = conversation.guest_message_ids.filtered(lambda m: m.author_type == "system").mapped("body")
                self.assertEqual(lines.count("Bot escalated to agent"), 1)
                self.assertEqual(sum(line.startswith("Assigned to") for line in lines),
                                 1 if conversation.status == "agent_assigned" else 0, lines)
            self.assertTrue(all(waiting.mapped("unclaimed_notified")))

    def test_two_agents_claiming_at_once_one_wins(self):
        claimers = self.agent_ids[:2]
        with self._env() as env:
            conversations = env["guest.conversation"].browse(self.conversation_ids[:5])
            for conversation in conversations:
                conversation._request_agent()
            env["res.users"].browse(self.agent_ids).write({"guest_agent_status": "away"})
        outcomes = []

        def claim(conversation_id, uid):
            def target():
                # as an RPC call runs: retried on a serialization failure, like Odoo's RPC layer does
                with self._env(uid) as env:
                    try:
                        retrying(env["guest.conversation"].browse(conversation_id).action_claim, env)
                        outcomes.append((conversation_id, uid, "claimed"))
                    except UserError:
                        outcomes.append((conversation_id, uid, "refused"))
            return target

        targets = [claim(cid, uid) for cid in self.conversation_ids[:5] for uid in claimers]
        self.assertEqual(self._run_together(targets), [])
        for conversation_id in self.conversation_ids[:5]:
            results = sorted(outcome for cid, _uid, outcome in outcomes if cid == conversation_id)
            self.assertEqual(results, ["claimed", "refused"])
        with self._env() as env:
            for conversation in env["guest.conversation"].browse(self.conversation_ids[:5]):
                winner = next(uid for cid, uid, outcome in outcomes
                              if cid == conversation.id and outcome == "claimed")
                self.assertEqual(conversation.agent_id.id, winner)
                claims = [b for b in conversation.guest_message_ids.mapped("body") if b.endswith("claimed the conversation")]
                self.assertEqual(len(claims), 1)
