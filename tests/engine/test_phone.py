import pytest

from guestmsg.core.phone import may_be_mobile, national_digits, to_e164


@pytest.mark.parametrize("raw,expected", [
    ("34612345678", "+34612345678"),
    ("+34 612 34 56 78", "+34612345678"),
    ("4915112345678", "+4915112345678"),
    (" 447911123456 ", "+447911123456"),
])
def test_valid_numbers(raw, expected):
    assert to_e164(raw) == expected


def test_national_number_with_a_region():
    assert to_e164("612 34 56 78", "ES") == "+34612345678"


@pytest.mark.parametrize("raw", ["", None, "abc", "123", "+", "9" * 70, 34612345678, "+34 612", "٣٤٦١٢"])
def test_invalid_numbers(raw):
    assert to_e164(raw) is None


def test_national_digits():
    assert national_digits("+34612345678") == "612345678"


@pytest.mark.parametrize("number,expected", [
    ("+34612345678", True),     # Spanish mobile
    ("+34912345678", False),    # Madrid landline
    ("+12015550123", True),     # US numbers may be either
    ("+447911123456", True),    # UK mobile
    ("+442079460000", False),   # London landline
    ("not a number", False),
])
def test_may_be_mobile(number, expected):
    assert may_be_mobile(number) is expected


def test_a_missing_region_reads_national_numbers_as_invalid_not_as_an_error():
    # Odoo gives False for a company without a country
    assert to_e164("612 34 56 78", False) is None
    assert to_e164("612 34 56 78", "ES") == "+34612345678"
