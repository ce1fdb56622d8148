"""When a Meta access token must be renewed, read from what Meta says about it.

``debug_token`` tells whether a token is valid and when it expires (``expires_at``
in epoch seconds, 0 for tokens that never expire, such as system user tokens).
A token that expires within the refresh window is exchanged for a new
long-lived one; the exchange answers ``expires_in`` seconds.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from guestmsg.core.json_values import is_int

REFRESH_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class TokenStatus:
    valid: bool
    expires_at: datetime | None  # naive UTC; None when the token never expires
    scopes: tuple = ()
    error: str = ""


def _utc(epoch):
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc).replace(tzinfo=None)


def token_status(debug_data):
    """A TokenStatus from debug_token's ``data`` object; anything unexpected counts as invalid."""
    if not isinstance(debug_data, dict):
        return TokenStatus(False, None, (), "debug_token answered nothing usable")
    error = debug_data.get("error") if isinstance(debug_data.get("error"), dict) else {}
    try:
        epoch = int(debug_data.get("expires_at") or 0)
    except (TypeError, ValueError):
        epoch = 0
    scopes = debug_data.get("scopes")
    scopes = tuple(str(s) for s in scopes) if isinstance(scopes, list) else ()
    valid = debug_data.get("is_valid") is True
    message = str(error.get("message") or ("" if valid else "the token is not valid"))
    return TokenStatus(valid, _utc(epoch) if epoch > 0 else None, scopes, message)


def needs_refresh(status, now, window=REFRESH_WINDOW):
    """Whether a valid token expires within ``window`` of ``now`` (naive UTC)."""
    return status.valid and status.expires_at is not None and status.expires_at - now <= window


def expiry_after_exchange(answer, now):
    """When a token from an ``oauth/access_token`` answer expires (naive UTC), or None if it does not say."""
    seconds = answer.get("expires_in") if isinstance(answer, dict) else None
    if not is_int(seconds) or seconds <= 0:
        return None
    return now + timedelta(seconds=seconds)
