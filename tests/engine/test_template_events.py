import pytest

from guestmsg.template_events import EVENT_VARIABLES, MappingError, parse_mapping, validate_mapping


def test_spec_example():
    mapping = {"1": "guestName", "2": "checkIn", "3": "reference"}
    assert validate_mapping("reservation_confirmed", mapping) == mapping
    assert validate_mapping("check_in_reminder", mapping) == mapping


def test_event_variables_match_the_spec():
    assert EVENT_VARIABLES["reservation_confirmed"] == (
        "reference", "guestName", "checkIn", "checkOut", "totalAmount", "currency", "roomName")
    assert EVENT_VARIABLES["check_in_reminder"] == ("reference", "guestName", "checkIn")


def test_json_text_and_order():
    assert validate_mapping("check_in_reminder", '{"2": "checkIn", "1": "guestName"}') == {
        "1": "guestName", "2": "checkIn"}
    assert list(validate_mapping("check_in_reminder", {"2": "checkIn", "1": "guestName"})) == ["1", "2"]


def test_empty_mapping_is_a_template_without_parameters():
    assert validate_mapping("check_in_reminder", {}) == {}


@pytest.mark.parametrize("raw,message", [
    ('{"1": ', "not valid JSON"),
    ("[1, 2]", "must be a JSON object"),
    ("null", "must be a JSON object"),
    ({"0": "guestName"}, "not a template parameter position"),
    ({"01": "guestName"}, "not a template parameter position"),
    ({"-1": "guestName"}, "not a template parameter position"),
    ({"x": "guestName"}, "not a template parameter position"),
    ({"1": "guestName", "3": "checkIn"}, "without gaps"),
    ({"1": "roomName"}, "does not offer"),
    ({"1": None}, "does not offer"),
    ({"1": ["guestName"]}, "does not offer"),
    ({"1": "guestName" * 10_000}, "does not offer"),
    ({"99": "guestName"}, "beyond"),
])
def test_bad_mappings(raw, message):
    with pytest.raises(MappingError, match=message):
        validate_mapping("check_in_reminder", raw)


def test_parameter_count_must_match():
    with pytest.raises(MappingError, match="expects 3"):
        validate_mapping("reservation_confirmed", {"1": "guestName"}, parameter_count=3)
    assert validate_mapping("reservation_confirmed", {"1": "guestName"}, parameter_count=1)


def test_unknown_event():
    with pytest.raises(MappingError, match="Unknown event"):
        validate_mapping("birthday", {})


def test_bytes_input():
    assert parse_mapping(b'{"1": "guestName"}') == {"1": "guestName"}
    with pytest.raises(MappingError):
        parse_mapping(b"\xff\xfe{")
