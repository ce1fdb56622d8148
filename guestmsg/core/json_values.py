"""What a value read from JSON (a webhook, an RPC argument, a stored payload) is taken for.

JSON has no separate booleans-as-integers, but Python's ``bool`` is an ``int``: ``True`` must never pass
for the record id 1.
"""


def is_int(value) -> bool:
    """A JSON integer: an ``int`` that is not a ``bool``."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_record_id(value) -> bool:
    """A database id: a positive JSON integer."""
    return is_int(value) and value > 0
