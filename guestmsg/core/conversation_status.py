"""The conversation status machine: the one authority over status changes.

Statuses follow the product description: the bot handles a conversation, may
escalate it to the team, an agent takes it, and it ends resolved or expired.
"""

BOT_HANDLING = "bot_handling"
AWAITING_AGENT = "awaiting_agent"
AGENT_ASSIGNED = "agent_assigned"
RESOLVED = "resolved"
EXPIRED = "expired"

STATUSES = (BOT_HANDLING, AWAITING_AGENT, AGENT_ASSIGNED, RESOLVED, EXPIRED)

STATUS_LABELS = {
    BOT_HANDLING: "Bot handling",
    AWAITING_AGENT: "Awaiting agent",
    AGENT_ASSIGNED: "Agent assigned",
    RESOLVED: "Resolved",
    EXPIRED: "Expired",
}

TRANSITIONS = {
    # escalation, take over by an agent, agent closes it, inactivity
    BOT_HANDLING: {AWAITING_AGENT, AGENT_ASSIGNED, RESOLVED, EXPIRED},
    # claim / auto-assignment, unclaimed timeout or hand back, closed
    AWAITING_AGENT: {AGENT_ASSIGNED, BOT_HANDLING, RESOLVED},
    # hand back to the bot, resolve, release to the queue
    AGENT_ASSIGNED: {BOT_HANDLING, RESOLVED, AWAITING_AGENT},
    # the guest writes again: a fresh bot conversation
    RESOLVED: {BOT_HANDLING},
    EXPIRED: {BOT_HANDLING},
}

# a closed conversation has ended; the guest's next message starts it again with the bot
CLOSED_STATUSES = (RESOLVED, EXPIRED)
ACTIVE_STATUSES = tuple(status for status in STATUSES if status not in CLOSED_STATUSES)


class IllegalTransition(ValueError):
    def __init__(self, old, new):
        self.old = old
        self.new = new
        super().__init__(
            f"A conversation cannot go from '{STATUS_LABELS.get(old, old)}' "
            f"to '{STATUS_LABELS.get(new, new)}'."
        )


def is_allowed(old, new):
    """Whether ``old`` -> ``new`` is allowed; staying in the same status always is."""
    if new not in STATUSES:
        return False
    return old == new or new in TRANSITIONS.get(old, ())


def is_closed(status):
    """Whether a conversation in ``status`` has ended (resolved or expired)."""
    return status in CLOSED_STATUSES


def check_transition(old, new):
    if not is_allowed(old, new):
        raise IllegalTransition(old, new)
    return new
