"""Phone numbers as E.164, through the phonenumbers library."""

import phonenumbers


def to_e164(raw, default_region=None):
    """E.164 form of ``raw`` ("+34612345678"), or None when it is not a valid number.

    WhatsApp ids are digits with the country code and no "+", so digits alone are
    read as international.
    """
    if not raw or not isinstance(raw, str) or len(raw) > 64:
        return None
    text = raw.strip()
    if text.isdigit():
        text = "+" + text
    try:
        number = phonenumbers.parse(text, default_region or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national_digits(e164):
    """The national significant number of an E.164 number, for matching stored phones."""
    number = phonenumbers.parse(e164, None)
    return phonenumbers.national_significant_number(number)


def may_be_mobile(e164):
    """Whether a number can be a mobile line (and so a WhatsApp account); landlines are not."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
