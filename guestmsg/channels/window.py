"""When a channel lets the hotel answer a guest: the reply window after the guest's last message."""

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ReplyWindow:
    """Free-form replies are allowed for ``hours`` after the guest's last message (``None``: at any time); a
    person (not the bot) may go on for ``human_agent_days`` (Meta's human agent tag). After that the channel
    accepts only an approved template when ``templates_after`` is set, else nothing until the guest writes
    again."""

    hours: int | None = 24
    human_agent_days: int = 0
    templates_after: bool = False


@dataclass(frozen=True)
class WindowDecision:
    """Whether a reply may be sent now; ``human_agent`` when only a person may send it, tagged as such.
    ``state`` names the case: "never_wrote", "open", "human_agent", "agents_only", "closed"."""

    allowed: bool
    human_agent: bool
    state: str
    reason: str


def decide(window: ReplyWindow, label: str, last_guest_message_at: datetime | None, now: datetime,
           human_agent: bool) -> WindowDecision:
    """Whether a message may be sent on a channel named ``label`` now. Both datetimes must be timezone-aware."""
    if last_guest_message_at is None:
        return WindowDecision(False, False, "never_wrote",
                              f"The guest has not written to this {label} account yet; "
                              f"{label} only allows replies to a guest's message.")
    for value, what in ((last_guest_message_at, "last_guest_message_at"), (now, "now")):
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError(f"{what} must be a timezone-aware datetime.")
    if window.hours is None:
        return WindowDecision(True, False, "open", f"{label} lets the hotel answer at any time.")
    elapsed = max(now - last_guest_message_at, timedelta(0))
    if elapsed < timedelta(hours=window.hours):
        return WindowDecision(True, False, "open",
                              f"The guest wrote {_age(elapsed)} ago, within {label}'s {window.hours}-hour window.")
    if elapsed < timedelta(days=window.human_agent_days):
        if human_agent:
            return WindowDecision(True, True, "human_agent",
                                  f"The guest wrote {_age(elapsed)} ago: outside the {window.hours}-hour window, "
                                  f"a staff member may still reply for up to {window.human_agent_days} days "
                                  f"(human agent tag).")
        return WindowDecision(False, False, "agents_only",
                              f"The guest wrote {_age(elapsed)} ago, more than {window.hours} hours: {label} only "
                              f"lets a staff member reply now (up to {window.human_agent_days} days), not "
                              f"automated messages.")
    if window.templates_after:
        return WindowDecision(False, False, "closed",
                              f"The guest last wrote more than {window.hours} hours ago, so {label} only accepts "
                              f"an approved template now.")
    return WindowDecision(False, False, "closed",
                          f"The guest wrote {_age(elapsed)} ago: {label} allows no reply more than "
                          f"{window.human_agent_days} days after the guest's last message. Wait for the guest "
                          f"to write again.")


def _age(elapsed):
    hours = int(elapsed.total_seconds() // 3600)
    if hours < 1:
        return "less than an hour"
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{hours // 24} days"
