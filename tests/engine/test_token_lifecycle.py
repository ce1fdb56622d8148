from datetime import datetime, timedelta, timezone

import pytest

from guestmsg.meta.token_lifecycle import TokenStatus, expiry_after_exchange, needs_refresh, token_status

NOW = datetime(2026, 11, 25, 12, 0)


def epoch(moment):
    return int(moment.replace(tzinfo=timezone.utc).timestamp())


def test_a_valid_expiring_token():
    status = token_status({"is_valid": True, "expires_at": epoch(NOW + timedelta(days=3)),
                           "scopes": ["whatsapp_business_messaging"]})
    assert status == TokenStatus(True, NOW + timedelta(days=3), ("whatsapp_business_messaging",), "")
    assert needs_refresh(status, NOW)


def test_a_token_far_from_expiry_is_left_alone():
    status = token_status({"is_valid": True, "expires_at": epoch(NOW + timedelta(days=30))})
    assert not needs_refresh(status, NOW)


def test_the_window_is_seven_days():
    assert needs_refresh(TokenStatus(True, NOW + timedelta(days=7)), NOW)
    assert not needs_refresh(TokenStatus(True, NOW + timedelta(days=7, seconds=1)), NOW)


def test_a_token_that_never_expires_is_never_refreshed():
    status = token_status({"is_valid": True, "expires_at": 0})
    assert status.expires_at is None
    assert not needs_refresh(status, NOW)


def test_an_invalid_token_carries_metas_reason():
    status = token_status({"is_valid": False, "expires_at": epoch(NOW - timedelta(days=1)),
                           "error": {"code": 190, "subcode": 463, "message": "Session has expired."}})
    assert not status.valid
    assert status.error == "Session has expired."
    assert not needs_refresh(status, NOW)


@pytest.mark.parametrize("data", [None, [], "x", {}, {"is_valid": "true"}, {"is_valid": 1},
                                  {"is_valid": True, "expires_at": "soon"}, {"is_valid": True, "scopes": "a,b"}])
def test_unexpected_answers(data):
    status = token_status(data)
    if isinstance(data, dict) and data.get("is_valid") is True:
        assert status.valid and status.expires_at is None and status.scopes == ()
    else:
        assert not status.valid and status.error


@pytest.mark.parametrize("answer, expected", [
    ({"access_token": "t", "expires_in": 5184000}, NOW + timedelta(seconds=5184000)),
    ({"access_token": "t"}, None),
    ({"access_token": "t", "expires_in": 0}, None),
    ({"access_token": "t", "expires_in": "5184000"}, None),
    ({"access_token": "t", "expires_in": True}, None),
    (None, None),
])
def test_expiry_after_an_exchange(answer, expected):
    assert expiry_after_exchange(answer, NOW) == expected
