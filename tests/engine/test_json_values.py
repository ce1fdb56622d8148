import pytest

from guestmsg.core.json_values import is_int, is_record_id


@pytest.mark.parametrize("value", [0, 1, -4, 10**12])
def test_integers_are_integers(value):
    assert is_int(value)


@pytest.mark.parametrize("value", [True, False, None, 1.0, "1", [1], {"id": 1}])
def test_booleans_floats_and_strings_are_not(value):
    assert not is_int(value)
    assert not is_record_id(value)


@pytest.mark.parametrize(("value", "expected"), [(1, True), (42, True), (0, False), (-1, False)])
def test_a_record_id_is_positive(value, expected):
    assert is_record_id(value) is expected
