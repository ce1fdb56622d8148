import pytest

from guestmsg.channels.whatsapp.templates import TemplateInfo, body_parameter_count, parse_template


@pytest.mark.parametrize("text, count", [
    ("Hi {{1}}, your booking {{2}} is confirmed for {{3}}.", 3),
    ("Hi {{1}}, see you on {{2}}. {{1}}!", 2),
    ("Hi {{ 1 }}", 1),
    ("No parameters here.", 0),
    ("Hi {{guest_name}}, room {{room}} for {{guest_name}}", 2),
    ("", 0),
    (None, 0),
])
def test_body_parameter_count(text, count):
    assert body_parameter_count(text) == count


def test_a_listing_entry():
    entry = {"id": "900000001", "name": "booking_confirmed", "language": "en_US", "status": "APPROVED",
             "category": "UTILITY", "components": [
                 {"type": "HEADER", "format": "TEXT", "text": "Booking {{1}}"},
                 {"type": "BODY", "text": "Hi {{1}}, booking {{2}} from {{3}} to {{4}}."},
                 {"type": "FOOTER", "text": "Hotel Sol"}]}
    assert parse_template(entry) == TemplateInfo("900000001", "booking_confirmed", "en_US", "UTILITY", "APPROVED",
                                                 "Hi {{1}}, booking {{2}} from {{3}} to {{4}}.", 4)


@pytest.mark.parametrize("entry", [None, [], {}, {"name": "x"}, {"language": "en"}, {"name": "", "language": "en"}])
def test_entries_without_name_or_language_are_skipped(entry):
    assert parse_template(entry) is None


def test_odd_components_are_tolerated():
    info = parse_template({"name": "t", "language": "es", "components": ["x", {"type": "body", "text": "{{1}}"}]})
    assert (info.body, info.parameter_count, info.status) == ("{{1}}", 1, "")
