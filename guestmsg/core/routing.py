"""Which agent gets an escalated conversation.

The rule of the product description: among the agents who are online and below
their maximum of active conversations, the one with the fewest active
conversations; on a tie, the one who has waited longest since their last
assignment (never assigned counts as longest); then the lowest id, so the
choice is deterministic.
"""

from dataclasses import dataclass
from datetime import datetime

ONLINE = "online"
AWAY = "away"
OFFLINE = "offline"
AGENT_STATUSES = (ONLINE, AWAY, OFFLINE)


@dataclass(frozen=True)
class AgentLoad:
    agent_id: int
    status: str
    active: int
    maximum: int
    last_assigned_at: datetime | None = None

    @property
    def eligible(self):
        return self.status == ONLINE and self.active < self.maximum


def _order(load):
    # None sorts first: an agent never assigned has been idle longest
    idle_since = load.last_assigned_at
    return (load.active, idle_since is not None, idle_since or datetime.min, load.agent_id)


def pick_agent(loads):
    """The AgentLoad to route to, or None when nobody is eligible."""
    eligible = [load for load in loads if load.eligible]
    return min(eligible, key=_order) if eligible else None

