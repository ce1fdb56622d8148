"""How long a queue waits before trying again."""

import random


def backoff_delay(attempt, base=2.0, cap=3600, retry_after=None, rng=random.random, floor=0.0):
    """Seconds to wait before retry number ``attempt`` (0 for the first retry).

    Exponential backoff with full jitter: ``delay = rng() * min(cap, base * 2 ** attempt)``, i.e.
    uniform in ``[0, min(cap, base * 2**attempt))``. Spreading retries over the whole interval keeps
    many senders hitting the same rate limit from retrying in lock-step. A ``retry_after`` given
    by the server is a floor: the result is ``max(delay, retry_after)``, even above ``cap``, because
    retrying earlier than Meta asked only earns another rejection. ``floor`` is the shortest delay
    returned: full jitter alone may draw a retry a few milliseconds after the failure.
    """
    attempt = max(0, int(attempt))
    # 2 ** attempt overflows a float long before attempt reaches any realistic retry count.
    ceiling = cap if attempt >= 64 else min(cap, base * 2 ** attempt)
    delay = max(float(floor), rng() * ceiling)
    if retry_after is not None and retry_after > delay:
        delay = float(retry_after)
    return delay
