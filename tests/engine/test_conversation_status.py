import itertools

import pytest

from guestmsg.core import conversation_status as cs


def test_every_status_has_a_label_and_transitions():
    assert set(cs.STATUS_LABELS) == set(cs.STATUSES) == set(cs.TRANSITIONS)


@pytest.mark.parametrize("old,new", [
    ("bot_handling", "awaiting_agent"), ("bot_handling", "agent_assigned"), ("bot_handling", "expired"),
    ("awaiting_agent", "agent_assigned"), ("awaiting_agent", "bot_handling"),
    ("agent_assigned", "resolved"), ("agent_assigned", "bot_handling"),
    ("resolved", "bot_handling"), ("expired", "bot_handling"),
])
def test_spec_transitions_are_allowed(old, new):
    assert cs.check_transition(old, new) == new


@pytest.mark.parametrize("old,new", [
    ("resolved", "awaiting_agent"), ("resolved", "agent_assigned"), ("resolved", "expired"),
    ("expired", "agent_assigned"), ("expired", "resolved"), ("expired", "awaiting_agent"),
    ("awaiting_agent", "expired"), ("agent_assigned", "expired"),
])
def test_illegal_transitions(old, new):
    assert not cs.is_allowed(old, new)
    with pytest.raises(cs.IllegalTransition) as info:
        cs.check_transition(old, new)
    assert info.value.old == old and info.value.new == new
    assert cs.STATUS_LABELS[old] in str(info.value)


@pytest.mark.parametrize("status", cs.STATUSES)
def test_staying_put_is_allowed(status):
    assert cs.is_allowed(status, status)


@pytest.mark.parametrize("bad", ["", None, "archived", "BOT_HANDLING", 3])
def test_unknown_targets_are_refused(bad):
    for old in cs.STATUSES:
        assert not cs.is_allowed(old, bad)


def test_ended_conversations_only_restart_with_the_bot():
    for old, new in itertools.product((cs.RESOLVED, cs.EXPIRED), cs.STATUSES):
        assert cs.is_allowed(old, new) == (new in (old, cs.BOT_HANDLING))


def test_closed_and_active_statuses_split_every_status():
    assert set(cs.CLOSED_STATUSES) == {cs.RESOLVED, cs.EXPIRED}
    assert set(cs.ACTIVE_STATUSES) == {cs.BOT_HANDLING, cs.AWAITING_AGENT, cs.AGENT_ASSIGNED}
    assert not set(cs.CLOSED_STATUSES) & set(cs.ACTIVE_STATUSES)
    assert set(cs.CLOSED_STATUSES) | set(cs.ACTIVE_STATUSES) == set(cs.STATUSES)
    assert [s for s in cs.STATUSES if s in cs.ACTIVE_STATUSES] == list(cs.ACTIVE_STATUSES), "in the statuses' order"


@pytest.mark.parametrize("status", cs.STATUSES)
def test_is_closed(status):
    assert cs.is_closed(status) == (status in (cs.RESOLVED, cs.EXPIRED))


@pytest.mark.parametrize("bad", ["", None, "RESOLVED", "closed", ["resolved"], ("resolved",)])
def test_unknown_statuses_are_not_closed(bad):
    assert cs.is_closed(bad) is False


@pytest.mark.parametrize("status", cs.CLOSED_STATUSES)
def test_closed_conversations_only_open_again_with_the_bot(status):
    assert cs.TRANSITIONS[status] == {cs.BOT_HANDLING}
