"""What a conversation's context keeps from one booking flow to the next."""

import copy

GREET_NEXT = "greet_next"  # the next reply opens with the greeting
_KEPT_KEYS = ("lang", "guest", "guest_looked_up")


def kept(context: dict) -> dict:
    """A copy of the guest's language and details; everything else belongs to one flow."""
    return {key: copy.deepcopy(context[key]) for key in _KEPT_KEYS if key in context}
