from datetime import datetime, timedelta

import pytest

from guestmsg.core.routing import AgentLoad, pick_agent

T0 = datetime(2026, 11, 25, 9, 0)


def load(agent_id, active=0, maximum=5, status="online", last=None):
    return AgentLoad(agent_id, status, active, maximum, last)


def route(loads, count):
    """Assign ``count`` conversations one after another, as the router does."""
    current = {item.agent_id: item for item in loads}
    order = []
    for step in range(count):
        chosen = pick_agent(current.values())
        if chosen is None:
            order.append(None)
            continue
        current[chosen.agent_id] = AgentLoad(
            chosen.agent_id, chosen.status, chosen.active + 1, chosen.maximum, T0 + timedelta(minutes=step + 1))
        order.append(chosen.agent_id)
    return order, current


def test_fewest_active_conversations_wins():
    assert pick_agent([load(1, active=3), load(2, active=1), load(3, active=2)]).agent_id == 2


def test_nobody_online_means_nobody():
    assert pick_agent([load(1, status="away"), load(2, status="offline")]) is None
    assert pick_agent([]) is None


@pytest.mark.parametrize("status", ["away", "offline", "ONLINE", "", None])
def test_only_online_agents_are_eligible(status):
    assert pick_agent([load(1, status=status)]) is None


def test_an_agent_at_the_maximum_gets_no_more():
    assert pick_agent([load(1, active=5, maximum=5), load(2, active=7, maximum=8)]).agent_id == 2
    assert pick_agent([load(1, active=5, maximum=5)]) is None


def test_a_maximum_of_zero_takes_nothing():
    assert pick_agent([load(1, maximum=0)]) is None


def test_tie_goes_to_the_agent_idle_longest():
    loads = [load(1, active=1, last=T0 + timedelta(minutes=5)), load(2, active=1, last=T0),
             load(3, active=1, last=T0 + timedelta(minutes=1))]
    assert pick_agent(loads).agent_id == 2


def test_never_assigned_counts_as_idle_longest():
    assert pick_agent([load(1, last=T0), load(2, last=None)]).agent_id == 2


def test_full_tie_is_broken_by_id_so_the_choice_is_stable():
    assert pick_agent([load(7), load(3), load(5)]).agent_id == 3


def test_least_loaded_beats_idle_longest():
    assert pick_agent([load(1, active=2, last=None), load(2, active=1, last=T0)]).agent_id == 2


def test_twenty_escalations_spread_evenly_and_respect_every_maximum():
    loads = [load(1, maximum=5), load(2, maximum=8), load(3, active=2, maximum=6), load(4, status="away")]
    order, final = route(loads, 20)
    assert order.count(None) == 20 - (5 + 8 + 4)
    assert all(final[i].active <= final[i].maximum for i in final)
    assert final[4].active == 0
    # first rounds alternate: nobody gets a second conversation while another online agent has none
    assert sorted(order[:2]) == [1, 2]


def test_round_robin_between_equal_agents():
    order, _ = route([load(1), load(2), load(3)], 6)
    assert order == [1, 2, 3, 1, 2, 3]
