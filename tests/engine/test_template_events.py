import pytest

from guestmsg.channels.whatsapp.template_events import EVENT_VARIABLES, MappingError, parse_mapping, validate_mapping


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


# --- choosing a mapping, filling parameters -----------------------------------

from datetime import date  # noqa: E402

from guestmsg.channels.whatsapp.template_events import body_parameters, fill_body, format_day, pick_mapping  # noqa: E402


@pytest.mark.parametrize("language,expected", [
    ("es_ES", "es_ES"),
    ("es_MX", "es"),
    ("es", "es"),
    ("pt-BR", "en_US"),
    ("fr_FR", "en_US"),
    (None, "en_US"),
    ("", "en_US"),
])
def test_pick_mapping_prefers_the_guests_language(language, expected):
    candidates = [("en_US", "en_US"), ("es", "es"), ("es_ES", "es_ES")]
    assert pick_mapping(candidates, language) == expected


def test_pick_mapping_without_english_takes_the_first():
    assert pick_mapping([("de_DE", "de"), ("fr_FR", "fr")], "it_IT") == "de"
    assert pick_mapping([], "en_US") is None


def test_body_parameters_follow_positions_not_insertion_order():
    mapping = {"2": "checkIn", "1": "guestName", "10": "reference", "3": "reference", "4": "reference",
               "5": "reference", "6": "reference", "7": "reference", "8": "reference", "9": "reference"}
    values = body_parameters(mapping, {"guestName": "Ana", "checkIn": "Dec 1, 2026", "reference": "R/7"})
    assert values[:3] == ["Ana", "Dec 1, 2026", "R/7"]
    assert len(values) == 10


def test_body_parameters_are_single_line_and_never_empty():
    values = body_parameters({"1": "guestName", "2": "roomName", "3": "totalAmount"},
                             {"guestName": "Ana\n\tGarcía   López", "roomName": "   ", "totalAmount": 360})
    assert values == ["Ana García López", "-", "360"]


def test_fill_body_replaces_known_placeholders_only():
    assert fill_body("Hi {{1}}, room {{ 2 }} on {{3}}.", ["Ana", "101"]) == "Hi Ana, room 101 on {{3}}."
    assert fill_body(None, ["x"]) == ""


def test_format_day_in_the_guests_language():
    assert format_day(date(2026, 12, 1), "en_US") == "Dec 1, 2026"
    assert format_day(date(2026, 12, 1), "es_ES") == "1 dic 2026"
    assert format_day(date(2026, 12, 1), "not a locale!") == "Dec 1, 2026"
